// The devnet's client suite (src/devnet/devnet.test.ts: cosmjs sends, queries, rejections, tx search, REST,
// the faucet, a restart) run unchanged against a devnet whose consensus is a real CometBFT process behind the
// ABCI socket (DECLOUD_DEVNET_CONSENSUS=cometbft), in a child test run. Issue 7, "Tests that must exist".
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ensureCometbft } from "./binary.js";

const cometbft = await ensureCometbft();

test(
  "the devnet client suite passes against a node run by CometBFT",
  { skip: "missing" in cometbft ? cometbft.missing : false },
  async () => {
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const suite = fileURLToPath(new URL(`../../devnet/devnet.test${ext}`, import.meta.url));
    // The runner marks its children (NODE_TEST_CONTEXT); a nested run must not think it is one of them.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(
      process.execPath,
      [...process.execArgv.filter((a) => !a.startsWith("--test")), "--test", "--test-reporter=tap", suite],
      {
        env: {
          ...env,
          DECLOUD_DEVNET_CONSENSUS: "cometbft",
          DECLOUD_COMETBFT: "path" in cometbft ? cometbft.path : "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    const pass = /^# pass (\d+)$/m.exec(out)?.[1];
    const fail = /^# fail (\d+)$/m.exec(out)?.[1];
    assert.equal(code, 0, `the suite failed under CometBFT:\n${out}`);
    assert.equal(fail, "0", out);
    assert.ok(Number(pass) >= 20, `only ${pass} tests ran:\n${out}`);
  },
);
