// A provider composed for tests: a fake chain, the real Docker backend, SQLite state in a temp dir, the lease
// manager, the gateway and the ingress on free loopback ports. Tests act as tenants through real HTTPS,
// websockets, JWTs made by chain-sdk and certificates made by chain-sdk.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CertificateManager, JwtTokenManager } from "@akashnetwork/chain-sdk";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { pino } from "pino";
import { WebSocket } from "ws";
import { parse, stringify } from "yaml";
import { DockerBackend } from "../cluster/docker/backend.js";
import { uniqueChainId } from "../cluster/docker/testing/engine.js";
import { parseConfig } from "../config.js";
import type { Gateway } from "../gateway/server.js";
import type { Ingress } from "../ingress/proxy.js";
import type { LeaseManager } from "../lease/manager.js";
import { Provider } from "../provider.js";
import type { ProviderStore } from "../state/store.js";
import { FakeChain } from "./fake-chain.js";

export interface Tenant {
  readonly address: string;
  readonly wallet: Secp256k1HdWallet;
  /** A chain-sdk JWT (ES256KADR36), full access, one hour. */
  jwt(options?: Partial<Parameters<JwtTokenManager["generateToken"]>[0]>): Promise<string>;
}

export async function newTenant(chain: FakeChain): Promise<Tenant> {
  const wallet = await Secp256k1HdWallet.generate(12, { prefix: "akash" });
  const [account] = await wallet.getAccounts();
  chain.pubkeys.set(account!.address, account!.pubkey);
  return {
    address: account!.address,
    wallet,
    // chain-sdk is typed against its own @cosmjs/amino (0.36); the wallet is the same interface at 0.39.
    jwt: (options = {}) =>
      new JwtTokenManager(wallet as never).generateToken({
        version: "v1",
        iss: account!.address,
        ...options,
      }),
  };
}

/** A client certificate made by chain-sdk, published (valid) on the fake chain. */
export async function publishedCertificate(
  chain: FakeChain,
  owner: string,
  state: "valid" | "revoked" = "valid",
) {
  const pem = await new CertificateManager().generatePEM(owner);
  const info = await new CertificateManager().parsePem(pem.cert);
  const serial = BigInt(`0x${info.hSerial}`).toString();
  chain.certs.set(owner, [...(chain.certs.get(owner) ?? []), { serial, state, cert: pem.cert }]);
  return { cert: pem.cert, key: pem.privateKey, serial };
}

export interface TestProvider {
  readonly provider: Provider;
  readonly chain: FakeChain;
  readonly cluster: DockerBackend;
  readonly store: ProviderStore;
  readonly leases: LeaseManager;
  readonly gateway: Gateway;
  readonly ingress: Ingress;
  readonly home: string;
  /** The gateway's TLS key pair (a restart given it presents the same certificate). */
  readonly tls: { readonly cert: string; readonly key: string };
  stop(): Promise<void>;
}

export const PROVIDER_ADDRESS = "akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp";

/**
 * A provider (the real composition, `Provider`) on free loopback ports over a fake chain. `home` keeps its
 * state: a second start on the same home is a provider restart.
 */
export async function startTestProvider(
  opts: {
    chain?: FakeChain;
    home?: string;
    config?: string;
    dockerSocket?: string;
    tls?: { cert: string; key: string };
  } = {},
): Promise<TestProvider> {
  const chain = opts.chain ?? new FakeChain(uniqueChainId("provider-test"), PROVIDER_ADDRESS);
  const home = opts.home ?? mkdtempSync(join(tmpdir(), "decloud-provider-"));
  const logger = pino({ level: process.env.DECLOUD_TEST_LOG ?? "silent" });
  const config = parseConfig(
    mergeYaml(
      `
gateway: {listen: "127.0.0.1:0"}
ingress: {listen: "127.0.0.1:0"}
bidding: {manifest_timeout: 0}
lease: {withdrawal_period: 0, funds_check_period: 0}`,
      opts.config ?? "",
    ),
  );
  const cluster = new DockerBackend({
    chainId: chain.chainId,
    provider: chain.address,
    socketPath: opts.dockerSocket,
    leaseSubnets: config.cluster.leaseSubnets,
  });
  let tls = opts.tls;
  if (!tls) {
    const pem = await new CertificateManager().generatePEM(chain.address);
    tls = { cert: pem.cert, key: pem.privateKey };
  }
  const provider = new Provider(config, home, { chain, cluster, logger, tls });
  await provider.start();
  return {
    provider,
    chain,
    cluster,
    store: provider.store,
    leases: provider.leases,
    gateway: provider.gateway,
    ingress: provider.ingress,
    home,
    tls,
    stop: async () => {
      await provider.stop();
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Config YAML `over` laid on `base`, section by section (tests change a few settings of a section). */
export function mergeYaml(base: string, over: string): string {
  const merged = parse(base) ?? {};
  for (const [k, v] of Object.entries(parse(over) ?? {})) {
    merged[k] = typeof v === "object" && v !== null && !Array.isArray(v) ? { ...(merged[k] ?? {}), ...v } : v;
  }
  return stringify(merged);
}

export interface GatewayReply {
  readonly status: number;
  readonly body: string;
  json(): unknown;
}

/** An HTTPS request to the gateway (the provider's self-signed certificate is accepted, as tests pin nothing). */
export function gatewayRequest(
  url: string,
  opts: { method?: string; body?: string; jwt?: string; cert?: { cert: string; key: string } } = {},
): Promise<GatewayReply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? "GET",
        rejectUnauthorized: false,
        headers: {
          ...(opts.jwt ? { authorization: `Bearer ${opts.jwt}` } : {}),
          ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(opts.cert ? { cert: opts.cert.cert, key: opts.cert.key } : {}),
      },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) }));
      },
    );
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Opens a gateway websocket and collects its messages until it closes. */
export function gatewaySocket(
  url: string,
  opts: { jwt?: string; onOpen?: (ws: WebSocket) => void; until?: (messages: Buffer[]) => boolean } = {},
): Promise<{ messages: Buffer[]; code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^https/, "wss"), {
      rejectUnauthorized: false,
      headers: opts.jwt ? { authorization: `Bearer ${opts.jwt}` } : {},
    });
    const messages: Buffer[] = [];
    ws.on("open", () => opts.onOpen?.(ws));
    ws.on("message", (data: Buffer) => {
      messages.push(Buffer.from(data));
      if (opts.until?.(messages)) ws.close(1000);
    });
    ws.on("close", (code, reason) => resolve({ messages, code, reason: reason.toString() }));
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
    });
    ws.on("error", reject);
  });
}

/** An HTTP request through the ingress with a Host header (Node's resolver does not map *.localhost). */
export async function ingressGet(
  ingressPort: number,
  host: string,
  path = "/",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A bounded request: a connection that is accepted but never answered must fail the probe, not hang it.
    const req = http.request(
      { host: "127.0.0.1", port: ingressPort, path, headers: { host }, timeout: 3000 },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from the ingress within 3 s (${host}${path})`)));
    req.on("error", reject);
    req.end();
  });
}

/** Polls until `probe` returns a value (tests wait for outcomes, never assert on time). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      // One probe never runs past the deadline: a hung attempt turns into a failure instead of a stuck test.
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`a probe did not finish`)),
          Math.max(1, deadline - Date.now()),
        );
      });
      const v = await Promise.race([probe(), expired]).finally(() => clearTimeout(timer));
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
