// The provider gateway: HTTPS with TLS 1.3 only, Akash's REST routes and JSON shapes (reference:
// akash-provider.md §4.1–4.3, §5.4). The owner comes from the credentials, the provider is this one, the
// path only names dseq/gseq/oseq: a tenant can never address another owner's lease.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { WebSocketServer } from "ws";
import { STREAM_CLOSE_CODE } from "../../client/gateway/streams.js";
import type { HostnameMigrationResult, ProviderStatus } from "../../client/gateway/types.js";
import type { ProviderChain } from "../chain/chain.js";
import type { ClusterBackend } from "../cluster/backend.js";
import { GatewayError } from "../errors.js";
import type { LeaseManager } from "../lease/manager.js";
import type { LeaseId } from "../lease-id.js";
import { AuthError } from "./auth/errors.js";
import { authorize, type Grant, type Scope } from "./auth/scope.js";
import { authenticate, type CredentialLookups } from "./authenticate.js";
import { runShell, streamEvents, streamLogs } from "./streams.js";

export interface GatewayOptions {
  readonly host: string;
  readonly port: number;
  /** The provider's TLS certificate and key (PEM): its on-chain certificate. */
  readonly cert: string;
  readonly key: string;
  readonly version: string;
}

export interface GatewayModules {
  readonly chain: ProviderChain;
  readonly cluster: ClusterBackend;
  readonly leases: LeaseManager;
  /** The provider's `/status` document (reference §6.5). */
  readonly status: () => Promise<ProviderStatus>;
}

const DSEQ = /^\d{1,20}$/;
const SEQ = /^\d{1,10}$/;

export class Gateway {
  private app: FastifyInstance | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Account public keys never change once on chain: each is looked up once. */
  private readonly pubkeys = new Map<string, Uint8Array>();
  private readonly lookups: CredentialLookups = {
    pubkey: async (address) => {
      const known = this.pubkeys.get(address);
      if (known) return known;
      const pubkey = await this.modules.chain.accountPubkey(address);
      if (pubkey) this.pubkeys.set(address, pubkey);
      return pubkey;
    },
    certificates: (owner) => this.modules.chain.certificates(owner),
  };

  constructor(
    private readonly opts: GatewayOptions,
    private readonly modules: GatewayModules,
  ) {}

  get address(): { host: string; port: number } {
    const a = this.app?.server.address();
    return { host: this.opts.host, port: typeof a === "object" && a ? a.port : this.opts.port };
  }

  get url(): string {
    return `https://${this.address.host}:${this.address.port}`;
  }

  async start(): Promise<void> {
    const app = Fastify({
      https: {
        cert: this.opts.cert,
        key: this.opts.key,
        minVersion: "TLSv1.3",
        // The client certificate is asked for, not required: JWT clients send none.
        requestCert: true,
        rejectUnauthorized: false,
      },
      // Akash's provider gives a manifest two minutes (reference §4.3).
      requestTimeout: 120_000,
      bodyLimit: 8 * 1024 * 1024,
    });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
    app.setErrorHandler((error, _req, reply) => this.sendError(reply, error));
    this.routes(app);
    app.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head);
    });
    await app.listen({ host: this.opts.host, port: this.opts.port });
    this.app = app;
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await this.app?.close();
  }

  private sendError(reply: FastifyReply, error: unknown): FastifyReply {
    if (error instanceof AuthError) return reply.code(error.status).send({ message: error.message });
    if (error instanceof GatewayError) return reply.code(error.status).type("text/plain").send(error.message);
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply
        .code(status)
        .type("text/plain")
        .send((error as Error).message);
    }
    return reply
      .code(500)
      .type("text/plain")
      .send((error as Error).message ?? "internal error");
  }

  /** Authenticates, checks the scope and returns the lease the path names (owner from the credentials). */
  private async leaseFor(req: FastifyRequest, scope: Scope | undefined): Promise<LeaseId> {
    const p = req.params as { dseq: string; gseq: string; oseq: string };
    if (!DSEQ.test(p.dseq) || !SEQ.test(p.gseq) || !SEQ.test(p.oseq)) {
      throw new GatewayError(400, "invalid lease id in path");
    }
    const grant = await authenticate(req.raw, this.lookups);
    return this.authorizeLease(grant, scope, p);
  }

  private authorizeLease(
    grant: Grant,
    scope: Scope | undefined,
    p: { dseq: string; gseq: string; oseq: string },
  ) {
    const lease: LeaseId = {
      owner: grant.owner,
      dseq: BigInt(p.dseq).toString(),
      gseq: Number(p.gseq),
      oseq: Number(p.oseq),
      provider: this.modules.chain.address,
    };
    authorize(grant, scope, lease);
    return lease;
  }

  private routes(app: FastifyInstance): void {
    const { chain, leases } = this.modules;
    app.get("/version", async () => ({
      akash: {
        version: this.opts.version,
        commit: "",
        buildTags: "decloud",
        go: `node ${process.version}`,
        cosmosSdkVersion: "v0.50",
      },
      kube: null,
      backend: this.modules.cluster.kind,
    }));
    app.get("/address", async () => ({ address: chain.address }));
    app.get("/status", async () => this.modules.status());

    app.put("/deployment/:dseq/manifest", async (req, reply) => {
      const { dseq } = req.params as { dseq: string };
      if (!DSEQ.test(dseq)) throw new GatewayError(400, "invalid dseq");
      const grant = await authenticate(req.raw, this.lookups);
      authorize(grant, "send-manifest", { provider: chain.address, dseq });
      const body = typeof req.body === "string" ? req.body : "";
      await leases.submitManifest({ owner: grant.owner, dseq: BigInt(dseq).toString() }, body);
      return reply.code(200).send("");
    });

    // Akash's route (reference §4.3): owner auth, scope `hostname-migrate` (§4.2) on the destination and on
    // every lease a hostname is taken from; plain-text refusals, `{"transferred": [...]}` on success.
    app.post("/hostname/migrate", async (req) => {
      const grant = await authenticate(req.raw, this.lookups);
      const body = parseMigrationRequest(typeof req.body === "string" ? req.body : "");
      const target = { provider: chain.address, dseq: body.dseq, gseq: body.gseq };
      authorize(grant, "hostname-migrate", target);
      const result = leases.migrateHostnames(grant.owner, body, (from) =>
        authorize(grant, "hostname-migrate", from),
      );
      const seq = (l: LeaseId) => ({ dseq: l.dseq, gseq: l.gseq, oseq: l.oseq });
      const answer: HostnameMigrationResult = {
        transferred: [...result.moved.map((m) => m.hostname), ...result.already],
        destination: seq(result.destination),
        moved: result.moved.map((m) => ({
          hostname: m.hostname,
          service: m.service,
          from: m.from ? seq(m.from) : null,
        })),
        already: result.already,
      };
      return answer;
    });

    app.get("/lease/:dseq/:gseq/:oseq/status", async (req) =>
      leases.leaseStatus(await this.leaseFor(req, "status")),
    );
    app.get("/lease/:dseq/:gseq/:oseq/manifest", async (req, reply) =>
      reply.type("application/json").send(leases.leaseManifest(await this.leaseFor(req, "get-manifest"))),
    );
    app.get("/lease/:dseq/:gseq/:oseq/service/:name/status", async (req) => {
      const lease = await this.leaseFor(req, "status");
      const { name } = req.params as { name: string };
      const status = await leases.leaseStatus(lease);
      const service = status.services[name];
      if (!service) throw new GatewayError(404, "service not found");
      return service;
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "https://gateway");
    const m = url.pathname.match(/^\/lease\/(\d{1,20})\/(\d{1,10})\/(\d{1,10})\/(logs|kubeevents|shell)$/);
    const refuse = (status: number, message: string, json: boolean) => {
      const body = json ? JSON.stringify({ message }) : message;
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 404 ? "Not Found" : "Bad Request"}\r\n` +
          `Content-Type: ${json ? "application/json" : "text/plain"}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
    };
    if (!m) return refuse(404, "not found", false);
    const [, dseq, gseq, oseq, route] = m as unknown as [string, string, string, string, string];
    const scope: Scope = route === "logs" ? "logs" : route === "shell" ? "shell" : "events";
    let lease: LeaseId;
    try {
      const grant = await authenticate(req, this.lookups);
      lease = this.authorizeLease(grant, scope, { dseq, gseq, oseq });
    } catch (e) {
      if (e instanceof AuthError) return refuse(e.status, e.message, true);
      return refuse(400, (e as Error).message, false);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const { cluster, leases } = this.modules;
      try {
        leases.requireLease(lease);
      } catch {
        ws.close(STREAM_CLOSE_CODE.leaseNotFound, "lease not found");
        return;
      }
      const run =
        route === "logs"
          ? streamLogs(ws, cluster, lease, url.searchParams)
          : route === "shell"
            ? runShell(ws, cluster, lease, url.searchParams)
            : streamEvents(ws, cluster, lease, url.searchParams);
      run.catch(() => {
        if (ws.readyState === ws.OPEN) ws.close(STREAM_CLOSE_CODE.internal, "internal error");
      });
    });
  }
}

/**
 * The body of `POST /hostname/migrate`: `{hostnames_to_migrate[], destination_dseq, destination_gseq}`
 * (reference §4.3). Akash answers 422 to a body that is not JSON and 400 to an empty list; dseq is a uint64,
 * so a number beyond 2^53 is read from the text itself (JSON.parse would round it); a missing gseq is 1.
 */
export function parseMigrationRequest(text: string): {
  hostnames: string[];
  dseq: string;
  gseq: number;
} {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GatewayError(
      422,
      "the body is not JSON: send {hostnames_to_migrate: [...], destination_dseq, destination_gseq}",
    );
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new GatewayError(422, "the body is not a JSON object");
  const b = body as Record<string, unknown>;
  const hostnames = b.hostnames_to_migrate;
  if (!Array.isArray(hostnames) || hostnames.some((h) => typeof h !== "string" || h === ""))
    throw new GatewayError(400, "hostnames_to_migrate must be a list of hostnames");
  if (hostnames.length === 0) throw new GatewayError(400, "no hostnames to migrate");
  let dseq: string | undefined;
  const d = b.destination_dseq;
  if (typeof d === "string" && DSEQ.test(d)) dseq = d;
  else if (typeof d === "number" && Number.isInteger(d) && d >= 0) {
    dseq = Number.isSafeInteger(d) ? String(d) : /"destination_dseq"\s*:\s*(\d{1,20})/.exec(text)?.[1];
  }
  if (dseq === undefined || BigInt(dseq) === 0n || BigInt(dseq) >= 2n ** 64n)
    throw new GatewayError(400, "destination_dseq must be the destination deployment's sequence number");
  const g = b.destination_gseq ?? 1;
  if (typeof g !== "number" || !Number.isInteger(g) || g < 1 || g > 0xffffffff)
    throw new GatewayError(400, "destination_gseq must be a group sequence number (1 or more)");
  return { hostnames: hostnames as string[], dseq: BigInt(dseq).toString(), gseq: g };
}
