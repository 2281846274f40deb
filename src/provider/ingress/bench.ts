// Load for the ingress figures of `npm run bench provider`: requests per second from keep-alive clients, and
// a fast upstream (a Node server that answers at once) to measure the proxy's own overhead against. The
// load generator and the fast upstream each run in a process of their own (this file, forked with a role),
// so that neither takes event-loop time from the ingress and the figures show the proxy, not who shares it.
import { type ChildProcess, fork } from "node:child_process";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Ingress } from "./proxy.js";

type Figures = Record<string, string>;

const ROLE = "DECLOUD_INGRESS_BENCH_ROLE";

interface LoadParams {
  readonly port: number;
  readonly host: string;
  readonly seconds: number;
  readonly concurrency: number;
}

/** Requests per second from `concurrency` keep-alive clients over `seconds`, in this process. */
async function loadHere({
  port,
  host,
  seconds,
  concurrency,
}: LoadParams): Promise<{ rps: number; micros: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/", headers: { host }, agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`load: HTTP ${res.statusCode} from port ${port}`));
        res.resume();
        res.on("end", () => resolve());
      });
      req.on("error", reject);
      req.end();
    });
  const started = performance.now();
  const cpu0 = cpuMicros();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await one();
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const micros = (cpuMicros() - cpu0) / done;
  agent.destroy();
  return { rps: done / elapsed, micros };
}

function child(role: string): ChildProcess {
  return fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [ROLE]: role },
    stdio: "inherit",
  });
}

/** The child's next message, or an error if it exits first. */
function nextMessage<T>(proc: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (code ${code}) before it answered`));
    proc.once("message", (m) => {
      proc.off("exit", onExit);
      resolve(m as T);
    });
    proc.once("exit", onExit);
  });
}

/** Requests per second as `loadHere` measures them, and the CPU time each cost the load generator. */
async function measure(params: LoadParams): Promise<{ rps: number; micros: number }> {
  const proc = child("load");
  proc.send(params);
  const answer = await nextMessage<{ rps: number; micros: number } | { error: string }>(
    proc,
    "the load generator",
  );
  if ("error" in answer) throw new Error(answer.error);
  return answer;
}

/** Requests per second, as `loadHere` measures them, from a load generator in a process of its own. */
export async function load(params: LoadParams): Promise<number> {
  return (await measure(params)).rps;
}

/** A Node HTTP server in a process of its own that answers every request at once with a short body. */
async function startFastUpstream(): Promise<{
  port: number;
  cpuMicros: () => Promise<number>;
  stop: () => Promise<void>;
}> {
  const proc = child("upstream");
  const { port } = await nextMessage<{ port: number }>(proc, "the fast upstream");
  return {
    port,
    cpuMicros: async () => {
      proc.send("cpu");
      return (await nextMessage<{ cpu: number }>(proc, "the fast upstream")).cpu;
    },
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill();
      }),
  };
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Through the ingress and straight to a fast upstream: the proxy's overhead where the upstream costs little.
 * Also the CPU time a request costs each process (load generator L, upstream U, ingress I): where the three
 * share fewer cores than they would use, as on a 2-core machine, the ratio of throughputs cannot pass
 * (L + U) / (L + U + I), however fast the proxy is for its CPU time.
 */
export async function benchIngressFastUpstream(seconds = 2, rounds = 3, concurrency = 32): Promise<Figures> {
  const upstream = await startFastUpstream();
  const host = "fast.ingress.bench";
  const ingress = new Ingress(
    { host: "127.0.0.1", port: 0 },
    { targets: async (h) => (h === host ? [{ host: "127.0.0.1", port: upstream.port }] : undefined) },
  );
  await ingress.start();
  try {
    // Warm both paths first (JIT, pooled connections), then take turns, so that a neighbour's load on a
    // shared machine falls on both; the medians are reported.
    await load({ port: upstream.port, host, seconds: 1, concurrency });
    await load({ port: ingress.port, host, seconds: 1, concurrency });
    const direct: number[] = [];
    const proxied: number[] = [];
    const loadCost: number[] = [];
    const upstreamCost: number[] = [];
    const ingressCost: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const up0 = await upstream.cpuMicros();
      const straight = await measure({ port: upstream.port, host, seconds, concurrency });
      upstreamCost.push(((await upstream.cpuMicros()) - up0) / (straight.rps * seconds));
      loadCost.push(straight.micros);
      direct.push(straight.rps);
      const own0 = cpuMicros();
      const rps = await load({ port: ingress.port, host, seconds, concurrency });
      ingressCost.push((cpuMicros() - own0) / (rps * seconds));
      proxied.push(rps);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const us = (t: number) => `${t.toFixed(1)} µs`;
    return {
      [`provider: requests/s straight to a fast Node upstream (${concurrency} clients)`]:
        median(direct).toFixed(0),
      [`provider: requests/s through the ingress to the fast upstream (${concurrency} clients)`]:
        median(proxied).toFixed(0),
      "provider: ingress / direct throughput, fast Node upstream": (median(proxied) / median(direct)).toFixed(
        2,
      ),
      "provider: CPU per request, load generator / fast upstream / ingress": `${us(median(loadCost))} / ${us(median(upstreamCost))} / ${us(median(ingressCost))}`,
    };
  } finally {
    await ingress.stop();
    await upstream.stop();
  }
}

const role = process.env[ROLE];
if (role === "upstream") {
  const body = Buffer.from("ok\n");
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain", "content-length": body.length }).end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => {
    const a = server.address();
    process.send?.({ port: typeof a === "object" && a ? a.port : 0 });
  });
  process.on("message", () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  // Gone with the parent: never outlive the bench.
  process.on("disconnect", () => process.exit(0));
} else if (role === "load") {
  process.once("message", (params) => {
    loadHere(params as LoadParams).then(
      (answer) => process.send?.(answer, () => process.exit(0)),
      (e: Error) => process.send?.({ error: e.message }, () => process.exit(1)),
    );
  });
}
