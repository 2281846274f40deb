// The client SDK and the CLI against a real node: the DeCloud app driven by the solo node, with the devnet
// genesis, over CometBFT RPC on a free port. (The CLI's folder may import every layer; the client's may not.)
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createApp } from "../app/app.js";
import { connect, connectWithSigner, type PublicClient } from "../client/connect.js";
import { importDevAccounts } from "../client/dev-accounts.js";
import {
  ChainIdMismatchError,
  InsufficientFundsError,
  TxFailedError,
  TxNotFoundError,
} from "../client/errors.js";
import { Keyring } from "../client/keyring.js";
import { sendTokens } from "../client/modules/bank/messages.js";
import { getBalance, getBalances } from "../client/modules/bank/queries.js";
import { getStatus } from "../client/node.js";
import { getTx, type TxProgress } from "../client/tx.js";
import { startTestNode, type TestNode } from "../node/testing/test-node.js";
import { BOND_DENOM, DEVNET_CHAIN_ID, USDC_DENOM } from "../params/chain.js";
import { buildDevnetAppState, getDevAccounts } from "../params/devnet.js";
import type { CliIO } from "./io.js";
import { run } from "./program.js";

let dir: string;
let node: TestNode;
let closeApp: () => Promise<void>;
let keyring: Keyring;
let home: string;
let reader: PublicClient;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "decloud-chain-"));
  const created = await createApp({ dataDir: join(dir, "app"), chainId: DEVNET_CHAIN_ID });
  closeApp = created.close;
  node = await startTestNode({
    app: created.app,
    home: join(dir, "node"),
    chainId: DEVNET_CHAIN_ID,
    appState: await buildDevnetAppState(),
  });
  home = join(dir, "home");
  keyring = new Keyring({ home, backend: "test" });
  await importDevAccounts(keyring);
  reader = await connect(node.rpcUrl);
});

after(async () => {
  reader?.disconnect();
  await node?.stop();
  await closeApp?.();
  await rm(dir, { recursive: true, force: true });
});

async function walletOf(name: string) {
  return connectWithSigner(node.rpcUrl, await keyring.getSigner(name));
}

describe("client SDK against a node", () => {
  test("status and genesis balances", async () => {
    assert.equal(reader.chainId, DEVNET_CHAIN_ID);
    const status = await getStatus(reader);
    assert.equal(status.chainId, DEVNET_CHAIN_ID);
    assert.ok(status.latestBlockHeight >= 1);
    assert.match(status.version, /^0\.38\./);
    assert.equal(status.catchingUp, false);

    const [, , carol] = await getDevAccounts();
    assert.deepEqual(await getBalances(reader, { address: carol!.address }), [
      { denom: USDC_DENOM, amount: "100000000000" },
      { denom: BOND_DENOM, amount: "1000000000000" },
    ]);
  });

  test("sendTokens with gas auto: progress, inclusion, balances, getTx", async () => {
    const { key } = await keyring.add("fresh");
    const alice = (await keyring.show("alice")).address;
    const wallet = await walletOf("alice");
    const stages: TxProgress["stage"][] = [];
    const result = await sendTokens(wallet, {
      from: alice,
      to: key.address,
      amount: [{ denom: BOND_DENOM, amount: "5000000" }],
      memo: "hello",
      onProgress: (p) => stages.push(p.stage),
    });
    wallet.disconnect();
    assert.deepEqual(stages, ["estimating", "broadcasting", "including"]);
    assert.match(result.hash, /^[0-9A-F]{64}$/);
    assert.ok(result.height > 1);
    assert.ok(Number(result.gasUsed) <= Number(result.gasWanted));
    assert.deepEqual(await getBalance(reader, { address: key.address, denom: BOND_DENOM }), {
      denom: BOND_DENOM,
      amount: "5000000",
    });

    const tx = await getTx(reader, { hash: result.hash.toLowerCase() });
    assert.equal(tx.code, 0);
    assert.equal(tx.height, result.height);
    assert.equal(tx.memo, "hello");
    assert.equal(tx.messages[0]!.typeUrl, "/cosmos.bank.v1beta1.MsgSend");
    assert.deepEqual((tx.messages[0]!.value as { toAddress: string }).toAddress, key.address);
    assert.ok(tx.events.some((e) => e.type === "transfer"));
  });

  test("insufficient funds: says how much is missing and, on the devnet, how to get it", async () => {
    const [, , , , , , , heidi] = await getDevAccounts();
    const wallet = await walletOf("heidi");
    await assert.rejects(
      sendTokens(wallet, {
        from: heidi!.address,
        fromLabel: "heidi",
        to: heidi!.address,
        amount: [{ denom: BOND_DENOM, amount: "1000001000000" }],
      }),
      (e: unknown) => {
        assert.ok(e instanceof InsufficientFundsError);
        assert.match(e.message, /^heidi has 1,000,000 AKT; sending 1,000,001 AKT needs 1 AKT more\.$/);
        assert.equal(e.hint, `On the devnet, fund it with: decloud faucet ${heidi!.address}`);
        return true;
      },
    );
    wallet.disconnect();
  });

  test("a fee below the minimum is rejected at broadcast, with the hash and a hint", async () => {
    const [, , , , , , , , ivan, judy] = await getDevAccounts();
    const wallet = await walletOf("ivan");
    await assert.rejects(
      sendTokens(wallet, {
        from: ivan!.address,
        to: judy!.address,
        amount: [{ denom: BOND_DENOM, amount: "1" }],
        gas: 200_000,
        fees: [{ denom: BOND_DENOM, amount: "1" }],
      }),
      (e: unknown) => {
        assert.ok(e instanceof TxFailedError);
        assert.equal(e.code, 13);
        assert.equal(e.height, undefined);
        assert.match(e.hash, /^[0-9A-F]{64}$/);
        assert.match(e.hint!, /--fees/);
        return true;
      },
    );
    wallet.disconnect();
  });

  test("unknown tx and wrong chain id", async () => {
    await assert.rejects(getTx(reader, { hash: "AB".repeat(32) }), TxNotFoundError);
    await assert.rejects(getTx(reader, { hash: "xyz" }), /not a transaction hash/);
    await assert.rejects(connect(node.rpcUrl, { chainId: "akashnet-2" }), ChainIdMismatchError);
  });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
    },
    stdin: { async *[Symbol.asyncIterator]() {} },
    env: {},
  };
  const code = await run(["--home", home, "--node", node.rpcUrl, ...args], io);
  return { code, stdout, stderr };
}

describe("CLI against a node", () => {
  test("status, send, balances, query tx", async () => {
    const status = await cli(["status", "--json"]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).chain_id, DEVNET_CHAIN_ID);

    // The devnet home holds only a test keyring, so no --keyring-backend is needed.
    const sent = await cli(["tx", "bank", "send", "bob", "dave", "1.5akt,2usdc", "--json"]);
    assert.equal(sent.code, 0, sent.stderr);
    const tx = JSON.parse(sent.stdout);
    assert.match(tx.hash, /^[0-9A-F]{64}$/);
    assert.deepEqual(tx.amount, [
      { denom: USDC_DENOM, amount: "2000000" },
      { denom: BOND_DENOM, amount: "1500000" },
    ]);

    const human = await cli([
      "tx",
      "bank",
      "send",
      "--from",
      "bob",
      "dave",
      "1akt",
      "--gas",
      "150000",
      "--memo",
      "m",
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stderr, /✔ Sent 1 AKT from bob to dave/);
    assert.match(human.stdout, /block/);

    const balances = await cli(["query", "bank", "balances", "dave", "--json"]);
    const dave = JSON.parse(balances.stdout);
    assert.deepEqual(dave.balances, [
      { denom: USDC_DENOM, amount: "100002000000" },
      { denom: BOND_DENOM, amount: "1000002500000" },
    ]);
    const shown = await cli(["q", "bank", "balances", "dave"]);
    assert.match(shown.stdout, /1,000,002\.5 AKT[\s\S]*100,002 USDC/);

    const queried = await cli(["query", "tx", tx.hash, "--json"]);
    assert.equal(queried.code, 0, queried.stderr);
    const doc = JSON.parse(queried.stdout);
    assert.equal(doc.code, 0);
    assert.equal(doc.messages[0]["@type"], "/cosmos.bank.v1beta1.MsgSend");
    assert.equal(doc.messages[0].to_address, dave.address);
    const text = await cli(["query", "tx", tx.hash]);
    assert.match(text.stdout, /✔ success/);
    assert.match(text.stdout, /send 1\.5 AKT, 2 USDC/);
  });

  test("a send beyond the balance fails with the faucet hint and exit code 1", async () => {
    const r = await cli(["tx", "bank", "send", "eve", "frank", "2000000akt"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /eve has 1,000,000 AKT; sending 2,000,000 AKT needs 1,000,000 AKT more/);
    assert.match(r.stderr, /decloud faucet akash1/);
    assert.equal(r.stdout, "");
  });
});
