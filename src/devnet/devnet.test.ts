// The devnet as clients see it: the real DeCloud app, the solo node, REST, gRPC and the faucet, on free ports
// in a temp home, driven by @cosmjs/stargate, @cosmjs/tendermint-rpc and plain HTTP. Then every rejection of
// the state machine through `broadcast_tx_sync`, and a graceful restart on the same home.
// (The load test and the kill tests have their own devnets: load.test.ts, crash.test.ts.)
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fromHex, toHex } from "@cosmjs/encoding";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Comet38Client, type comet38 } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { type SignOptions, sendMsg, signTx, type TestAccount, testAccounts } from "../app/testing/harness.js";
import { BOND_DENOM, DEVNET_CHAIN_ID, USDC_DENOM } from "../params/chain.js";
import { DEV_ACCOUNT_BALANCE } from "../params/devnet.js";
import { Devnet } from "./devnet.js";
import {
  b64,
  devnetAppStateWith,
  disconnectForGood,
  getJson,
  postJson,
  type RpcReply,
  rpcCall,
  rpcPost,
  txHashHex,
  type Wire,
  waitFor,
} from "./testing/helpers.js";

const DISABLED_DENOM = "udisabled";
const GAS_PRICE = GasPrice.fromString("0.025uakt");

let home: string;
let devnet: Devnet;
let appState: unknown;
/** alice … judy, the faucet, then `poor` (6000uakt at genesis), `stranger` (funded by the tests), `never`. */
let accounts: TestAccount[];
let alice: TestAccount;
let bob: TestAccount;
let carol: TestAccount;
let dave: TestAccount;
let frank: TestAccount;
let faucet: TestAccount;
let poor: TestAccount;
let stranger: TestAccount;
let never: TestAccount;
let reader: StargateClient;
/** Hashes of every tx committed so far, to find again after the restart. */
const committed: string[] = [];

/** DECLOUD_DEVNET_CONSENSUS=cometbft runs the same suite against a real CometBFT (devnet-suite.test.ts does). */
const consensus = process.env.DECLOUD_DEVNET_CONSENSUS === "cometbft" ? "cometbft" : "solo";

async function startDevnet(): Promise<Devnet> {
  return Devnet.start({ home, blockTimeMs: 0, rpcPort: 0, restPort: 0, grpcPort: 0, appState, consensus });
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), "decloud-devnet-"));
  accounts = await testAccounts(14);
  [alice, bob, carol, dave, , frank] = accounts as [
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
    TestAccount,
  ];
  faucet = accounts[10]!;
  poor = accounts[11]!;
  stranger = accounts[12]!;
  never = accounts[13]!;
  appState = await devnetAppStateWith({
    balances: [
      { address: poor.address, coins: [{ denom: BOND_DENOM, amount: "6000" }] },
      { address: frank.address, coins: [{ denom: DISABLED_DENOM, amount: "100" }] },
    ],
    sendEnabled: [{ denom: DISABLED_DENOM, enabled: false }],
  });
  devnet = await startDevnet();
  reader = await StargateClient.connect(devnet.rpcUrl);
});

after(async () => {
  reader?.disconnect();
  await devnet?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function signer(): Promise<SigningStargateClient> {
  // The poll interval matters only for how fast the test runs: blocks come at once (block time 0).
  return SigningStargateClient.connectWithSigner(devnet.rpcUrl, alice.wallet, {
    gasPrice: GAS_PRICE,
    broadcastPollIntervalMs: 50,
  });
}

/** The account's number and next sequence, as the chain has them now. */
async function accountOf(address: string): Promise<{ accountNumber: bigint; sequence: bigint }> {
  const a = await reader.getAccount(address);
  assert.ok(a, `account ${address} exists`);
  return { accountNumber: BigInt(a.accountNumber), sequence: BigInt(a.sequence) };
}

async function signed(
  from: TestAccount,
  o: Partial<SignOptions> = {},
  msg = sendMsg(from.address, bob.address, "10"),
) {
  return signTx(from, [msg], { chainId: DEVNET_CHAIN_ID, ...(await accountOf(from.address)), ...o });
}

function broadcastSync(tx: Uint8Array): Promise<RpcReply> {
  return rpcPost(devnet.rpcUrl, "broadcast_tx_sync", { tx: b64(tx) });
}

/** Waits until the node has indexed the tx; returns the `tx` endpoint's result. */
async function included(hash: string): Promise<Wire> {
  const result = await waitFor(async () => {
    const { body } = await rpcPost(devnet.rpcUrl, "tx", { hash: b64(fromHex(hash)) });
    return body.result;
  }, `tx ${hash}`);
  committed.push(hash);
  return result;
}

/** Waits until every pending tx is in a block and the last app hash is in a header (nothing more to mine). */
async function settled(): Promise<{ height: string; appHash: string }> {
  return waitFor(async () => {
    const [status, info, pending] = await Promise.all([
      rpcCall(devnet.rpcUrl, "status"),
      rpcCall(devnet.rpcUrl, "abci_info"),
      rpcCall(devnet.rpcUrl, "num_unconfirmed_txs"),
    ]);
    const appHash = toHex(Buffer.from(info.response.last_block_app_hash, "base64")).toUpperCase();
    const quiet =
      pending.n_txs === "0" &&
      status.sync_info.latest_block_height === info.response.last_block_height &&
      status.sync_info.latest_app_hash === appHash;
    return quiet ? { height: status.sync_info.latest_block_height, appHash } : undefined;
  }, "the devnet to settle");
}

/** The part of xstream's Stream (what cosmjs's subscriptions return) that the tests use. */
interface Subscription<T> {
  addListener(l: { next(e: T): void; error(e: unknown): void; complete(): void }): void;
  removeListener(l: { next(e: T): void; error(e: unknown): void; complete(): void }): void;
}

function firstEvent<T>(stream: Subscription<T>, accept: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = {
      next: (e: T) => {
        if (!accept(e)) return;
        stream.removeListener(listener);
        resolve(e);
      },
      error: reject,
      complete: () => reject(new Error("stream completed")),
    };
    stream.addListener(listener);
  });
}

describe("@cosmjs/stargate clients", () => {
  test("StargateClient: chain id, height, accounts and balances", async () => {
    assert.equal(await reader.getChainId(), DEVNET_CHAIN_ID);
    assert.ok((await reader.getHeight()) >= 1);
    const account = await reader.getAccount(alice.address);
    assert.ok(account);
    assert.equal(account.address, alice.address);
    // cosmjs 0.39 reads account numbers as bigints (sequences stay numbers).
    assert.equal(account.accountNumber, 0n);
    assert.equal(account.sequence, 0);
    assert.equal((await reader.getAccount(bob.address))?.accountNumber, 1n);
    assert.equal(await reader.getAccount(stranger.address), null);
    assert.deepEqual(await reader.getBalance(carol.address, BOND_DENOM), {
      denom: BOND_DENOM,
      amount: DEV_ACCOUNT_BALANCE[BOND_DENOM].toString(),
    });
    assert.deepEqual(await reader.getBalance(stranger.address, BOND_DENOM), {
      denom: BOND_DENOM,
      amount: "0",
    });
    assert.deepEqual(await reader.getAllBalances(frank.address), [
      { denom: USDC_DENOM, amount: DEV_ACCOUNT_BALANCE[USDC_DENOM].toString() },
      { denom: BOND_DENOM, amount: DEV_ACCOUNT_BALANCE[BOND_DENOM].toString() },
      { denom: DISABLED_DENOM, amount: "100" },
    ]);
  });

  test("SigningStargateClient: sendTokens with an auto fee; getTx and searchTx find it", async () => {
    const client = await signer();
    try {
      assert.equal(await client.getChainId(), DEVNET_CHAIN_ID);
      const before = await client.getBalance(alice.address, BOND_DENOM);
      const sent = await client.sendTokens(
        alice.address,
        stranger.address,
        [{ denom: BOND_DENOM, amount: "1234567" }],
        "auto",
        "devnet test",
      );
      committed.push(sent.transactionHash);
      assert.equal(sent.code, 0, sent.rawLog);
      assert.match(sent.transactionHash, /^[0-9A-F]{64}$/);
      assert.ok(sent.gasUsed > 0n && sent.gasUsed <= sent.gasWanted);

      // "auto": simulate × 1.4, priced at the minimum gas price, rounded up.
      const raw = decodeTxRaw((await client.getTx(sent.transactionHash))!.tx);
      const fee = raw.authInfo.fee!;
      assert.equal(fee.gasLimit, sent.gasWanted);
      const expectedFee = (fee.gasLimit * 25n + 999n) / 1000n;
      assert.deepEqual(fee.amount, [{ denom: BOND_DENOM, amount: expectedFee.toString() }]);
      assert.equal(raw.body.memo, "devnet test");

      const after = await client.getBalance(alice.address, BOND_DENOM);
      assert.equal(BigInt(before.amount) - BigInt(after.amount), 1234567n + expectedFee);
      assert.deepEqual(await client.getBalance(stranger.address, BOND_DENOM), {
        denom: BOND_DENOM,
        amount: "1234567",
      });
      assert.equal((await client.getSequence(alice.address)).sequence, 1);

      const tx = await client.getTx(sent.transactionHash);
      assert.ok(tx);
      assert.equal(tx.hash, sent.transactionHash);
      assert.equal(tx.height, sent.height);
      assert.equal(tx.code, 0);
      assert.equal(txHashHex(tx.tx), sent.transactionHash);
      // The fee's transfer to the fee collector comes first, then the send's.
      const transfers = tx.events.filter((e) => e.type === "transfer");
      assert.equal(transfers.length, 2);
      assert.deepEqual(transfers[1]!.attributes.slice(0, 3), [
        { key: "recipient", value: stranger.address },
        { key: "sender", value: alice.address },
        { key: "amount", value: `1234567${BOND_DENOM}` },
      ]);

      const bySender = await client.searchTx([{ key: "message.sender", value: alice.address }]);
      assert.deepEqual(
        bySender.map((t) => t.hash),
        [sent.transactionHash],
      );
      const byRecipient = await client.searchTx(`transfer.recipient='${stranger.address}'`);
      assert.deepEqual(
        byRecipient.map((t) => t.hash),
        [sent.transactionHash],
      );
      const byHeight = await client.searchTx([{ key: "tx.height", value: sent.height }]);
      assert.ok(byHeight.some((t) => t.hash === sent.transactionHash));
      assert.ok(byHeight.every((t) => t.height === sent.height));
      assert.deepEqual(await client.searchTx(`transfer.recipient='${carol.address}'`), []);
    } finally {
      client.disconnect();
    }
  });
});

describe("@cosmjs/tendermint-rpc Comet38Client", () => {
  test("status, block, blockResults and txSearch agree on a tx's block", async () => {
    const tx = await signed(dave, {}, sendMsg(dave.address, carol.address, "77"));
    const hash = txHashHex(tx);
    assert.equal((await broadcastSync(tx)).body.result.code, 0);
    const found = await included(hash);
    const height = Number(found.height);

    const client = await Comet38Client.connect(devnet.rpcUrl);
    try {
      const status = await client.status();
      assert.equal(status.nodeInfo.network, DEVNET_CHAIN_ID);
      assert.match(status.nodeInfo.version, /^0\.38\./);
      assert.ok(status.syncInfo.latestBlockHeight >= height);
      assert.equal(status.syncInfo.catchingUp, false);
      assert.equal(status.validatorInfo.votingPower, 10n);

      const block = await client.block(height);
      assert.equal(block.block.header.chainId, DEVNET_CHAIN_ID);
      assert.equal(block.block.header.height, height);
      assert.equal(block.block.txs.length, 1);
      assert.equal(txHashHex(block.block.txs[0]!), hash);
      assert.deepEqual(block.block.header.proposerAddress, status.validatorInfo.address);
      const previous = await client.block(height - 1);
      assert.deepEqual(block.block.header.lastBlockId?.hash, previous.blockId.hash);

      const results = await client.blockResults(height);
      assert.equal(results.height, height);
      assert.equal(results.results.length, 1);
      assert.equal(results.results[0]!.code, 0);
      assert.ok(results.results[0]!.gasUsed > 0n);
      assert.ok(results.results[0]!.events.some((e) => e.type === "transfer"));
      // The app hash after this block (block_results, base64) is in the next block's header (hex).
      const raw = await rpcCall(devnet.rpcUrl, "block_results", { height: String(height) });
      // That next block may come a moment later (under CometBFT it does): wait for it.
      const next = await waitFor(
        () => client.block(height + 1).catch(() => undefined),
        `block ${height + 1}`,
      );
      assert.deepEqual(next.block.header.appHash, new Uint8Array(Buffer.from(raw.app_hash, "base64")));

      const search = await client.txSearch({ query: `tx.hash='${hash}'` });
      assert.equal(search.totalCount, 1);
      assert.equal(search.txs[0]!.height, height);
      assert.equal(search.txs[0]!.result.code, 0);
      const bySender = await client.txSearch({ query: `message.sender='${dave.address}'`, order_by: "desc" });
      assert.equal(toHex(bySender.txs[0]!.hash).toUpperCase(), hash);
      const range = await client.txSearch({ query: `tx.height>=${height} AND tx.height<=${height}` });
      assert.deepEqual(
        range.txs.map((t) => toHex(t.hash).toUpperCase()),
        [hash],
      );
    } finally {
      client.disconnect();
    }
  });

  test("websocket: subscribeNewBlock and subscribeTx", async () => {
    const ws = await Comet38Client.connect(devnet.rpcUrl.replace(/^http/, "ws"));
    try {
      const start = (await ws.status()).syncInfo.latestBlockHeight;
      const newBlock = firstEvent<comet38.NewBlockEvent>(ws.subscribeNewBlock(), (b) => b.txs.length > 0);
      const txEvent = firstEvent<comet38.TxEvent>(ws.subscribeTx(`message.sender='${carol.address}'`));
      // The node handles a subscribe as soon as it reads it, so an answer to a request sent after both on the
      // same socket means both subscriptions are in place before the tx is broadcast.
      await ws.status();
      const tx = await signed(carol, {}, sendMsg(carol.address, dave.address, "5"));
      const hash = txHashHex(tx);
      assert.equal((await broadcastSync(tx)).body.result.code, 0);

      const event = await txEvent;
      committed.push(hash);
      assert.equal(toHex(event.hash).toUpperCase(), hash);
      assert.deepEqual(event.tx, tx);
      assert.ok(event.height > start);
      assert.equal(event.result.code, 0);
      assert.ok(event.result.events.some((e) => e.type === "transfer"));

      const block = await newBlock;
      assert.equal(block.header.height, event.height);
      assert.equal(block.header.chainId, DEVNET_CHAIN_ID);
      assert.deepEqual(block.txs, [tx]);
    } finally {
      await disconnectForGood(ws);
    }
  });
});

describe("REST (gRPC-gateway JSON)", () => {
  test("bank balances and auth accounts", async () => {
    const balances = await getJson(`${devnet.restUrl}/cosmos/bank/v1beta1/balances/${frank.address}`);
    assert.equal(balances.status, 200);
    assert.deepEqual(balances.body, {
      balances: [
        { denom: USDC_DENOM, amount: DEV_ACCOUNT_BALANCE[USDC_DENOM].toString() },
        { denom: BOND_DENOM, amount: DEV_ACCOUNT_BALANCE[BOND_DENOM].toString() },
        { denom: DISABLED_DENOM, amount: "100" },
      ],
      pagination: { next_key: null, total: "3" },
    });

    // frank has never signed: no public key yet
    const fresh = await getJson(`${devnet.restUrl}/cosmos/auth/v1beta1/accounts/${frank.address}`);
    assert.equal(fresh.status, 200);
    assert.deepEqual(fresh.body, {
      account: {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        address: frank.address,
        pub_key: null,
        account_number: "5",
        sequence: "0",
      },
    });
    const used = await getJson(`${devnet.restUrl}/cosmos/auth/v1beta1/accounts/${dave.address}`);
    assert.equal(used.body.account["@type"], "/cosmos.auth.v1beta1.BaseAccount");
    assert.deepEqual(used.body.account.pub_key, {
      "@type": "/cosmos.crypto.secp256k1.PubKey",
      key: b64(dave.pubkey),
    });
    assert.equal(used.body.account.account_number, "3");
    assert.ok(Number(used.body.account.sequence) >= 1);

    const missing = await getJson(`${devnet.restUrl}/cosmos/auth/v1beta1/accounts/${never.address}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 5);
    assert.match(missing.body.message, /account .* not found/);
  });

  test("simulate, broadcast and get a tx", async () => {
    const tx = await signed(dave, {}, sendMsg(dave.address, stranger.address, "42"));
    const simulated = await postJson(`${devnet.restUrl}/cosmos/tx/v1beta1/simulate`, { tx_bytes: b64(tx) });
    assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
    const gasUsed = Number(simulated.body.gas_info.gas_used);
    assert.ok(gasUsed > 0 && gasUsed < 200_000);
    assert.ok(simulated.body.result.events.some((e: Wire) => e.type === "transfer"));

    const sent = await postJson(`${devnet.restUrl}/cosmos/tx/v1beta1/txs`, {
      tx_bytes: b64(tx),
      mode: "BROADCAST_MODE_SYNC",
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.tx_response.code, 0, sent.body.tx_response.raw_log);
    const hash = txHashHex(tx);
    assert.equal(sent.body.tx_response.txhash, hash);
    const found = await included(hash);

    const got = await getJson(`${devnet.restUrl}/cosmos/tx/v1beta1/txs/${hash}`);
    assert.equal(got.status, 200, JSON.stringify(got.body));
    const r = got.body.tx_response;
    assert.equal(r.txhash, hash);
    assert.equal(r.height, found.height);
    assert.equal(r.code, 0);
    assert.equal(r.gas_used, found.tx_result.gas_used);
    assert.equal(r.tx["@type"], "/cosmos.tx.v1beta1.Tx");
    assert.match(r.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(got.body.tx.body.messages, [
      {
        "@type": "/cosmos.bank.v1beta1.MsgSend",
        from_address: dave.address,
        to_address: stranger.address,
        amount: [{ denom: BOND_DENOM, amount: "42" }],
      },
    ]);
    assert.equal(got.body.tx.auth_info.fee.gas_limit, "200000");

    const unknown = await getJson(`${devnet.restUrl}/cosmos/tx/v1beta1/txs/${"AB".repeat(32)}`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.message, /tx not found/);
  });

  test("tendermint service: latest block and node info", async () => {
    const status = await rpcCall(devnet.rpcUrl, "status");
    const latest = await getJson(`${devnet.restUrl}/cosmos/base/tendermint/v1beta1/blocks/latest`);
    assert.equal(latest.status, 200);
    const header = latest.body.block.header;
    assert.equal(header.chain_id, DEVNET_CHAIN_ID);
    assert.ok(Number(header.height) >= Number(status.sync_info.latest_block_height));
    assert.equal(latest.body.sdk_block.header.chain_id, DEVNET_CHAIN_ID);
    assert.match(latest.body.sdk_block.header.proposer_address, /^akashvalcons1/);
    // gRPC-gateway renders bytes in base64, CometBFT's RPC in hex.
    if (header.height === status.sync_info.latest_block_height) {
      assert.equal(
        Buffer.from(latest.body.block_id.hash, "base64").toString("hex").toUpperCase(),
        status.sync_info.latest_block_hash,
      );
    }

    const info = await getJson(`${devnet.restUrl}/cosmos/base/tendermint/v1beta1/node_info`);
    assert.equal(info.status, 200);
    assert.equal(info.body.default_node_info.network, DEVNET_CHAIN_ID);
    assert.match(info.body.default_node_info.version, /^0\.38\./);
    assert.equal(info.body.default_node_info.default_node_id, status.node_info.id);
    assert.equal(typeof info.body.application_version.version, "string");
  });

  test("POST /faucet sends from the faucet account and never mints", async () => {
    const supplyOf = async (denom: string) =>
      BigInt(
        (
          await getJson(
            `${devnet.restUrl}/cosmos/bank/v1beta1/supply/by_denom?denom=${encodeURIComponent(denom)}`,
          )
        ).body.amount.amount,
      );
    const [aktSupply, usdcSupply] = [await supplyOf(BOND_DENOM), await supplyOf(USDC_DENOM)];
    const faucetAkt = BigInt((await reader.getBalance(faucet.address, BOND_DENOM)).amount);
    const faucetUsdc = BigInt((await reader.getBalance(faucet.address, USDC_DENOM)).amount);
    const recipient = stranger.address;
    const before = await reader.getAllBalances(recipient);

    const res = await postJson(`${devnet.restUrl}/faucet`, { address: recipient, amount: "5akt,7usdc" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.address, recipient);
    assert.match(res.body.hash, /^[0-9A-F]{64}$/);
    committed.push(res.body.hash);
    const tx = await getJson(`${devnet.restUrl}/cosmos/tx/v1beta1/txs/${res.body.hash}`);
    assert.equal(tx.body.tx_response.code, 0);
    assert.equal(tx.body.tx.body.messages[0].from_address, faucet.address);
    const fee = tx.body.tx.auth_info.fee.amount as { denom: string; amount: string }[];
    assert.equal(fee.length, 1);
    assert.equal(fee[0]!.denom, BOND_DENOM);

    assert.equal(
      BigInt((await reader.getBalance(faucet.address, BOND_DENOM)).amount),
      faucetAkt - 5_000_000n - BigInt(fee[0]!.amount),
    );
    assert.equal(
      BigInt((await reader.getBalance(faucet.address, USDC_DENOM)).amount),
      faucetUsdc - 7_000_000n,
    );
    const amountOf = (coins: readonly { denom: string; amount: string }[], denom: string) =>
      BigInt(coins.find((c) => c.denom === denom)?.amount ?? "0");
    const afterBalances = await reader.getAllBalances(recipient);
    assert.equal(amountOf(afterBalances, BOND_DENOM), amountOf(before, BOND_DENOM) + 5_000_000n);
    assert.equal(amountOf(afterBalances, USDC_DENOM), amountOf(before, USDC_DENOM) + 7_000_000n);
    assert.equal(await supplyOf(BOND_DENOM), aktSupply, "fees are collected, not burnt; nothing is minted");
    assert.equal(await supplyOf(USDC_DENOM), usdcSupply);

    const bad = await postJson(`${devnet.restUrl}/faucet`, { address: "akash1nope" });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /must be an akash1… address/);
  });
});

describe("rejections through broadcast_tx_sync", () => {
  /** Asserts CheckTx's verdict as CometBFT's broadcast_tx_sync reports it, and that state did not move. */
  async function rejected(tx: Uint8Array, code: number, log: RegExp, from = bob, codespace = "sdk") {
    const before = await accountOf(from.address);
    const balance = await reader.getBalance(from.address, BOND_DENOM);
    const { status, body } = await broadcastSync(tx);
    assert.equal(status, 200);
    assert.equal(body.error, undefined, JSON.stringify(body.error));
    const r = body.result;
    assert.equal(r.code, code, `expected code ${code}, got ${r.code}: ${r.log}`);
    assert.equal(r.codespace, codespace);
    assert.match(r.log, log);
    assert.equal(r.hash, txHashHex(tx));
    assert.equal(r.data, "");
    // Not in the mempool, never in a block, nothing charged.
    const pending = await rpcCall(devnet.rpcUrl, "unconfirmed_txs", { limit: "100" });
    assert.ok(!(pending.txs as string[]).includes(b64(tx)));
    assert.deepEqual(await accountOf(from.address), before);
    assert.deepEqual(await reader.getBalance(from.address, BOND_DENOM), balance);
    const lookup = await rpcPost(devnet.rpcUrl, "tx", { hash: b64(fromHex(r.hash)) });
    assert.match(lookup.body.error?.data ?? "", /not found/);
    return r;
  }

  test("malformed bytes: tx parse error (2)", async () => {
    await rejected(Uint8Array.of(0xff, 0x01, 0x02), 2, /tx parse error/);
  });

  test("unknown message type URL: tx parse error (2)", async () => {
    const raw = TxRaw.decode(await signed(bob));
    const body = Buffer.from(raw.bodyBytes)
      .toString("latin1")
      .replace("/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgSenX");
    const bad = TxRaw.encode({ ...raw, bodyBytes: Buffer.from(body, "latin1") }).finish();
    await rejected(bad, 2, /unable to resolve type URL \/cosmos\.bank\.v1beta1\.MsgSenX: tx parse error/);
  });

  test("bad signature: unauthorized (4)", async () => {
    const raw = TxRaw.decode(await signed(bob));
    const sig = Uint8Array.from(raw.signatures[0]!);
    sig[10]! ^= 0xff;
    await rejected(
      TxRaw.encode({ ...raw, signatures: [sig] }).finish(),
      4,
      /^signature verification failed; please verify account number \(1\), sequence \(\d+\) and chain-id \(decloud-dev\): unauthorized$/,
    );
  });

  test("wrong chain-id: unauthorized (4), naming the node's chain id", async () => {
    await rejected(
      await signed(bob, { chainId: "akashnet-2" }),
      4,
      /chain-id \(decloud-dev\): unauthorized$/,
    );
  });

  test("wrong account number: unauthorized (4), naming the right one", async () => {
    await rejected(await signed(bob, { accountNumber: 99n }), 4, /verify account number \(1\)/);
  });

  test("replayed and future sequences: account sequence mismatch (32); the same bytes again: already in cache", async () => {
    const s = await accountOf(bob.address);
    const ok = await signed(bob);
    assert.equal((await broadcastSync(ok)).body.result.code, 0);
    await included(txHashHex(ok));
    await rejected(
      await signed(bob, { sequence: s.sequence, memo: "again" }),
      32,
      new RegExp(
        `^account sequence mismatch, expected ${s.sequence + 1n}, got ${s.sequence}: incorrect account sequence$`,
      ),
    );
    await rejected(
      await signed(bob, { sequence: s.sequence + 5n }),
      32,
      new RegExp(`expected ${s.sequence + 1n}, got ${s.sequence + 5n}: incorrect account sequence$`),
    );
    // The committed tx's own bytes never reach the app: the mempool's cache refuses them, which CometBFT
    // reports as a JSON-RPC error rather than a CheckTx result.
    const replay = await broadcastSync(ok);
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body.error, {
      code: -32603,
      message: "Internal error",
      data: "tx already exists in cache",
    });
  });

  test("fee below the minimum gas price: insufficient fee (13)", async () => {
    await rejected(
      await signed(bob, { fee: [] }),
      13,
      /^insufficient fees; got: {2}required: 5000uakt: insufficient fee$/,
    );
    await rejected(
      await signed(bob, { fee: [{ denom: BOND_DENOM, amount: "4999" }] }),
      13,
      /^insufficient fees; got: 4999uakt required: 5000uakt: insufficient fee$/,
    );
  });

  test("gas limit too low: out of gas (11)", async () => {
    await rejected(
      await signed(bob, { gas: 1000n, fee: [{ denom: BOND_DENOM, amount: "25" }] }),
      11,
      /out of gas in location: .*; gasWanted: 1000, gasUsed: \d+: out of gas$/,
    );
  });

  test("oversized tx: refused by the RPC server before the mempool, as CometBFT's max_body_bytes does", async () => {
    // CometBFT's mempool takes txs up to max_tx_bytes (1 MiB), but a JSON-RPC request body is limited to
    // max_body_bytes (1,000,000): a tx over ~750 kB cannot even be read. The answer is CometBFT's.
    const tx = new Uint8Array(1024 * 1024 + 1);
    const res = await broadcastSync(tx);
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, -32600);
    assert.equal(res.body.error?.message, "Invalid Request");
    assert.equal(res.body.error?.data, "error reading request body: http: request body too large");
    assert.equal(res.body.result, undefined);
  });

  test("memo too long: memo too large (12)", async () => {
    await rejected(
      await signed(bob, { memo: "x".repeat(257) }),
      12,
      /^maximum number of characters is 256 but received 257 characters: memo too large$/,
    );
  });

  test("expired timeout height: tx timeout height (30)", async () => {
    await rejected(await signed(bob, { timeoutHeight: 1n }), 30, /timeout height: 1: tx timeout height$/);
  });

  test("invalid recipient address: invalid address (7)", async () => {
    await rejected(
      await signed(bob, {}, sendMsg(bob.address, "akash1notanaddress", "1")),
      7,
      /invalid recipient address/,
    );
    await rejected(
      await signed(bob, {}, sendMsg(bob.address, "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "1")),
      7,
      /expected akash/,
    );
  });

  test("fee payer who cannot pay the fee: insufficient funds (5) in CheckTx", async () => {
    await rejected(
      await signed(
        poor,
        { fee: [{ denom: BOND_DENOM, amount: "10000" }], gas: 400_000n },
        sendMsg(poor.address, bob.address, "1"),
      ),
      5,
      /failed to deduct fees/,
      poor,
    );
  });

  test("a signer that never received funds: unknown address (9)", async () => {
    const tx = await signTx(never, [sendMsg(never.address, bob.address, "1")], {
      chainId: DEVNET_CHAIN_ID,
      accountNumber: 0n,
      sequence: 0n,
    });
    const { body } = await broadcastSync(tx);
    assert.equal(body.result.code, 9, body.result.log);
    assert.equal(body.result.codespace, "sdk");
    assert.match(body.result.log, /does not exist: unknown address$/);
    assert.equal(await reader.getAccount(never.address), null);
  });

  test("insufficient funds for the send: accepted by CheckTx, fails in the block with code 5, fee kept", async () => {
    const before = await accountOf(bob.address);
    const balance = BigInt((await reader.getBalance(bob.address, BOND_DENOM)).amount);
    const tx = await signed(bob, {}, sendMsg(bob.address, alice.address, (balance * 2n).toString()));
    const sync = (await broadcastSync(tx)).body.result;
    assert.equal(sync.code, 0, sync.log);
    const result = await included(txHashHex(tx));
    assert.equal(result.tx_result.code, 5);
    assert.equal(result.tx_result.codespace, "sdk");
    assert.match(
      result.tx_result.log,
      /spendable balance \d+uakt is smaller than \d+uakt: insufficient funds$/,
    );
    assert.equal((await accountOf(bob.address)).sequence, before.sequence + 1n, "the sequence is bumped");
    assert.equal(
      BigInt((await reader.getBalance(bob.address, BOND_DENOM)).amount),
      balance - 5000n,
      "the fee is kept",
    );
    // Failed txs are indexed like the others.
    const search = await rpcCall(devnet.rpcUrl, "tx_search", { query: `tx.hash='${txHashHex(tx)}'` });
    assert.equal(search.total_count, "1");
  });

  test("out of gas while running the messages: fails in the block with code 11, fee kept", async () => {
    const balance = BigInt((await reader.getBalance(bob.address, BOND_DENOM)).amount);
    const probe = await signed(bob, {}, sendMsg(bob.address, carol.address, "1"));
    const sim = await postJson(`${devnet.restUrl}/cosmos/tx/v1beta1/simulate`, { tx_bytes: b64(probe) });
    const needed = BigInt(sim.body.gas_info.gas_used);
    const tx = await signed(
      bob,
      { gas: needed - 1500n, fee: [{ denom: BOND_DENOM, amount: "1000" }] },
      sendMsg(bob.address, carol.address, "1"),
    );
    assert.equal((await broadcastSync(tx)).body.result.code, 0);
    const result = await included(txHashHex(tx));
    assert.equal(result.tx_result.code, 11);
    assert.match(result.tx_result.log, /out of gas/);
    assert.equal(BigInt((await reader.getBalance(bob.address, BOND_DENOM)).amount), balance - 1000n);
  });

  test("send-disabled denom: accepted by CheckTx, fails in the block with bank code 5", async () => {
    const tx = await signed(frank, {}, sendMsg(frank.address, bob.address, "5", DISABLED_DENOM));
    const sync = (await broadcastSync(tx)).body.result;
    assert.equal(sync.code, 0, sync.log);
    const result = await included(txHashHex(tx));
    assert.equal(result.tx_result.code, 5);
    assert.equal(result.tx_result.codespace, "bank");
    assert.match(result.tx_result.log, /udisabled transfers are currently disabled/);
    assert.deepEqual(await reader.getBalance(frank.address, DISABLED_DENOM), {
      denom: DISABLED_DENOM,
      amount: "100",
    });
  });
});

describe("restart", () => {
  test("a graceful stop and start on the same home: same height and app hash, every tx still found", async () => {
    assert.ok(committed.length >= 8, `txs committed so far: ${committed.length}`);
    const before = await settled();
    const balances = await Promise.all(accounts.map((a) => reader.getAllBalances(a.address)));
    const header = (await rpcCall(devnet.rpcUrl, "block", { height: before.height })).block.header;
    reader.disconnect();
    await devnet.stop();

    devnet = await startDevnet();
    assert.equal(devnet.resumed, true);
    reader = await StargateClient.connect(devnet.rpcUrl);
    const status = await rpcCall(devnet.rpcUrl, "status");
    assert.equal(status.sync_info.latest_block_height, before.height);
    assert.equal(status.sync_info.latest_app_hash, before.appHash);
    const info = await rpcCall(devnet.rpcUrl, "abci_info");
    assert.equal(info.response.last_block_height, before.height);
    assert.equal(
      toHex(Buffer.from(info.response.last_block_app_hash, "base64")).toUpperCase(),
      before.appHash,
    );
    assert.deepEqual((await rpcCall(devnet.rpcUrl, "block", { height: before.height })).block.header, header);
    assert.deepEqual(await Promise.all(accounts.map((a) => reader.getAllBalances(a.address))), balances);

    for (const hash of committed) {
      const byHash = await rpcCall(devnet.rpcUrl, "tx", { hash: b64(fromHex(hash)) });
      assert.equal(byHash.hash, hash);
      const search = await rpcCall(devnet.rpcUrl, "tx_search", { query: `tx.hash='${hash}'` });
      assert.equal(search.total_count, "1", hash);
      assert.equal(search.txs[0].height, byHash.height);
    }

    // And the chain goes on from there.
    const client = await signer();
    try {
      const sent = await client.sendTokens(
        alice.address,
        carol.address,
        [{ denom: BOND_DENOM, amount: "1" }],
        "auto",
      );
      assert.equal(sent.code, 0);
      assert.ok(sent.height > Number(before.height));
    } finally {
      client.disconnect();
    }
  });
});
