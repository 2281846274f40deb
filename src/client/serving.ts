// Whether a service's URL answers: the last step of a deploy, so that "ready" means a request gets the
// app's own answer, not the ingress's 502 while the process inside the container is still starting. Names
// under `.localhost` are dialled on the loopback address with the Host header (Node's resolver does not map
// them, unlike browsers and curl; DESIGN.md, "provider").
import http from "node:http";
import { DecloudError } from "./errors.js";

/** The HTTP status a GET of `url` gets; undefined when nothing answers. */
export function probeUrl(url: string, timeoutMs = 2_000): Promise<number | undefined> {
  const u = new URL(url);
  const local = u.hostname === "localhost" || u.hostname.endsWith(".localhost");
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: local ? "127.0.0.1" : u.hostname,
        port: Number(u.port || 80),
        path: `${u.pathname}${u.search}`,
        headers: { host: u.host },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/** The ingress answers these while the service behind it is not listening yet. */
const NOT_YET = new Set([502, 503, 504]);

/** Waits until every URL gets an answer from its service (any status but the ingress's 502/503/504). */
export async function waitForServing(urls: readonly string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      const status = await probeUrl(url);
      if (status !== undefined && !NOT_YET.has(status)) break;
      if (Date.now() >= deadline) {
        throw new DecloudError(
          `${url} does not answer (${status ?? "no connection"}) although its containers run.`,
          {
            hint: "Does the service listen on the port its SDL exposes? `decloud logs DSEQ` shows what it printed.",
          },
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
