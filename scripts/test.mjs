#!/usr/bin/env node
// Runs every compiled test file under dist/ with node:test. Extra arguments narrow the run to files whose
// path contains one of them (e.g. `node scripts/test.mjs store/`).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = findTests("dist")
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error("no test files found under dist/ (run `npm run build` first)");
  process.exit(1);
}
// A test that hangs fails after 5 minutes (the longest take well under one) instead of holding the run.
const result = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
