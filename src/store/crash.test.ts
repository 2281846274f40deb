import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { toHex } from "./bytes.js";
import { CRASH_KEEP_RECENT, CRASH_STORES, writeVersion } from "./crash-writer.js";
import { EMPTY_HASH, openCommitMultiStore } from "./index.js";
import { Rand, tempDir } from "./testing.js";

// Run the writer the way this file runs: compiled (.js) under node, or from source under tsx.
const here = fileURLToPath(import.meta.url);
const writer = here.replace(/crash\.test\.(ts|js)$/, (_, ext) => `crash-writer.${ext}`);
const execArgv = process.execArgv.filter((a) => !a.startsWith("--test"));

/** Starts the writer, lets it commit for `ms` after it is ready, then kills it with SIGKILL. */
function runAndKill(dir: string, sideFile: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, writer, dir, sideFile], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), ms));
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

/** The recorded "<version> <hash>" lines (a line cut short by the kill is ignored). */
function recorded(sideFile: string): Map<number, string> {
  const out = new Map<number, string>();
  if (!existsSync(sideFile)) return out;
  for (const line of readFileSync(sideFile, "utf8").split("\n")) {
    const m = /^(\d+) ([0-9a-f]{64})$/.exec(line);
    if (m) out.set(Number(m[1]), m[2]!);
  }
  return out;
}

test("SIGKILL at random moments leaves the last committed version intact", { timeout: 120_000 }, async () => {
  const { dir: root, cleanup } = tempDir("crash");
  try {
    const dir = join(root, "db");
    const sideFile = join(root, "hashes.txt");
    // Kill delays are random on purpose (they are not part of the state); the seed makes failures replayable.
    const rand = new Rand(Number(process.env.CRASH_SEED ?? 20261124));
    const expected = new Map<number, string>([[0, toHex(EMPTY_HASH)]]); // killed before its first commit
    const reference = await openCommitMultiStore({ dir: join(root, "reference"), storeNames: CRASH_STORES });
    let previous = 0;
    for (let round = 0; round < 10; round++) {
      await runAndKill(dir, sideFile, 30 + rand.below(250));
      const hashes = recorded(sideFile);
      const last = Math.max(0, ...hashes.keys());
      const cms = await openCommitMultiStore({
        dir,
        storeNames: CRASH_STORES,
        keepRecent: CRASH_KEEP_RECENT,
      });
      try {
        const { version, hash } = cms.lastCommitId();
        // The writer records a version after its commit returned, so the kill may fall in between: on disk is
        // the last version this run recorded, or one more. The run resumed from `previous`, which an earlier
        // kill may likewise have left unrecorded.
        const base = Math.max(previous, last);
        assert.ok(
          version === base || version === base + 1,
          `round ${round}: on disk ${version}, recorded ${last}, resumed from ${previous}`,
        );
        assert.ok(version >= previous, `round ${round}: versions never go back (${previous} -> ${version})`);
        previous = version;
        if (hashes.has(version))
          assert.equal(toHex(hash), hashes.get(version), `round ${round}: hash of ${version}`);
        // Replay the same writes without crashes: the version on disk must be that state exactly.
        while (reference.lastCommitId().version < version) {
          writeVersion(reference, reference.lastCommitId().version + 1);
          const id = await reference.commit();
          expected.set(id.version, toHex(id.hash));
        }
        assert.equal(
          toHex(hash),
          expected.get(version),
          `round ${round}: hash of ${version} equals the crash-free run`,
        );
        for (const [v, h] of hashes)
          assert.equal(h, expected.get(v), `round ${round}: recorded hash of ${v}`);
        // The kept versions are complete trees: every node they need survived.
        for (let v = Math.max(1, version - CRASH_KEEP_RECENT + 1); v <= version; v++) {
          for (const name of CRASH_STORES) {
            const mine = [...cms.readAt(v).getStore(name).iterator()].length;
            const theirs = [...reference.readAt(v).getStore(name).iterator()].length;
            assert.equal(mine, theirs, `round ${round}: ${name}@${v} key count`);
          }
        }
      } finally {
        await cms.close();
      }
    }
    assert.ok(previous > 10, `the writer made progress (reached version ${previous})`);
    await reference.close();
  } finally {
    cleanup();
  }
});
