// The ABCI socket server without CometBFT: framing (uvarint prefixes, frames split and merged anywhere, as TCP
// delivers them), the exact bytes of responses CometBFT is strict about, per-connection order with pipelined
// requests, one queue across connections with the consensus connection first, and fatal errors dropping the
// connections.
// reference: cometbft-cosmos.md §1.2–1.4, §6 item 3.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  CheckTxType,
  Request,
  Response,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import fc from "fast-check";
import type { AbciApplication } from "../../app/abci.js";
import { KvApp } from "../testing/kv-app.js";
import { AbciClient } from "./client.js";
import { decodeUvarint, encodeRequest, encodeUvarint, FrameDecoder, frame } from "./framing.js";
import { AbciServer, formatAbciAddress, parseAbciAddress, parseFailPoint } from "./server.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe("framing", () => {
  test("uvarint: Go's binary.PutUvarint bytes, and back", () => {
    assert.equal(hex(encodeUvarint(0)), "00");
    assert.equal(hex(encodeUvarint(127)), "7f");
    assert.equal(hex(encodeUvarint(128)), "8001");
    assert.equal(hex(encodeUvarint(300)), "ac02");
    assert.equal(hex(encodeUvarint(2 ** 31 - 1)), "ffffffff07");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n) => {
        const bytes = encodeUvarint(n);
        assert.deepEqual(decodeUvarint(bytes), { value: n, size: bytes.length });
        // A prefix of a varint is not a value yet.
        if (bytes.length > 1) assert.equal(decodeUvarint(bytes.subarray(0, bytes.length - 1)), undefined);
      }),
    );
    assert.throws(() => decodeUvarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x08)), /exceeds/);
  });

  test("empty responses keep their oneof tag: flush = 1a 00, commit = 62 00", () => {
    assert.equal(hex(Response.encode({ flush: {} }).finish()), "1a00");
    assert.equal(hex(Response.encode({ commit: { retainHeight: 0n } }).finish()), "6200");
    assert.equal(hex(frame(Response.encode({ flush: {} }).finish())), "021a00");
  });

  test("frames split and merged at any byte come out whole and in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map(frame));
          const decoder = new FrameDecoder();
          const got: string[] = [];
          for (const chunk of cut(stream, cuts)) for (const f of decoder.push(chunk)) got.push(hex(f));
          assert.deepEqual(got, payloads.map(hex));
          assert.equal(decoder.pending, 0);
        },
      ),
    );
  });

  test("requests survive the trip: encodeRequest → chunks → decode", () => {
    const arbRequest = fc.oneof(
      fc.string().map((message) => Request.fromPartial({ echo: { message } })),
      fc.constant(Request.fromPartial({ flush: {} })),
      fc
        .tuple(fc.uint8Array({ maxLength: 2000 }), fc.boolean())
        .map(([tx, recheck]) =>
          Request.fromPartial({ checkTx: { tx, type: recheck ? CheckTxType.RECHECK : CheckTxType.NEW } }),
        ),
      fc
        .tuple(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), fc.bigInt(1n, 2n ** 62n))
        .map(([txs, height]) => Request.fromPartial({ finalizeBlock: { txs, height } })),
    );
    fc.assert(
      fc.property(
        fc.array(arbRequest, { maxLength: 15 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (reqs, at) => {
          const stream = Buffer.concat(reqs.map(encodeRequest));
          const decoder = new FrameDecoder();
          const got = cut(stream, at).flatMap((c) => decoder.push(c).map((b) => Request.decode(b)));
          assert.deepEqual(
            got.map((r) => hex(Request.encode(r).finish())),
            reqs.map((r) => hex(Request.encode(r).finish())),
          );
        },
      ),
    );
  });

  test("addresses and fail points parse", () => {
    assert.deepEqual(parseAbciAddress("tcp://127.0.0.1:26658"), {
      kind: "tcp",
      host: "127.0.0.1",
      port: 26658,
    });
    assert.deepEqual(parseAbciAddress("unix:///tmp/a.sock"), { kind: "unix", path: "/tmp/a.sock" });
    assert.equal(formatAbciAddress(parseAbciAddress("tcp://localhost:1")), "tcp://localhost:1");
    assert.throws(() => parseAbciAddress("http://x"), /not an ABCI address/);
    assert.deepEqual(parseFailPoint("before-commit:12"), { when: "before", method: "commit", height: 12n });
    assert.throws(() => parseFailPoint("during-commit:1"), /bad fail point/);
  });
});

/** A KvApp whose calls are slow and logged, to see that the queue never runs two at once. */
class SlowApp extends KvApp {
  active = 0;
  maxActive = 0;
  readonly log: string[] = [];
  private async enter<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    this.log.push(name);
    try {
      await new Promise((r) => setTimeout(r, 1));
      return await fn();
    } finally {
      this.active--;
    }
  }
  override info(...a: Parameters<KvApp["info"]>) {
    return this.enter("info", () => super.info(...a));
  }
  override query(...a: Parameters<KvApp["query"]>) {
    return this.enter("query", () => super.query(...a));
  }
  override checkTx(...a: Parameters<KvApp["checkTx"]>) {
    return this.enter("checkTx", () => super.checkTx(...a));
  }
  override finalizeBlock(...a: Parameters<KvApp["finalizeBlock"]>) {
    return this.enter("finalizeBlock", () => super.finalizeBlock(...a));
  }
  override commit() {
    return this.enter("commit", () => super.commit());
  }
}

async function withServer<T>(
  app: AbciApplication,
  fn: (address: string, server: AbciServer, fatal: Error[]) => Promise<T>,
  address = "tcp://127.0.0.1:0",
): Promise<T> {
  const fatal: Error[] = [];
  const server = new AbciServer(app, { onFatal: (e) => fatal.push(e) });
  const a = await server.listen(address);
  try {
    return await fn(formatAbciAddress(a), server, fatal);
  } finally {
    await server.close();
  }
}

const enc = new TextEncoder();

describe("server", () => {
  test("four connections, pipelined requests: every one answered in order, app calls never overlap", async () => {
    const app = new SlowApp();
    await withServer(app, async (address) => {
      // CometBFT's order: query, snapshot, mempool, consensus.
      const [query, snapshot, mempool, consensus] = await Promise.all(
        [0, 1, 2, 3].map(() => AbciClient.connect(address)),
      );
      try {
        const info = await query!.call({
          info: { version: "0.38.26", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" },
        });
        assert.equal(info.info?.lastBlockHeight, 0n);
        await consensus!.call(Request.fromPartial({ initChain: { chainId: "t", initialHeight: 1n } }));

        // Pipelined on every connection at once, with Flushes in between, as CheckTxAsync and sync calls do.
        const checks = Array.from({ length: 30 }, (_, i) =>
          mempool!.call(
            Request.fromPartial({ checkTx: { tx: enc.encode(`k${i}=v`), type: CheckTxType.NEW } }),
          ),
        );
        const flush = mempool!.call({ flush: {} });
        const block = consensus!.call(
          Request.fromPartial({
            finalizeBlock: { txs: Array.from({ length: 5 }, (_, i) => enc.encode(`k${i}=v`)), height: 1n },
          }),
        );
        const queries = Array.from({ length: 10 }, () =>
          query!.call(Request.fromPartial({ query: { path: "/key", data: enc.encode("k0") } })),
        );
        const echo = snapshot!.call({ echo: { message: "hello" } });
        const snaps = snapshot!.call({ listSnapshots: {} });
        const commit = consensus!.call({ commit: {} });

        for (const r of await Promise.all(checks)) assert.equal(r.checkTx?.code, 0);
        assert.deepEqual((await flush).flush, {});
        const finalized = (await block).finalizeBlock!;
        assert.equal(finalized.txResults.length, 5);
        assert.equal(finalized.appHash.length, 32);
        for (const r of await Promise.all(queries)) assert.ok(r.query);
        assert.deepEqual((await echo).echo, { message: "hello" });
        assert.deepEqual((await snaps).listSnapshots, { snapshots: [] });
        assert.ok((await commit).commit);

        const after = await query!.call(Request.fromPartial({ info: {} }));
        assert.equal(after.info?.lastBlockHeight, 1n);
        assert.deepEqual(after.info?.lastBlockAppHash, finalized.appHash);
        assert.equal(app.maxActive, 1, "two app calls ran at the same time");
      } finally {
        for (const c of [query, snapshot, mempool, consensus]) c!.close();
      }
    });
  });

  test("the consensus connection goes first: a flood of CheckTx does not hold a block back", async () => {
    const app = new SlowApp();
    await withServer(app, async (address) => {
      const [mempool, consensus] = await Promise.all([0, 1].map(() => AbciClient.connect(address)));
      try {
        await consensus!.call(Request.fromPartial({ initChain: { chainId: "t", initialHeight: 1n } }));
        const checks = Array.from({ length: 50 }, (_, i) =>
          mempool!.call(
            Request.fromPartial({ checkTx: { tx: enc.encode(`k${i}=v`), type: CheckTxType.NEW } }),
          ),
        );
        // The block arrives once the mempool's requests are queued and the first of them runs.
        while (!app.log.includes("checkTx")) await new Promise((r) => setTimeout(r, 0));
        const block = consensus!.call(
          Request.fromPartial({ finalizeBlock: { txs: [enc.encode("a=1")], height: 1n } }),
        );
        await Promise.all([...checks, block]);
        const at = app.log.indexOf("finalizeBlock");
        const checksBefore = app.log.slice(0, at).filter((m) => m === "checkTx").length;
        // A FIFO would run all 50 first; a loaded machine may let a few more run before the block arrives.
        assert.ok(checksBefore < 25, `finalizeBlock waited for ${checksBefore} of 50 queued CheckTx`);
        assert.equal(app.log.filter((m) => m === "checkTx").length, 50);
        assert.equal(app.maxActive, 1);
      } finally {
        mempool!.close();
        consensus!.close();
      }
    });
  });

  test("the node's own calls (REST, gRPC) go through the same queue", async () => {
    const app = new SlowApp();
    await withServer(app, async (address, server) => {
      const c = await AbciClient.connect(address);
      try {
        await c.call(Request.fromPartial({ initChain: { chainId: "t", initialHeight: 1n } }));
        const block = c.call(
          Request.fromPartial({ finalizeBlock: { txs: [enc.encode("a=1")], height: 1n } }),
        );
        // Ask while the block is being executed: the query waits for it.
        while (!app.log.includes("finalizeBlock")) await new Promise((r) => setTimeout(r, 0));
        const query = server.run(() =>
          app.query({ path: "/key", data: enc.encode("a"), height: 0n, prove: false }),
        );
        await Promise.all([block, query, c.call({ commit: {} })]);
        assert.equal(app.maxActive, 1);
        // The query waited for the block; the commit, on the consensus connection, may go before it if it
        // arrived while the block ran (blocks go before queries: src/node/serial.ts).
        const last = app.log.slice(-3);
        assert.equal(last[0], "finalizeBlock");
        assert.deepEqual([...last].sort(), ["commit", "finalizeBlock", "query"]);
      } finally {
        c.close();
      }
    });
  });

  test("trivial answers: vote extensions, snapshots, ProcessProposal never UNKNOWN", async () => {
    await withServer(new KvApp(), async (address) => {
      const c = await AbciClient.connect(address);
      try {
        assert.equal(
          (await c.call(Request.fromPartial({ verifyVoteExtension: {} }))).verifyVoteExtension?.status,
          ResponseVerifyVoteExtension_VerifyStatus.ACCEPT,
        );
        assert.deepEqual((await c.call(Request.fromPartial({ extendVote: {} }))).extendVote, {
          voteExtension: new Uint8Array(),
        });
        assert.ok((await c.call(Request.fromPartial({ offerSnapshot: {} }))).offerSnapshot);
        assert.ok((await c.call(Request.fromPartial({ loadSnapshotChunk: {} }))).loadSnapshotChunk);
        assert.ok((await c.call(Request.fromPartial({ applySnapshotChunk: {} }))).applySnapshotChunk);
        assert.equal(
          (await c.call(Request.fromPartial({ processProposal: {} }))).processProposal?.status,
          ResponseProcessProposal_ProposalStatus.ACCEPT,
        );
      } finally {
        c.close();
      }
    });
  });

  test("a unix socket works the same; a stale socket file is replaced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "decloud-abci-"));
    try {
      const path = `unix://${join(dir, "abci.sock")}`;
      await withServer(new KvApp(), async () => undefined, path);
      await withServer(
        new KvApp(),
        async (address) => {
          const c = await AbciClient.connect(address);
          assert.deepEqual((await c.call({ echo: { message: "x" } })).echo, { message: "x" });
          c.close();
        },
        path,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a handler that throws is fatal: every connection is dropped, nothing wrong is answered", async () => {
    const app = new KvApp();
    app.commit = async () => {
      throw new Error("disk on fire");
    };
    await withServer(app, async (address, _server, fatal) => {
      const a = await AbciClient.connect(address);
      const b = await AbciClient.connect(address);
      await assert.rejects(a.call({ commit: {} }), /connection closed/);
      await b.closed();
      assert.equal(fatal.length, 1);
      assert.match(fatal[0]!.message, /commit failed: disk on fire/);
    });
  });

  test("undecodable bytes are fatal too", async () => {
    await withServer(new KvApp(), async (address, _server, fatal) => {
      const { connect } = await import("node:net");
      const a = parseAbciAddress(address);
      if (a.kind !== "tcp") throw new Error("expected tcp");
      const socket = connect({ host: a.host, port: a.port });
      await new Promise((r) => socket.once("connect", r));
      socket.write(frame(Uint8Array.of(0xff, 0xff, 0xff)));
      await new Promise((r) => socket.once("close", r));
      assert.equal(fatal.length, 1);
    });
  });
});
