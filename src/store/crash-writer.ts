// Test helper for crash.test.ts: a process that commits versions in a loop until it is killed. Run as
// `node crash-writer.js <dir> <side-file>`; after each commit it appends "<version> <hash hex>" to the side file.
//
// The writes of a version depend only on its number, so any run that reaches version v, crashed or not, holds
// the same state and hash at v.
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { toHex, utf8 } from "./bytes.js";
import { type CommitMultiStore, openCommitMultiStore } from "./index.js";

export const CRASH_STORES = ["alpha", "beta"];
export const CRASH_KEEP_RECENT = 5;

/** The writes of one version: a few hundred sets and deletes over a key space of 3,000 keys per store. */
export function writeVersion(cms: CommitMultiStore, version: number): void {
  for (let i = 0; i < 300; i++) {
    const n = (version * 7919 + i * 104729) % 3000;
    const store = cms.getStore(CRASH_STORES[(version + i) % 2]!);
    const key = utf8(`key-${n}`);
    if ((n + version) % 7 === 0) store.delete(key);
    else store.set(key, utf8(`value-${version}-${i}-${"x".repeat(n % 50)}`));
  }
}

async function main(dir: string, sideFile: string): Promise<void> {
  const cms = await openCommitMultiStore({ dir, storeNames: CRASH_STORES, keepRecent: CRASH_KEEP_RECENT });
  process.stdout.write("ready\n");
  for (;;) {
    writeVersion(cms, cms.lastCommitId().version + 1);
    const { version, hash } = await cms.commit();
    appendFileSync(sideFile, `${version} ${toHex(hash)}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, sideFile] = process.argv.slice(2);
  await main(dir!, sideFile!);
}
