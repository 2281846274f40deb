// Figures for `npm run bench` (issue 6): how long `decloud dev` takes to be ready (fresh, and resumed), and
// the wall time from `decloud deploy examples/web/deploy.yaml --yes` to the first HTTP 200 from the URL it
// prints, at the default block time (200 ms) and with instant blocks. The commands run in-process, as a
// person types them; the image is local (no registry).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ensureBusyboxImage } from "../provider/cluster/docker/busybox-image.js";
import { testDocker } from "../provider/cluster/docker/testing/engine.js";
import { EXAMPLE_IMAGE } from "./dev.js";
import { getThroughIngress, runCli } from "./testing/cli.js";
import { startDev } from "./testing/dev.js";

type Figures = Record<string, string>;

const WEB = fileURLToPath(new URL("../../examples/web/deploy.yaml", import.meta.url));
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const summary = (xs: number[]) =>
  `${seconds(median(xs))} median (${xs.map((x) => (x / 1000).toFixed(2)).join(", ")})`;

/** Deploys the web example and polls its URL until it answers 200; the wall time of both. */
async function deployToFirst200(home: string, rpc: string): Promise<number> {
  const started = performance.now();
  const r = await runCli(["--home", home, "--node", rpc, "deploy", WEB, "--yes", "--json"]);
  if (r.code !== 0) throw new Error(`deploy failed: ${r.stderr}`);
  const url = (r.json() as { urls: { url: string }[] }).urls[0]!.url;
  for (;;) {
    if ((await getThroughIngress(url).catch(() => ({ status: 0 }))).status === 200) break;
  }
  const elapsed = performance.now() - started;
  const dseq = r.json().dseq as string;
  await runCli(["--home", home, "--node", rpc, "close", dseq]);
  return elapsed;
}

export async function benchDeploy(): Promise<Figures> {
  await ensureBusyboxImage(await testDocker(), EXAMPLE_IMAGE);
  const root = mkdtempSync(join(tmpdir(), "decloud-bench-deploy-"));
  const figures: Figures = {};
  try {
    for (const [label, blockTime] of [
      ["default block time (200 ms)", "200ms"],
      ["instant blocks", "0"],
    ] as const) {
      const home = join(root, blockTime);
      const fresh = performance.now();
      let dev = await startDev(home, ["--block-time", blockTime]);
      const freshMs = performance.now() - fresh;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await deployToFirst200(home, dev.info.rpc));
      figures[`deploy → first HTTP 200, ${label}`] = summary(times);
      await dev.stop();
      const resumed = performance.now();
      dev = await startDev(home, ["--block-time", blockTime]);
      const resumedMs = performance.now() - resumed;
      await dev.stop();
      if (blockTime === "200ms") {
        figures["decloud dev ready, fresh home"] = seconds(freshMs);
        figures["decloud dev ready, resumed"] = seconds(resumedMs);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
