// The solo node under the real DeCloud app, driven by the clients dApps use: @cosmjs/stargate's
// StargateClient and SigningStargateClient, and Comet38Client's tx subscription. The same node, test helpers
// and RPC as the KV-app tests; only the app differs.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { createApp } from "../app/app.js";
import { BECH32_PREFIX, BOND_DENOM, DEVNET_CHAIN_ID } from "../params/chain.js";
import { buildDevnetAppState, DEV_MNEMONIC, devHdPath, getDevAccounts } from "../params/devnet.js";
import { disconnectForGood } from "./testing/rpc-client.js";
import { startTestNode, type TestNode } from "./testing/test-node.js";

describe("StargateClient and SigningStargateClient against the solo node running the DeCloud app", () => {
  let dir: string;
  let tn: TestNode;
  let closeApp: () => Promise<void>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "decloud-stargate-"));
    const created = await createApp({ dataDir: join(dir, "app"), chainId: DEVNET_CHAIN_ID });
    closeApp = created.close;
    tn = await startTestNode({
      app: created.app,
      home: join(dir, "node"),
      chainId: DEVNET_CHAIN_ID,
      appState: await buildDevnetAppState(),
    });
  });

  after(async () => {
    await tn?.stop();
    await closeApp?.();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads chain id, height, accounts and balances", async () => {
    const client = await StargateClient.connect(tn.rpcUrl);
    try {
      const [alice] = await getDevAccounts();
      assert.equal(await client.getChainId(), DEVNET_CHAIN_ID);
      assert.ok((await client.getHeight()) >= 1);
      const account = await client.getAccount(alice!.address);
      assert.equal(account?.address, alice!.address);
      const balance = await client.getBalance(alice!.address, BOND_DENOM);
      assert.ok(BigInt(balance.amount) > 0n);
      const all = await client.getAllBalances(alice!.address);
      assert.ok(all.length >= 2);
      const block = await client.getBlock();
      assert.equal(block.header.chainId, DEVNET_CHAIN_ID);
    } finally {
      client.disconnect();
    }
  });

  it("sends tokens with an auto fee; getTx, searchTx and a Tx subscription see the tx", async () => {
    const [alice, bob] = await getDevAccounts();
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, {
      prefix: BECH32_PREFIX,
      hdPaths: [stringToPath(devHdPath(0))],
    });
    const signer = await SigningStargateClient.connectWithSigner(tn.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString(`0.025${BOND_DENOM}`),
      broadcastPollIntervalMs: 50,
    });
    const ws = await Comet38Client.connect(tn.rpcUrl.replace(/^http/, "ws"));
    try {
      const events = ws.subscribeTx(`transfer.recipient='${bob!.address}'`);
      const seen = new Promise<{ height: number }>((resolve, reject) => {
        events.addListener({ next: resolve, error: reject, complete: () => undefined });
      });
      await new Promise((r) => setTimeout(r, 100));
      const before = BigInt((await signer.getBalance(bob!.address, BOND_DENOM)).amount);
      const res = await signer.sendTokens(
        alice!.address,
        bob!.address,
        [{ denom: BOND_DENOM, amount: "1234" }],
        "auto",
      );
      assert.equal(res.code, 0, res.rawLog);
      const after = BigInt((await signer.getBalance(bob!.address, BOND_DENOM)).amount);
      assert.equal(after - before, 1234n);
      const tx = await signer.getTx(res.transactionHash);
      assert.equal(tx?.height, res.height);
      const found = await signer.searchTx(`message.sender='${alice!.address}'`);
      assert.ok(found.some((t) => t.hash === res.transactionHash));
      assert.equal((await seen).height, res.height);
    } finally {
      signer.disconnect();
      await disconnectForGood(ws);
    }
  });
});
