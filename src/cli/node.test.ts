// `decloud node init` and `decloud node genesis` in-process (no CometBFT needed): the homes are in CometBFT's
// layout with the settings given, and one genesis with every validator ends up in every home, peers set.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readNodeHomeConfig, readToml } from "../node/cometbft/config.js";
import type { CliIO } from "./io.js";
import { run } from "./program.js";

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
      isTTY: false,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: false,
    },
    stdin: { isTTY: false, async *[Symbol.asyncIterator]() {} },
    env: {},
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

test("node init writes a home; node genesis joins several into one network", async () => {
  const dir = await mkdtemp(join(tmpdir(), "decloud-cli-node-"));
  try {
    const homes = [0, 1, 2].map((i) => join(dir, `v${i}`));
    for (const [i, home] of homes.entries()) {
      const r = await cli([
        "--json",
        "node",
        "init",
        "--node-home",
        home,
        "--moniker",
        `v${i}`,
        "--chain-id",
        "decloud-testnet-1",
        "--fast",
        "--p2p-laddr",
        `tcp://127.0.0.1:${30000 + i}`,
        "--proxy-app",
        `unix://${join(home, "abci.sock")}`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.chain_id, "decloud-testnet-1");
      assert.match(out.node_id, /^[0-9a-f]{40}$/);
      const config = readNodeHomeConfig(home);
      assert.equal(config.moniker, `v${i}`);
      assert.equal(config.proxyApp, `unix://${join(home, "abci.sock")}`);
      assert.equal(readToml(join(home, "config", "config.toml")).consensus?.timeout_commit, "150ms");
      assert.equal(config.app.minimumGasPrices, "0.025uakt");
      const state = JSON.parse(await readFile(join(home, "data", "priv_validator_state.json"), "utf8"));
      assert.deepEqual(state, { height: "0", round: 0, step: 0 });
    }
    const g = await cli(["--json", "node", "genesis", "--validators", homes.join(",")]);
    assert.equal(g.code, 0, g.stderr);
    assert.equal(JSON.parse(g.stdout).validators.length, 3);
    const genesisFiles = await Promise.all(
      homes.map((h) => readFile(join(h, "config", "genesis.json"), "utf8")),
    );
    assert.ok(genesisFiles.every((f) => f === genesisFiles[0]));
    const genesis = JSON.parse(genesisFiles[0]!);
    assert.equal(genesis.chain_id, "decloud-testnet-1");
    assert.deepEqual(
      genesis.validators.map((v: { name: string; power: string }) => [v.name, v.power]),
      [
        ["v0", "10"],
        ["v1", "10"],
        ["v2", "10"],
      ],
    );
    const peers = String(readToml(join(homes[0]!, "config", "config.toml")).p2p?.persistent_peers).split(",");
    assert.equal(peers.length, 2);
    assert.ok(peers.every((p) => /^[0-9a-f]{40}@127\.0\.0\.1:3000[12]$/.test(p)));

    // Without --json, the next step names the home it was given (`decloud node start` alone would use another).
    const text = await cli(["node", "init", "--node-home", join(dir, "v 3")]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(
      text.stdout.includes(`decloud node start --node-home '${join(dir, "v 3")}'`),
      `the start hint names the home: ${text.stdout}`,
    );

    const bad = await cli(["node", "genesis", "--validators", join(dir, "nope")]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /is not a node home/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
