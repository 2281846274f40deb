import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createChainNodeSDK } from "@akashnetwork/chain-sdk";
import { fromBech32 } from "@cosmjs/encoding";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  type RequestQuery,
  type ResponseQuery as Res,
  ResponseQuery,
} from "cosmjs-types/tendermint/abci/types";
import { KvApp } from "../testing/kv-app.js";
import { startTestNode, type TestNode } from "../testing/test-node.js";
import { grpcService, restService } from "./index.js";

const CHAIN_ID = "services-test-1";
const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";
const ADDR = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8hrh3z";

/** The KV app, plus a Simulate that reports fixed gas: enough to see REST's simulate reach the app. */
class SimulatingKvApp extends KvApp {
  readonly simulated: Uint8Array[] = [];
  override async query(req: RequestQuery): Promise<Res> {
    if (req.path !== SIMULATE) return super.query(req);
    this.simulated.push(SimulateRequest.decode(req.data).txBytes);
    return ResponseQuery.fromPartial({
      value: SimulateResponse.encode({ gasInfo: { gasWanted: 0n, gasUsed: 42n } }).finish(),
      height: 1n,
    });
  }
}

/**
 * A real Cosmos TxRaw (MsgSend, fee, one signature) whose bytes the KV app also accepts as opaque "key=value"
 * text, thanks to the "=" in its memo — so it gets committed and the tx service can decode it.
 */
function cosmosTx(memo: string): Uint8Array {
  const msg = MsgSend.fromPartial({
    fromAddress: ADDR,
    toAddress: ADDR,
    amount: [{ denom: "uakt", amount: "1000" }],
  });
  return TxRaw.encode({
    bodyBytes: TxBody.encode(
      TxBody.fromPartial({
        messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode(msg).finish() }],
        memo,
      }),
    ).finish(),
    authInfoBytes: AuthInfo.encode(
      AuthInfo.fromPartial({ fee: { amount: [{ denom: "uakt", amount: "5000" }], gasLimit: 200000n } }),
    ).finish(),
    signatures: [new Uint8Array(64).fill(7)],
  }).finish();
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const hashOf = (b: Uint8Array) => createHash("sha256").update(b).digest("hex").toUpperCase();

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field.
type Json = any;

describe("node services: REST and gRPC for the tx and tendermint services", () => {
  let t: TestNode;
  let app: SimulatingKvApp;
  let rest = "";
  let grpcPort = 0;

  before(async () => {
    app = new SimulatingKvApp();
    t = await startTestNode({
      app,
      chainId: CHAIN_ID,
      services: [
        restService({
          port: 0,
          servedPaths: [SIMULATE],
          onListening: (p) => {
            rest = `http://127.0.0.1:${p}`;
          },
          extraRoutes: (server) => {
            server.get("/extra", async () => ({ ok: true }));
          },
        }),
        grpcService({
          port: 0,
          servedPaths: [SIMULATE],
          onListening: (p) => {
            grpcPort = p;
          },
        }),
      ],
    });
  });

  after(() => t.stop());

  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${rest}${path}`);
    return { status: res.status, body: await res.json() };
  };
  const post = async (path: string, body: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${rest}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const broadcast = (tx: Uint8Array, mode: string) =>
    post("/cosmos/tx/v1beta1/txs", { tx_bytes: b64(tx), mode });

  async function committed(hash: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (t.node.blockStore.txByHash(Buffer.from(hash, "hex"))) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`tx ${hash} was not committed`);
  }

  describe("cosmos.tx.v1beta1.Service", () => {
    const tx = cosmosTx("kv=cosmos");
    const hash = hashOf(tx);
    let height = "";

    it("broadcasts in BLOCK mode and answers once the tx is committed", async () => {
      const { status, body } = await broadcast(tx, "BROADCAST_MODE_BLOCK");
      assert.equal(status, 200);
      const r = body.tx_response;
      assert.equal(r.txhash, hash);
      assert.equal(r.code, 0);
      assert.notEqual(r.height, "0");
      assert.equal(r.gas_used, "1");
      assert.ok(r.events.some((e: Json) => e.type === "app"));
      height = r.height;
    });

    it("GetTx: the decoded tx and its TxResponse", async () => {
      const { status, body } = await get(`/cosmos/tx/v1beta1/txs/${hash.toLowerCase()}`);
      assert.equal(status, 200);
      assert.equal(body.tx.body.memo, "kv=cosmos");
      assert.deepEqual(body.tx.body.messages[0], {
        "@type": "/cosmos.bank.v1beta1.MsgSend",
        from_address: ADDR,
        to_address: ADDR,
        amount: [{ denom: "uakt", amount: "1000" }],
      });
      assert.equal(body.tx.auth_info.fee.gas_limit, "200000");
      assert.deepEqual(body.tx.signatures, [b64(new Uint8Array(64).fill(7))]);
      const r = body.tx_response;
      assert.equal(r.txhash, hash);
      assert.equal(r.height, height);
      assert.equal(r.code, 0);
      assert.equal(r.codespace, "");
      assert.equal(r.data, "");
      assert.deepEqual(r.logs, []);
      assert.equal(r.gas_wanted, "1");
      assert.equal(r.gas_used, "1");
      assert.equal(r.tx["@type"], "/cosmos.tx.v1beta1.Tx");
      assert.equal(r.tx.body.memo, "kv=cosmos");
      assert.match(r.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const blockTime = t.node.blockStore.loadBlockMeta(Number(height))!.header.time;
      assert.equal(Date.parse(r.timestamp) / 1000, Number(blockTime.seconds));
      assert.deepEqual(
        r.events.find((e: Json) => e.type === "app").attributes.find((a: Json) => a.key === "creator"),
        { key: "creator", value: "kvstore", index: true },
      );
    });

    it("GetTx: NotFound for an unknown hash, InvalidArgument for one that is not hex", async () => {
      const unknown = "AB".repeat(32);
      const { status, body } = await get(`/cosmos/tx/v1beta1/txs/${unknown}`);
      assert.equal(status, 404);
      assert.deepEqual(body, { code: 5, message: `tx not found: ${unknown}`, details: [] });
      const bad = await get("/cosmos/tx/v1beta1/txs/xyz");
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 3);
    });

    it("GetTx: a committed tx that is not a Cosmos tx fails as the SDK fails (tx parse error)", async () => {
      const kv = new TextEncoder().encode("plain=text");
      const sent = await broadcast(kv, "BROADCAST_MODE_SYNC");
      assert.equal(sent.body.tx_response.code, 0);
      await committed(hashOf(kv));
      const { status, body } = await get(`/cosmos/tx/v1beta1/txs/${hashOf(kv)}`);
      assert.equal(status, 500);
      assert.equal(body.code, 2);
      assert.match(body.message, /tx parse error$/);
      assert.deepEqual(body.details, []);
    });

    it("GetTxsEvent: by query, by legacy events, with paging and order", async () => {
      const q = encodeURIComponent(`app.creator='kvstore' AND tx.height=${height}`);
      const { status, body } = await get(`/cosmos/tx/v1beta1/txs?query=${q}`);
      assert.equal(status, 200);
      assert.equal(body.total, "1");
      assert.equal(body.txs.length, 1);
      assert.equal(body.txs[0].body.memo, "kv=cosmos");
      assert.equal(body.tx_responses[0].txhash, hash);

      const legacy = await get(
        `/cosmos/tx/v1beta1/txs?events=${encodeURIComponent("app.creator='kvstore'")}&events=${encodeURIComponent(`tx.height=${height}`)}&order_by=ORDER_BY_DESC&limit=5`,
      );
      assert.equal(legacy.status, 200);
      assert.equal(legacy.body.tx_responses[0].txhash, hash);

      const none = await get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent("app.key='nothing'")}`);
      assert.equal(none.status, 200);
      assert.deepEqual([none.body.txs, none.body.tx_responses, none.body.total], [[], [], "0"]);

      assert.equal((await get("/cosmos/tx/v1beta1/txs")).status, 400);
      assert.equal((await get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent("a.b ~ 1")}`)).status, 400);
      assert.equal((await get(`/cosmos/tx/v1beta1/txs?query=${q}&page=3`)).status, 400);
    });

    it("GetBlockWithTxs: the block and its decoded txs", async () => {
      const { status, body } = await get(`/cosmos/tx/v1beta1/txs/block/${height}`);
      assert.equal(status, 200);
      assert.equal(body.block.header.height, height);
      assert.equal(body.block.data.txs[0], b64(tx));
      assert.equal(body.txs[0].body.memo, "kv=cosmos");
      assert.equal(body.pagination.total, "1");
      assert.equal(typeof body.block_id.hash, "string");
      const future = await get("/cosmos/tx/v1beta1/txs/block/100000");
      assert.equal(future.status, 400);
    });

    it("TxDecode and TxEncode round-trip the tx bytes", async () => {
      const decoded = await post("/cosmos/tx/v1beta1/decode", { tx_bytes: b64(tx) });
      assert.equal(decoded.status, 200);
      assert.equal(decoded.body.tx.body.memo, "kv=cosmos");
      const encoded = await post("/cosmos/tx/v1beta1/encode", { tx: decoded.body.tx });
      assert.equal(encoded.status, 200);
      assert.equal(encoded.body.tx_bytes, b64(tx));
      const bad = await post("/cosmos/tx/v1beta1/decode", { tx_bytes: b64(new TextEncoder().encode("k=v")) });
      assert.equal(bad.status, 400);
    });

    it("BroadcastTx SYNC: CheckTx's verdict, and the mempool's refusals as SDK codes", async () => {
      const kv = new TextEncoder().encode("sync=1");
      const ok = await broadcast(kv, "BROADCAST_MODE_SYNC");
      assert.equal(ok.status, 200);
      assert.equal(ok.body.tx_response.txhash, hashOf(kv));
      assert.equal(ok.body.tx_response.code, 0);
      assert.equal(ok.body.tx_response.height, "0");
      assert.equal(ok.body.tx_response.gas_wanted, "1");

      const malformed = await broadcast(new TextEncoder().encode("no equals sign"), "BROADCAST_MODE_SYNC");
      assert.equal(malformed.body.tx_response.code, 1);
      assert.equal(malformed.body.tx_response.codespace, "kv");
      assert.equal(malformed.body.tx_response.raw_log, "malformed tx: expected key=value");

      await committed(hashOf(kv));
      const again = await broadcast(kv, "BROADCAST_MODE_SYNC");
      assert.equal(again.body.tx_response.code, 19);
      assert.equal(again.body.tx_response.codespace, "sdk");
    });

    it("BroadcastTx ASYNC returns the hash at once; other modes and empty txs are refused", async () => {
      const kv = new TextEncoder().encode("async=1");
      const res = await broadcast(kv, "BROADCAST_MODE_ASYNC");
      assert.equal(res.status, 200);
      assert.equal(res.body.tx_response.txhash, hashOf(kv));
      assert.equal(res.body.tx_response.code, 0);
      await committed(hashOf(kv));

      const unspecified = await broadcast(new TextEncoder().encode("u=1"), "BROADCAST_MODE_UNSPECIFIED");
      assert.equal(unspecified.status, 400);
      const empty = await post("/cosmos/tx/v1beta1/txs", { mode: "BROADCAST_MODE_SYNC" });
      assert.equal(empty.status, 400);
      assert.deepEqual(empty.body, { code: 3, message: "invalid empty tx", details: [] });
    });

    it("Simulate reaches the app's ABCI query through REST's POST body", async () => {
      const { status, body } = await post("/cosmos/tx/v1beta1/simulate", { tx_bytes: b64(tx) });
      assert.equal(status, 200);
      assert.equal(body.gas_info.gas_used, "42");
      assert.deepEqual(app.simulated.at(-1), tx);
    });
  });

  describe("cosmos.base.tendermint.v1beta1.Service", () => {
    it("GetNodeInfo: the node's p2p info and the app's version", async () => {
      const { status, body } = await get("/cosmos/base/tendermint/v1beta1/node_info");
      assert.equal(status, 200);
      const n = body.default_node_info;
      assert.equal(n.network, CHAIN_ID);
      assert.equal(n.version, "0.38.17");
      assert.match(n.default_node_id, /^[0-9a-f]{40}$/);
      assert.equal(n.other.tx_index, "on");
      assert.equal(n.protocol_version.block, "11");
      assert.equal(body.application_version.name, "decloud");
      assert.equal(body.application_version.app_name, "decloud");
      assert.equal(body.application_version.version, "1.0.0");
      assert.equal(body.application_version.cosmos_sdk_version, "v0.50.x-compatible");
    });

    it("GetSyncing: never syncing", async () => {
      assert.deepEqual((await get("/cosmos/base/tendermint/v1beta1/syncing")).body, { syncing: false });
    });

    it("GetLatestBlock and GetBlockByHeight: block and sdk_block with a bech32 proposer", async () => {
      const latest = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
      assert.equal(latest.status, 200);
      const { block, sdk_block, block_id } = latest.body;
      assert.equal(block.header.chain_id, CHAIN_ID);
      assert.ok(Number(block.header.height) >= 1);
      assert.equal(sdk_block.header.height, block.header.height);
      const proposer = sdk_block.header.proposer_address as string;
      assert.match(proposer, /^akashvalcons1/);
      assert.equal(b64(fromBech32(proposer, 90).data), block.header.proposer_address);
      assert.equal(typeof block_id.hash, "string");

      const first = await get("/cosmos/base/tendermint/v1beta1/blocks/1");
      assert.equal(first.status, 200);
      assert.equal(first.body.block.header.height, "1");
      assert.equal(first.body.sdk_block.header.proposer_address, proposer);

      const future = await get("/cosmos/base/tendermint/v1beta1/blocks/100000");
      assert.equal(future.status, 400);
      assert.equal(future.body.message, "requested block height is bigger then the chain length");
      assert.equal((await get("/cosmos/base/tendermint/v1beta1/blocks/0")).status, 400);
    });

    it("GetLatestValidatorSet and GetValidatorSetByHeight: the solo validator", async () => {
      const { status, body } = await get("/cosmos/base/tendermint/v1beta1/validatorsets/latest");
      assert.equal(status, 200);
      assert.equal(body.validators.length, 1);
      const v = body.validators[0];
      assert.match(v.address, /^akashvalcons1/);
      assert.equal(v.pub_key["@type"], "/cosmos.crypto.ed25519.PubKey");
      assert.equal(Buffer.from(v.pub_key.key, "base64").length, 32);
      assert.equal(v.voting_power, "10");
      assert.equal(body.pagination.total, "1");
      const first = await get("/cosmos/base/tendermint/v1beta1/validatorsets/1");
      assert.equal(first.body.block_height, "1");
      assert.equal(first.body.validators[0].address, v.address);
    });

    it("ABCIQuery: forwards the SDK's non-gRPC paths to the app, refuses gRPC paths", async () => {
      const app = await get(
        `/cosmos/base/tendermint/v1beta1/abci_query?path=${encodeURIComponent("/app/version")}`,
      );
      assert.equal(app.status, 200);
      assert.equal(app.body.code, 6);
      assert.equal(app.body.log, "unknown query path /app/version");
      const grpc = await get(
        `/cosmos/base/tendermint/v1beta1/abci_query?path=${encodeURIComponent("/cosmos.bank.v1beta1.Query/Balance")}`,
      );
      assert.equal(grpc.status, 400);
    });

    it("keeps extra routes and exposes only what the app serves", async () => {
      assert.deepEqual((await get("/extra")).body, { ok: true });
      assert.equal((await get(`/cosmos/bank/v1beta1/balances/${ADDR}`)).status, 404);
    });
  });

  describe("over gRPC with chain-sdk's client", () => {
    const sdk = () => createChainNodeSDK({ query: { baseUrl: `http://127.0.0.1:${grpcPort}` } });

    it("GetNodeInfo", async () => {
      const res = await sdk().cosmos.base.tendermint.v1beta1.getNodeInfo({});
      assert.equal(res.defaultNodeInfo?.network, CHAIN_ID);
      assert.equal(res.applicationVersion?.appName, "decloud");
    });

    it("GetLatestBlock", async () => {
      const res = await sdk().cosmos.base.tendermint.v1beta1.getLatestBlock({});
      assert.equal(res.block?.header?.chainId, CHAIN_ID);
      assert.match(res.sdkBlock?.header?.proposerAddress ?? "", /^akashvalcons1/);
      assert.equal(String(res.sdkBlock?.header?.height), String(res.block?.header?.height));
    });

    it("GetTx for the committed Cosmos tx", async () => {
      const hash = hashOf(cosmosTx("kv=cosmos"));
      const res = await sdk().cosmos.tx.v1beta1.getTx({ hash });
      assert.equal(res.txResponse?.txhash, hash);
      assert.equal(res.tx?.body?.memo, "kv=cosmos");
    });
  });
});
