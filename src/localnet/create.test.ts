// Creating a localnet's homes (no CometBFT needed): one genesis for all validators, and a resumed localnet
// started with another validator count is refused with the way out, instead of a node failing to start.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Localnet } from "./localnet.js";

test("homes share one genesis; resuming with another validator count says what to do", async () => {
  const dir = mkdtempSync(join(tmpdir(), "decloud-localnet-create-"));
  try {
    const net = await Localnet.create({ dir, validators: 2, basePort: 24000 });
    const genesis = (i: number) => readFileSync(join(net.nodes[i]!.home, "config", "genesis.json"), "utf8");
    assert.equal(genesis(0), genesis(1));
    assert.equal((JSON.parse(genesis(0)) as { validators: unknown[] }).validators.length, 2);
    assert.equal(net.chainId, "decloud-localnet");

    const resumed = await Localnet.create({ dir, validators: 2, basePort: 24000 });
    assert.equal(genesis(0), readFileSync(join(resumed.nodes[0]!.home, "config", "genesis.json"), "utf8"));
    await assert.rejects(
      Localnet.create({ dir, validators: 3, basePort: 24000 }),
      /has 2 validators, not 3: start it with --validators 2, or start over with --reset/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
