// What `decloud logs -f` says on stderr while its provider is away: once per outage however many attempts
// it takes, as a dim line (or a spinner on a terminal), then that it reconnected; against a real TLS
// websocket server that goes away and comes back (src/client/gateway/testing/fake-gateway.ts).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { CertificateManager } from "@akashnetwork/chain-sdk";
import { streamLeaseLogs } from "../../client/gateway/streams.js";
import { FAKE_PROVIDER, FakeGateway, reader } from "../../client/gateway/testing/fake-gateway.js";
import { Output } from "../output.js";
import { reconnectNotices } from "./lease-streams.js";

/** The notices of a follower, and stderr as they leave it. */
function stderrOf(live: boolean) {
  const chunks: string[] = [];
  const output = new Output(
    {
      stdout: { write: () => true },
      stderr: {
        isTTY: live,
        write: (s: string) => chunks.push(s),
      },
      stdin: (async function* () {})(),
      env: { NO_COLOR: "1" },
    },
    false,
  );
  return { notices: reconnectNotices(output, live, FAKE_PROVIDER), text: () => chunks.join("") };
}

describe("the reconnection notices of a followed stream", () => {
  let tls: { cert: string; key: string };
  before(async () => {
    const pem = await new CertificateManager().generatePEM(FAKE_PROVIDER);
    tls = { cert: pem.cert, key: pem.privateKey };
  });

  for (const live of [false, true]) {
    it(`says once that the provider is unreachable, then that it reconnected (${live ? "terminal" : "pipe"})`, async () => {
      const gw = new FakeGateway(tls);
      await gw.start();
      gw.log("web-0", "one", "2030-01-01T00:00:00Z");
      const err = stderrOf(live);
      const stream = await streamLeaseLogs(gw.target, {
        owner: "o",
        lease: { dseq: "7", gseq: 1, oseq: 1 },
        auth: { type: "jwt", token: "t" },
        follow: true,
        reconnect: { initialDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 5_000, ...err.notices },
      });
      const read = reader(stream);
      await read.count(1);
      await gw.stop();
      // Several attempts fail meanwhile.
      await new Promise((r) => setTimeout(r, 250));
      await gw.start();
      gw.log("web-0", "two", "2030-01-01T00:00:01Z");
      await read.count(2);
      stream.close();
      await read.done;
      err.notices.stop();
      await gw.stop();
      const text = err.text();
      // A terminal redraws one spinner in place (each frame a repeat of the text); elsewhere, one line.
      const shown = live
        ? text
            .split("\r\x1b[K")
            .filter((frame) => frame !== "")
            .at(-2)
        : text;
      assert.match(text, /Provider akash1\S+ unreachable, reconnecting…/);
      if (!live) assert.equal(text.match(/unreachable, reconnecting…/g)?.length, 1, text);
      else assert.match(shown ?? "", /^\S Provider akash1\S+ unreachable, reconnecting…$/, text);
      assert.equal(text.match(/Reconnected to akash1/g)?.length, 1, text);
      if (live) assert.match(text, /✔ Reconnected to akash1\S+\n$/);
      assert.deepEqual(
        read.items.map((l) => l.message),
        ["one", "two"],
      );
    });
  }
});
