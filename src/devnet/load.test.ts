// Load: 10,000 bank sends from 20 concurrent senders through `broadcast_tx_sync` over HTTP, with a mempool
// small enough that senders meet backpressure and retry. Then: none lost (every tx found by hash, code 0),
// none applied twice (final sequences, exact balances, an index holding exactly 10,000 txs), and every
// sender's txs committed in sequence order.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { makeSenders, type NativeSender, signSend } from "../app/testing/native-signer.js";
import { BOND_DENOM, DEVNET_CHAIN_ID } from "../params/chain.js";
import { Devnet } from "./devnet.js";
import { devnetAppStateWith, rpcCall, txHashHex, type Wire, waitFor } from "./testing/helpers.js";
import { broadcastSequentially, RpcHttpClient } from "./testing/load.js";

const SENDERS = 20;
const TXS_PER_SENDER = 500;
const TOTAL = SENDERS * TXS_PER_SENDER;
const FUNDS = 1_000_000_000_000n;
/** signSend's fee. */
const FEE = 5000n;
/** Far below the load in flight, so that "mempool is full" happens and is retried. */
const MEMPOOL_SIZE = 300;

let home: string;
let devnet: Devnet;
let senders: NativeSender[];
let sink: string;

before(async () => {
  home = mkdtempSync(join(tmpdir(), "decloud-load-"));
  senders = makeSenders(SENDERS, "devnet-load");
  sink = makeSenders(1, "devnet-load-sink")[0]!.address;
  const appState = await devnetAppStateWith({
    balances: senders.map((s) => ({
      address: s.address,
      coins: [{ denom: BOND_DENOM, amount: FUNDS.toString() }],
    })),
  });
  devnet = await Devnet.start({
    home,
    blockTimeMs: 200,
    rpcPort: 0,
    restPort: 0,
    grpcPort: 0,
    appState,
    mempool: { maxTxs: MEMPOOL_SIZE },
  });
});

after(async () => {
  await devnet?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function account(address: string): Promise<{ accountNumber: bigint; sequence: bigint }> {
  const res = await fetch(`${devnet.restUrl}/cosmos/auth/v1beta1/accounts/${address}`);
  const { account } = (await res.json()) as Wire;
  return { accountNumber: BigInt(account.account_number), sequence: BigInt(account.sequence) };
}

async function balance(address: string): Promise<bigint> {
  const res = await fetch(
    `${devnet.restUrl}/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=${BOND_DENOM}`,
  );
  return BigInt(((await res.json()) as Wire).balance.amount);
}

async function searchAll(query: string): Promise<Wire[]> {
  const txs: Wire[] = [];
  for (let page = 1; ; page++) {
    const res = await rpcCall(devnet.rpcUrl, "tx_search", { query, page: String(page), per_page: "100" });
    txs.push(...res.txs);
    if (txs.length >= Number(res.total_count)) return txs;
  }
}

test(`${TOTAL} txs from ${SENDERS} concurrent senders: none lost, none applied twice, sequences in order`, async (t) => {
  for (const s of senders) s.accountNumber = (await account(s.address)).accountNumber;
  const supplyBefore = await rpcSupply();
  const expected = senders.map(() => [] as string[]);
  const encoded = senders.map((s, i) =>
    Array.from({ length: TXS_PER_SENDER }, () => {
      const tx = signSend(s, sink, DEVNET_CHAIN_ID, "1");
      expected[i]!.push(txHashHex(tx));
      return Buffer.from(tx).toString("base64");
    }),
  );

  const client = new RpcHttpClient(devnet.rpcUrl, SENDERS);
  let report: Awaited<ReturnType<typeof broadcastSequentially>>;
  try {
    report = await broadcastSequentially(client, encoded);
  } finally {
    client.close();
  }
  // How often the mempool was full depends on the machine's speed, so it is reported, not asserted (the
  // node's own tests check the refusal itself); what must hold either way is checked below.
  t.diagnostic(`"mempool is full" refusals retried: ${report.mempoolFullRetries}`);

  // Everything accepted ends up in a block.
  await waitFor(
    async () => {
      const pending = await rpcCall(devnet.rpcUrl, "num_unconfirmed_txs");
      return pending.n_txs === "0" ? true : undefined;
    },
    "the mempool to drain",
    120_000,
  );

  const all = new Set<string>();
  for (const [i, s] of senders.entries()) {
    const found = await searchAll(`message.sender='${s.address}'`);
    assert.equal(found.length, TXS_PER_SENDER, `sender ${i}: txs found`);
    // In (height, index) order, the sender's sequences run 0, 1, 2, … with no gap and no repeat.
    const sequences = found.map(
      (t) =>
        AuthInfo.decode(TxRaw.decode(Buffer.from(t.tx, "base64")).authInfoBytes).signerInfos[0]!.sequence,
    );
    assert.deepEqual(
      sequences,
      Array.from({ length: TXS_PER_SENDER }, (_, k) => BigInt(k)),
      `sender ${i}: sequences in block order`,
    );
    assert.deepEqual(
      found.map((t) => t.hash),
      expected[i],
      `sender ${i}: exactly the txs sent, in order`,
    );
    for (const t of found) {
      assert.equal(t.tx_result.code, 0, `${t.hash}: ${t.tx_result.log}`);
      all.add(t.hash);
    }
    const acc = await account(s.address);
    assert.equal(acc.sequence, BigInt(TXS_PER_SENDER), `sender ${i}: final sequence`);
    assert.equal(
      await balance(s.address),
      FUNDS - BigInt(TXS_PER_SENDER) * (1n + FEE),
      `sender ${i}: balance`,
    );
  }
  assert.equal(all.size, TOTAL);
  // Nothing else was indexed: no tx twice, no stray tx.
  const indexed = await rpcCall(devnet.rpcUrl, "tx_search", { query: "tx.height>=1", per_page: "1" });
  assert.equal(indexed.total_count, String(TOTAL));
  // And every hash, looked up directly with `tx` (in JSON-RPC batches), is one committed success.
  const hashes = expected.flat();
  for (let i = 0; i < hashes.length; i += 500) {
    const batch = hashes.slice(i, i + 500).map((hash, k) => ({
      jsonrpc: "2.0",
      id: i + k,
      method: "tx",
      params: { hash: Buffer.from(hash, "hex").toString("base64") },
    }));
    const res = await fetch(devnet.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    const replies = (await res.json()) as Wire[];
    assert.equal(replies.length, batch.length);
    for (const r of replies) {
      assert.equal(r.error, undefined, JSON.stringify(r.error));
      assert.equal(r.result.hash, hashes[r.id]);
      assert.equal(r.result.tx_result.code, 0);
    }
  }
  assert.equal(await balance(sink), BigInt(TOTAL));
  assert.equal(await rpcSupply(), supplyBefore, "fees moved to the fee collector; nothing minted or burnt");
});

async function rpcSupply(): Promise<bigint> {
  const res = await fetch(`${devnet.restUrl}/cosmos/bank/v1beta1/supply/by_denom?denom=${BOND_DENOM}`);
  return BigInt(((await res.json()) as Wire).amount.amount);
}
