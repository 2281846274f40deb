// The solo node's RPC driven through the real clients people use: @cosmjs/tendermint-rpc's Comet38Client
// (via connectComet, like StargateClient) over HTTP and websockets, and plain fetch for URI calls.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Comet38Client, connectComet } from "@cosmjs/tendermint-rpc";
import { ed25519 } from "@noble/curves/ed25519.js";
import type { Stream } from "xstream";
import { KvApp } from "../testing/kv-app.js";
import { disconnectForGood, rpcCall, rpcPost, uriGet, type Wire } from "../testing/rpc-client.js";
import { startTestNode, type TestNode } from "../testing/test-node.js";
import { dataHash, headerHash, SignedMsgType, txHash, voteSignBytes } from "../types/hashing.js";
import { rootFromProof } from "../types/merkle.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const hexU = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

// Note: cosmjs's comet38 `hashBlock` is not used as an oracle: it still uses amino-era field encodings and
// does not reproduce CometBFT's own TestHeaderHash vector (which types/hashing.test.ts checks).

/** Rebuilds a header from its RPC JSON, as a light client / relayer does, and hashes it. */
function hashJsonHeader(h: Wire): Uint8Array {
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
  return headerHash({
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? 0) },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: parseTime(h.time),
    lastBlockId: {
      hash: bytes(h.last_block_id.hash),
      partSetHeader: { total: h.last_block_id.parts.total, hash: bytes(h.last_block_id.parts.hash) },
    },
    lastCommitHash: bytes(h.last_commit_hash),
    dataHash: bytes(h.data_hash),
    validatorsHash: bytes(h.validators_hash),
    nextValidatorsHash: bytes(h.next_validators_hash),
    consensusHash: bytes(h.consensus_hash),
    appHash: bytes(h.app_hash),
    lastResultsHash: bytes(h.last_results_hash),
    evidenceHash: bytes(h.evidence_hash),
    proposerAddress: bytes(h.proposer_address),
  });
}

/** The first value of a stream, or a rejection after `ms`. */
function firstOf<T>(stream: Stream<T>, ms = 5000, pred: (t: T) => boolean = () => true): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no event")), ms);
    const listener = {
      next: (v: T) => {
        if (!pred(v)) return;
        clearTimeout(timer);
        stream.removeListener(listener);
        resolve(v);
      },
      error: (e: unknown) => reject(e),
      complete: () => undefined,
    };
    stream.addListener(listener);
  });
}

describe("CometBFT RPC through cosmjs (solo node, KV app)", () => {
  let tn: TestNode;
  let client: Comet38Client;

  before(async () => {
    tn = await startTestNode({ app: new KvApp(), appState: { kv: { genesis: "yes" } } });
    client = await Comet38Client.connect(tn.rpcUrl);
  });

  after(async () => {
    client.disconnect();
    await tn.stop();
  });

  it("is detected as CometBFT 0.38 and reports status like it", async () => {
    const detected = await connectComet(tn.rpcUrl);
    assert.ok(detected instanceof Comet38Client);
    detected.disconnect();
    const status = await client.status();
    assert.equal(status.nodeInfo.network, "test-chain-1");
    assert.match(status.nodeInfo.version, /^0\.38\./);
    assert.equal(status.nodeInfo.id.length, 20);
    assert.ok(status.syncInfo.latestBlockHeight >= 1);
    assert.equal(status.syncInfo.latestAppHash.length, 32);
    assert.equal(status.syncInfo.catchingUp, false);
    assert.equal(status.validatorInfo.pubkey?.algorithm, "ed25519");
    assert.equal(status.validatorInfo.votingPower, 10n);
    assert.equal(await client.health(), null);
  });

  it("broadcasts a tx (sync) and finds it by hash with txSearch and tx", async () => {
    const tx = enc("color=blue");
    const res = await client.broadcastTxSync({ tx });
    assert.equal(res.code, 0);
    assert.deepEqual(res.hash, txHash(tx));
    await tn.node.solo.mine(0); // let the instant-mining block land
    const found = await waitForTx(client, res.hash);
    assert.equal(found.result.code, 0);
    assert.deepEqual(found.tx, tx);
    const appEvent = found.result.events.find((e) => e.type === "app")!;
    assert.deepEqual(
      appEvent.attributes.map((a) => [a.key, a.value]),
      [
        ["key", "color"],
        ["value", "blue"],
        ["creator", "kvstore"],
      ],
    );
    const direct = await client.tx({ hash: res.hash });
    assert.equal(direct.height, found.height);
    assert.equal(direct.index, found.index);
  });

  it("returns the app's CheckTx code and log for a rejected tx", async () => {
    const res = await client.broadcastTxSync({ tx: enc("no-equals-sign") });
    assert.equal(res.code, 1);
    assert.equal(res.codespace, "kv");
    assert.match(res.log ?? "", /malformed/);
  });

  it("rejects a duplicate tx as CometBFT does", async () => {
    const tx = enc("dup=1");
    await client.broadcastTxSync({ tx });
    await assert.rejects(client.broadcastTxSync({ tx }), /tx already exists in cache/);
    const raw = await rpcPost(tn.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
    assert.deepEqual(raw.body.error, {
      code: -32603,
      message: "Internal error",
      data: "tx already exists in cache",
    });
  });

  it("waits for inclusion with broadcastTxCommit", async () => {
    const res = await client.broadcastTxCommit({ tx: enc("committed=yes") });
    assert.equal(res.checkTx.code, 0);
    assert.equal(res.txResult?.code, 0);
    assert.ok(res.height > 0);
    const q = await client.abciQuery({ path: "/key", data: enc("committed") });
    assert.equal(dec(q.value), "yes");
    assert.ok((q.height ?? 0) >= res.height);
  });

  it("answers abci_query and abci_info", async () => {
    const q = await client.abciQuery({ path: "/key", data: enc("genesis") });
    assert.equal(q.code, 0);
    assert.equal(dec(q.value), "yes");
    assert.deepEqual(q.key, enc("genesis"));
    const info = await client.abciInfo();
    assert.equal(info.data, "kvstore");
    assert.ok((info.lastBlockHeight ?? 0) >= 1);
    const bad = await client.abciQuery({ path: "/nope", data: new Uint8Array() });
    assert.equal(bad.code, 6);
  });

  it("serves blocks whose ids, headers and commits agree and verify", async () => {
    await client.broadcastTxCommit({ tx: enc("hashing=1") });
    const latest = (await client.status()).syncInfo.latestBlockHeight;
    const chain = await client.blockchain(1, latest);
    assert.equal(chain.lastHeight, latest);
    assert.deepEqual(
      chain.blockMetas.map((m) => m.header.height),
      Array.from({ length: Math.min(latest, 20) }, (_, i) => latest - i),
    );
    const validators = await client.validatorsAll();
    const pubKey = validators.validators[0]!.pubkey!.data;
    for (let h = 1; h <= latest; h++) {
      const { blockId, block } = await client.block(h);
      const meta = chain.blockMetas.find((m) => m.header.height === h)!;
      assert.deepEqual(meta.blockId, blockId);
      const rawBlock = await rpcCall(tn.rpcUrl, "block", { height: String(h) });
      assert.equal(
        hexU(hashJsonHeader(rawBlock.block.header)),
        rawBlock.block_id.hash,
        `header ${h} hashes to its id`,
      );
      if (h > 1) {
        const prev = await client.block(h - 1);
        assert.deepEqual(block.header.lastBlockId, prev.blockId);
        assert.deepEqual(block.lastCommit?.blockId, prev.blockId);
      } else {
        assert.equal(block.header.lastBlockId, null);
        assert.equal(block.lastCommit, null);
      }
      assert.deepEqual(block.header.dataHash, dataHash(block.txs));
      const byHash = await rpcCall(tn.rpcUrl, "block_by_hash", {
        hash: Buffer.from(blockId.hash).toString("base64"),
      });
      assert.equal(byHash.block.header.height, String(h));
      const { commit, header } = await client.commit(h);
      assert.deepEqual(commit.blockId, blockId);
      assert.deepEqual(header.appHash, block.header.appHash);
      const sig = commit.signatures[0]!;
      assert.equal(sig.blockIdFlag, 2);
      const raw = await rpcCall(tn.rpcUrl, "commit", { height: String(h) });
      const signBytes = voteSignBytes("test-chain-1", {
        type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
        height: BigInt(h),
        round: 0n,
        blockId: {
          hash: commit.blockId.hash,
          partSetHeader: { total: commit.blockId.parts.total, hash: commit.blockId.parts.hash },
        },
        timestamp: parseTime(raw.signed_header.commit.signatures[0].timestamp),
      });
      assert.ok(ed25519.verify(sig.signature!, signBytes, pubKey), `commit ${h} signature verifies`);
    }
    const times = chain.blockMetas.map((m) => m.header.time.getTime()).reverse();
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i]! > times[i - 1]!, "block times strictly increase");
  });

  it("serves block results with tx results and finalize_block_events", async () => {
    const res = await client.broadcastTxCommit({ tx: enc("results=1") });
    const br = await client.blockResults(res.height);
    assert.equal(br.height, res.height);
    assert.equal(br.results.length, 1);
    assert.equal(br.results[0]!.code, 0);
    const info = br.finalizeBlockEvents.find((e) => e.type === "block_info")!;
    assert.deepEqual(info.attributes[1], { key: "num_txs", value: "1" });
    const raw = await rpcCall(tn.rpcUrl, "block_results", { height: String(res.height) });
    assert.equal(typeof raw.app_hash, "string");
    assert.equal(raw.txs_results[0].gas_used, "1");
  });

  it("proves a tx against the block's data hash", async () => {
    const res = await client.broadcastTxCommit({ tx: enc("proof=1") });
    const withProof = await client.tx({ hash: res.hash, prove: true });
    const { block } = await client.block(res.height);
    const proof = withProof.proof!;
    assert.deepEqual(proof.rootHash, block.header.dataHash);
    assert.deepEqual(proof.data, enc("proof=1"));
    assert.deepEqual(rootFromProof({ ...proof.proof, aunts: [...proof.proof.aunts] }), block.header.dataHash);
    const plain = await rpcCall(tn.rpcUrl, "tx", { hash: Buffer.from(res.hash).toString("base64") });
    assert.equal(plain.proof, undefined);
  });

  it("searches txs by attributes, heights, with paging and ordering", async () => {
    const heights: number[] = [];
    for (let i = 0; i < 5; i++)
      heights.push((await client.broadcastTxCommit({ tx: enc(`page-${i}=v${i}`) })).height);
    const bySender = await client.txSearch({ query: "message.sender='page-3'" });
    assert.equal(bySender.totalCount, 1);
    assert.equal(bySender.txs[0]!.height, heights[3]);
    const range = await client.txSearch({
      query: `app.creator='kvstore' AND tx.height>=${heights[1]} AND tx.height<=${heights[3]}`,
    });
    assert.deepEqual(
      range.txs.map((t) => t.height),
      [heights[1], heights[2], heights[3]],
    );
    const paged = await client.txSearch({
      query: "app.creator='kvstore'",
      per_page: 2,
      page: 1,
      order_by: "desc",
    });
    assert.equal(paged.txs.length, 2);
    assert.ok(paged.totalCount >= 5);
    assert.ok(paged.txs[0]!.height > paged.txs[1]!.height);
    const all = await client.txSearchAll({ query: "app.creator='kvstore'", per_page: 2 });
    assert.equal(all.txs.length, paged.totalCount);
    const contains = await client.txSearch({ query: "app.key CONTAINS 'page-'" });
    assert.equal(contains.totalCount, 5);
    const exact = await client.txSearch({ query: `tx.height=${heights[4]}` });
    assert.equal(exact.txs[0]!.height, heights[4]);
    const byHash = await client.txSearch({ query: `tx.hash='${hexU(txHash(enc("page-2=v2")))}'` });
    assert.equal(byHash.totalCount, 1);
    assert.equal((await client.txSearch({ query: "app.key='nope'" })).totalCount, 0);
    const beyond = await rpcPost(tn.rpcUrl, "tx_search", { query: "app.key='page-1'", page: "5" });
    assert.equal(beyond.body.error?.code, -32603);
    assert.match(beyond.body.error!.data, /page should be within \[1, 1\] range/);
  });

  it("searches blocks by finalize_block_events", async () => {
    const res = await client.broadcastTxCommit({ tx: enc("blocksearch=1") });
    const found = await client.blockSearch({ query: `block_info.height='${res.height}'` });
    assert.equal(found.totalCount, 1);
    assert.equal(found.blocks[0]!.block.header.height, res.height);
    const withTxs = await client.blockSearchAll({ query: "block_info.num_txs > 0 AND block.height <= 3" });
    assert.ok(withTxs.blocks.every((b) => b.block.header.height <= 3 && b.block.txs.length > 0));
  });

  it("serves genesis, validators, consensus params and mempool counters", async () => {
    const genesis = await client.genesis();
    assert.equal(genesis.chainId, "test-chain-1");
    assert.deepEqual(genesis.appState, { kv: { genesis: "yes" } });
    assert.equal(genesis.validators.length, 1);
    const vals = await client.validatorsAll();
    assert.equal(vals.total, 1);
    assert.deepEqual(vals.validators[0]!.address, (await client.status()).validatorInfo.address);
    const params = await rpcCall(tn.rpcUrl, "consensus_params", {});
    assert.equal(params.consensus_params.block.max_gas, "-1");
    const n = await client.numUnconfirmedTxs();
    assert.equal(n.total, 0);
    const net = await rpcCall(tn.rpcUrl, "net_info");
    assert.equal(net.n_peers, "0");
  });

  it("serves check_tx, broadcast_tx_async, headers and chunked genesis", async () => {
    const check = await rpcCall(tn.rpcUrl, "check_tx", { tx: Buffer.from("bad").toString("base64") });
    assert.equal(check.code, 1);
    assert.equal(check.codespace, "kv");
    assert.equal(
      (await rpcCall(tn.rpcUrl, "num_unconfirmed_txs")).n_txs,
      "0",
      "check_tx leaves the mempool alone",
    );
    const tx = enc("async=1");
    const sent = await client.broadcastTxAsync({ tx });
    assert.deepEqual(sent.hash, txHash(tx));
    assert.equal((await waitForTx(client, sent.hash)).result.code, 0);
    const { blockId, block } = await client.block(2);
    const header = await rpcCall(tn.rpcUrl, "header", { height: "2" });
    assert.equal(header.header.height, "2");
    const byHash = await rpcCall(tn.rpcUrl, "header_by_hash", {
      hash: Buffer.from(blockId.hash).toString("base64"),
    });
    assert.deepEqual(byHash, header);
    assert.equal(header.header.app_hash, hexU(block.header.appHash));
    const unknown = await rpcCall(tn.rpcUrl, "block_by_hash", { hash: Buffer.alloc(32).toString("base64") });
    assert.deepEqual(unknown, { block_id: { hash: "", parts: { total: 0, hash: "" } }, block: null });
    const chunk = await rpcCall(tn.rpcUrl, "genesis_chunked", { chunk: "0" });
    assert.equal(chunk.total, "1");
    assert.equal(JSON.parse(Buffer.from(chunk.data, "base64").toString()).chain_id, "test-chain-1");
  });

  it("answers URI GET calls", async () => {
    const status = await uriGet(tn.rpcUrl, "/status");
    assert.equal(status.status, 200);
    assert.equal(status.body.id, -1);
    assert.equal(status.body.result.node_info.network, "test-chain-1");
    const block = await uriGet(tn.rpcUrl, "/block?height=1");
    assert.equal(block.body.result.block.header.height, "1");
    const tx = enc("uri=get");
    const sent = await uriGet(tn.rpcUrl, `/broadcast_tx_commit?tx="uri=get"`);
    assert.equal(sent.body.result.tx_result.code, 0);
    const found = await uriGet(tn.rpcUrl, `/tx?hash=0x${hexU(txHash(tx))}`);
    assert.equal(found.body.result.hash, hexU(txHash(tx)));
    const q = await uriGet(tn.rpcUrl, `/abci_query?path="/key"&data=0x${Buffer.from("uri").toString("hex")}`);
    assert.equal(Buffer.from(q.body.result.response.value, "base64").toString(), "get");
    const search = await uriGet(tn.rpcUrl, `/tx_search?query="app.key='uri'"`);
    assert.equal(search.body.result.total_count, "1");
    const missing = await uriGet(tn.rpcUrl, "/block?height=999999");
    assert.equal(missing.status, 500);
    assert.match(missing.body.error!.data, /must be less than or equal to the current blockchain height/);
    assert.equal((await fetch(`${tn.rpcUrl}/no_such_method`)).status, 404);
  });

  it("reports JSON-RPC errors with CometBFT's codes", async () => {
    const notFound = await rpcPost(tn.rpcUrl, "no_such_method");
    assert.equal(notFound.status, 200);
    assert.equal(notFound.body.error?.code, -32601);
    assert.equal(notFound.body.error?.message, "Method not found");
    const badParams = await rpcPost(tn.rpcUrl, "block", { height: "abc" });
    assert.equal(badParams.body.error?.code, -32602);
    const internal = await rpcPost(tn.rpcUrl, "tx", { hash: Buffer.alloc(32).toString("base64") });
    assert.equal(internal.body.error?.code, -32603);
    assert.equal(internal.body.error?.data, `tx (${"00".repeat(32)}) not found`);
    const subscribeOverHttp = await rpcPost(tn.rpcUrl, "subscribe", { query: "tm.event='NewBlock'" });
    assert.equal(subscribeOverHttp.body.error?.code, -32601);
    const parse = await fetch(tn.rpcUrl, { method: "POST", body: "{not json" });
    assert.equal(((await parse.json()) as Wire).error.code, -32700);
    const batch = await fetch(tn.rpcUrl, {
      method: "POST",
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "health", params: {} },
        { jsonrpc: "2.0", id: 2, method: "nope", params: {} },
      ]),
    });
    const [a, b] = (await batch.json()) as Wire[];
    assert.deepEqual(a, { jsonrpc: "2.0", id: 1, result: {} });
    assert.equal(b.error.code, -32601);
  });

  it("mines blocks on demand with dev_mine", async () => {
    const before = (await client.status()).syncInfo.latestBlockHeight;
    const res = await rpcCall(tn.rpcUrl, "dev_mine", { blocks: 5 });
    assert.equal(Number(res.height), before + 5);
    assert.equal((await client.status()).syncInfo.latestBlockHeight, before + 5);
    const spaced = await rpcCall(tn.rpcUrl, "dev_mine", { blocks: 2, interval_ms: 60_000 });
    const [b1, b2] = await Promise.all([
      client.block(Number(spaced.height) - 1),
      client.block(Number(spaced.height)),
    ]);
    assert.ok(b2.block.header.time.getTime() - b1.block.header.time.getTime() >= 60_000);
  });

  it("streams NewBlock, NewBlockHeader and filtered Tx events over the websocket", async () => {
    const ws = await Comet38Client.connect(tn.rpcUrl.replace(/^http/, "ws"));
    try {
      const blocks = ws.subscribeNewBlock();
      const headers = ws.subscribeNewBlockHeader();
      const txs = ws.subscribeTx("app.key='streamed'");
      const nextBlock = firstOf(blocks, 5000, (b) => b.txs.length > 0);
      const nextHeader = firstOf(headers);
      const nextTx = firstOf(txs);
      await new Promise((r) => setTimeout(r, 100)); // subscriptions are sent asynchronously
      await client.broadcastTxSync({ tx: enc("other=1") });
      await client.broadcastTxSync({ tx: enc("streamed=1") });
      const tx = await nextTx;
      assert.deepEqual(tx.tx, enc("streamed=1"));
      assert.equal(tx.result.code, 0);
      assert.ok(tx.height > 0);
      const block = await nextBlock;
      assert.ok(block.txs.length > 0);
      assert.ok((await nextHeader).height > 0);
      const status = await ws.status(); // plain calls work over the websocket too
      assert.equal(status.nodeInfo.network, "test-chain-1");
    } finally {
      await disconnectForGood(ws);
    }
  });
});

async function waitForTx(client: Comet38Client, hash: Uint8Array) {
  for (let i = 0; i < 100; i++) {
    const res = await client.txSearch({ query: `tx.hash='${hexU(hash)}'` });
    if (res.txs.length > 0) return res.txs[0]!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("tx not found");
}

function parseTime(s: string) {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(s)!;
  return { seconds: BigInt(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}
