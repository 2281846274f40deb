// `npm run bench`: runs each benchmark module and prints its figures (benchmarks are not timed tests).
// `node dist/bench/index.js store devnet` runs only the named ones. Each module runs in a process of its own,
// so that one's garbage, caches and JIT state do not colour the next one's figures (memory above all). A
// module prints as it goes, or returns its figures; returned figures are printed as each module ends and
// again, all together, as a table at the end.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { benchMarketplace } from "../app/modules/market/bench.js";
import { benchDeploy } from "../cli/bench.js";
import { benchNode } from "../node/bench/node-bench.js";
import { benchProvider } from "../provider/bench.js";
import { benchApp } from "./app.js";
import { benchCometbft } from "./cometbft.js";
import { benchDevnet } from "./node.js";
import { runStoreBench } from "./store.js";

type Figures = Record<string, string>;

const benches: [name: string, run: () => Promise<Figures | undefined>][] = [
  ["store", runStoreBench],
  ["app", benchApp],
  // the marketplace modules with 100, 10,000 and 100,000 active leases seeded through genesis
  ["marketplace", async () => prefixed("marketplace", await benchMarketplace())],
  // the node alone (KV test app), then the devnet: the real app in the node, clients in another process
  ["node", async () => prefixed("node (KV app)", await benchNode())],
  ["devnet", benchDevnet],
  // DeCloud as a network: 4 validators with CometBFT on loopback, and the ABCI socket's cost
  ["cometbft", async () => prefixed("cometbft", await benchCometbft())],
  // the provider on the real Docker Engine: bid latency, manifest to serving, ingress overhead
  ["provider", benchProvider],
  // the tenant's view: `decloud dev` start-up, `decloud deploy` to the first HTTP 200 (issue 6)
  ["deploy", benchDeploy],
];

/** Set in the process that runs one module. */
const ONE = "DECLOUD_BENCH_ONE";

function prefixed(prefix: string, figures: Figures): Figures {
  return Object.fromEntries(Object.entries(figures).map(([label, value]) => [`${prefix}: ${label}`, value]));
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
}

function runInChild(name: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [ONE]: name },
      stdio: "inherit",
    });
    let figures: Figures | undefined;
    child.on("message", (m) => {
      figures = m as Figures;
    });
    child.on("exit", (code) => {
      if (code === 0 && figures) resolve(figures);
      else reject(new Error(`bench ${name} failed (exit code ${code})`));
    });
  });
}

const one = process.env[ONE];
if (one) {
  const figures = (await benches.find(([name]) => name === one)![1]()) ?? {};
  process.send!(figures, () => process.exit(0));
} else {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !benches.some(([n]) => n === name));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(", ")}; there are: ${benches.map(([n]) => n).join(", ")}`);
    process.exit(2);
  }
  const all: [string, string][] = [];
  for (const [name] of benches) {
    if (only.length > 0 && !only.includes(name)) continue;
    console.log(`== ${name}`);
    const rows = Object.entries(await runInChild(name));
    if (rows.length > 0) console.log(table(rows));
    all.push(...rows);
  }
  if (all.length > 0) {
    console.log("\n== figures");
    console.log(table(all));
  }
}
