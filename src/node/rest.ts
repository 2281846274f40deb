// REST in the Cosmos gRPC-gateway style (port 1317): one route per query method at the HTTP path its service
// descriptor declares (query-routes.ts), request built from path and query parameters (or a POST body),
// response rendered by the codec's JSON encoder, errors as {"code", "message", "details"} with the HTTP status
// gRPC-gateway maps the gRPC code to. The height comes from the `x-cosmos-block-height` header.
// reference: cosmos-sdk server/api/server.go; grpc-gateway v1 runtime (errors.go, query.go).
//
// The node adds what needs it (the faucet, …) with `extraRoutes`; methods the node serves itself (tx and
// tendermint services) come as `handlers` and get their REST routes here like every other method.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Logger } from "pino";
import { fieldPath } from "../codec/descriptors.js";
import { type JsonObject, toJson } from "../codec/json.js";
import { fromJson, JsonParseError, paramsToJson } from "../codec/json-parse.js";
import {
  createQueryDispatcher,
  GrpcCode,
  HEIGHT_HEADER,
  type QueryDispatcher,
  type QueryDispatchOptions,
  QueryError,
  type QueryRoute,
} from "./query-routes.js";

export const DEFAULT_REST_PORT = 1317;

export interface RestServerOptions extends QueryDispatchOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Answer CORS preflights and allow any origin (Cosmos' `enabled-unsafe-cors`). Default false. */
  readonly cors?: boolean;
  readonly logger?: Logger;
  /** Registers the node's own routes (e.g. `/faucet`) before the server listens. */
  readonly extraRoutes?: (app: FastifyInstance, dispatcher: QueryDispatcher) => void | Promise<void>;
}

export interface RestServer {
  readonly app: FastifyInstance;
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

export async function createRestServer(options: RestServerOptions): Promise<RestServer> {
  const dispatcher = createQueryDispatcher(options);
  const app: FastifyInstance = Fastify({ loggerInstance: options.logger as FastifyBaseLogger | undefined });
  if (options.cors) enableCors(app);

  // gRPC-gateway answers unknown paths with a NotFound status.
  app.setNotFoundHandler((_req, reply) => sendError(reply, new QueryError(GrpcCode.NotFound, "Not Found")));
  app.setErrorHandler((error, _req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    // Fastify's own failures (a body that is not JSON, …) are client errors.
    const code = status >= 400 && status < 500 ? GrpcCode.InvalidArgument : GrpcCode.Internal;
    sendError(reply, new QueryError(code, error instanceof Error ? error.message : String(error)));
  });

  const registered = new Set<string>();
  for (const route of dispatcher.routes) {
    if (!route.httpPath) continue;
    const { url, params } = fastifyPath(route.httpPath);
    // Two services may claim one HTTP path (cosmos.epochs and akash.epochs): the first keeps it.
    const key = `${route.httpMethod} ${url}`;
    if (registered.has(key)) continue;
    registered.add(key);
    app.route({
      method: route.httpMethod,
      url,
      handler: (req, reply) => handle(dispatcher, route, params, req, reply),
    });
  }

  await options.extraRoutes?.(app, dispatcher);
  await app.listen({ port: options.port, host: options.host ?? "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    app,
    port,
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    close: () => app.close(),
  };
}

/**
 * `/a/{x}/b/{y=**}` → `/a/:p0/b/*`, and the field path each parameter fills. Parameters are renamed by position
 * so that routes sharing a prefix agree on the names (the router requires it) and dotted field paths fit.
 */
export function fastifyPath(httpPath: string): { url: string; params: Array<[string, string]> } {
  const params: Array<[string, string]> = [];
  const url = httpPath.replace(/\{([^}=]+)(=\*\*)?\}/g, (_m, field: string, wildcard?: string) => {
    if (wildcard) {
      params.push(["*", field]);
      return "*";
    }
    const name = `p${params.length}`;
    params.push([name, field]);
    return `:${name}`;
  });
  return { url, params };
}

async function handle(
  dispatcher: QueryDispatcher,
  route: QueryRoute,
  params: ReadonlyArray<[string, string]>,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  let request: Uint8Array;
  let height: bigint | undefined;
  try {
    request = buildRequest(route, params, req);
    height = parseHeight(req.headers[HEIGHT_HEADER]);
  } catch (e) {
    if (e instanceof JsonParseError)
      return sendError(reply, new QueryError(GrpcCode.InvalidArgument, e.message));
    throw e;
  }
  try {
    const result = await dispatcher.call(route.path, request, height);
    if (result.height !== undefined) reply.header(`grpc-metadata-${HEIGHT_HEADER}`, result.height.toString());
    sendJson(reply, 200, toJson(route.responseType, result.value));
  } catch (e) {
    sendError(reply, e instanceof QueryError ? e : new QueryError(GrpcCode.Internal, (e as Error).message));
  }
}

/** The request message from the body (POST, body "*"), then query parameters, then path parameters. */
function buildRequest(
  route: QueryRoute,
  params: ReadonlyArray<[string, string]>,
  req: FastifyRequest,
): Uint8Array {
  const entries: Array<[string, string[]]> = [];
  for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, string | string[]>)) {
    entries.push([name, Array.isArray(value) ? value : [value]]);
  }
  const pathValues = req.params as Record<string, string>;
  for (const [name, field] of params) {
    const value = pathValues[name] ?? "";
    // A repeated field in the path is a comma-separated list (grpc-gateway runtime.StringSlice).
    const repeated = fieldPath(route.requestType, field)?.at(-1)?.repeated;
    entries.push([field, repeated ? value.split(",") : [value]]);
  }
  const fromParams = paramsToJson(route.requestType, entries);
  if (route.httpMethod !== "POST") return fromJson(route.requestType, fromParams);
  const body = req.body ?? {};
  if (typeof body !== "object" || Array.isArray(body))
    throw new JsonParseError("the request body must be a JSON object");
  return fromJson(route.requestType, mergeJson(body as JsonObject, fromParams));
}

/** Deep-merges `over` into `base` (path and query parameters win over the body, as in grpc-gateway). */
function mergeJson(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isObj = (x: unknown): x is JsonObject => typeof x === "object" && x !== null && !Array.isArray(x);
    out[k] = isObj(b) && isObj(v) ? mergeJson(b, v) : v;
  }
  return out;
}

function parseHeight(header: string | string[] | undefined): bigint | undefined {
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value.trim())) throw new JsonParseError(`invalid ${HEIGHT_HEADER} header "${value}"`);
  const height = BigInt(value.trim());
  return height === 0n ? undefined : height;
}

/** grpc-gateway v1 runtime.HTTPStatusFromCode. */
export function httpStatusOf(code: GrpcCode): number {
  switch (code) {
    case GrpcCode.OK:
      return 200;
    case GrpcCode.Canceled:
      return 408;
    case GrpcCode.InvalidArgument:
    case GrpcCode.FailedPrecondition:
    case GrpcCode.OutOfRange:
      return 400;
    case GrpcCode.DeadlineExceeded:
      return 504;
    case GrpcCode.NotFound:
      return 404;
    case GrpcCode.AlreadyExists:
    case GrpcCode.Aborted:
      return 409;
    case GrpcCode.PermissionDenied:
      return 403;
    case GrpcCode.Unauthenticated:
      return 401;
    case GrpcCode.ResourceExhausted:
      return 429;
    case GrpcCode.Unimplemented:
      return 501;
    case GrpcCode.Unavailable:
      return 503;
    default:
      return 500;
  }
}

/**
 * Sends a gRPC status the way gRPC-gateway does: {"code", "message", "details": []}. For failures from the app
 * the message is the ABCI log verbatim ("rpc error: code = NotFound desc = …"), as Cosmos' REST prints it.
 */
export function sendError(reply: FastifyReply, error: QueryError): void {
  sendJson(reply, httpStatusOf(error.code), {
    code: error.code,
    message: error.log ?? error.message,
    details: [],
  });
}

function sendJson(reply: FastifyReply, status: number, body: JsonObject): void {
  reply.code(status).header("content-type", "application/json").send(JSON.stringify(body));
}

function enableCors(app: FastifyInstance): void {
  app.addHook("onRequest", async (req, reply) => {
    reply.header("access-control-allow-origin", "*");
    if (req.method === "OPTIONS") {
      reply
        .header("access-control-allow-methods", "GET, POST, OPTIONS")
        .header("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "*")
        .code(204)
        .send();
    }
  });
}
