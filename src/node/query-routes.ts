// The query methods the node serves over REST (port 1317) and gRPC (port 9090), and how a call reaches the app.
//
// Routes are derived from the service descriptors shipped with `@akashnetwork/chain-sdk` (each method carries
// its gRPC name, request/response types and gRPC-gateway HTTP path), for Cosmos, IBC and Akash alike — not
// written by hand (DESIGN.md, "node"). A call goes to a handler the node supplied for that gRPC path (the tx
// and tendermint services, which the node and not the app serves), or else to the app's ABCI query with the
// gRPC path and the request bytes (reference: cometbft-cosmos.md §3.9).
import { sdkServices } from "../codec/registry.js";

export interface QueryRoute {
  /** `/cosmos.bank.v1beta1.Query/AllBalances`: the gRPC method path, which is also what `abci_query` routes on. */
  readonly path: string;
  /** `cosmos.bank.v1beta1.Query` */
  readonly service: string;
  /** `AllBalances` */
  readonly method: string;
  /** gRPC-gateway template, e.g. `/cosmos/bank/v1beta1/balances/{address}`; absent if not exposed over REST. */
  readonly httpPath: string | undefined;
  readonly httpMethod: "GET" | "POST";
  /** Full protobuf names of the request and response messages. */
  readonly requestType: string;
  readonly responseType: string;
}

/** Last segments of the service names that hold queries (the others are Msg services and the provider's). */
const QUERY_SERVICES = new Set(["Query", "Service", "ReflectionService"]);

let allRoutes: readonly QueryRoute[] | undefined;

/** Every unary query method that chain-sdk describes (about 250: Cosmos, IBC, Akash), in a stable order. */
export function queryRoutes(): readonly QueryRoute[] {
  if (allRoutes) return allRoutes;
  const routes: QueryRoute[] = [];
  for (const service of sdkServices()) {
    if (!QUERY_SERVICES.has(service.typeName.slice(service.typeName.lastIndexOf(".") + 1))) continue;
    for (const m of Object.values(service.methods)) {
      if (m.kind) continue; // streaming
      routes.push({
        path: `/${service.typeName}/${m.name}`,
        service: service.typeName,
        method: m.name,
        httpPath: m.httpPath,
        httpMethod: m.httpMethod?.toUpperCase() === "POST" ? "POST" : "GET",
        requestType: m.input.$type,
        responseType: m.output.$type,
      });
    }
  }
  allRoutes = routes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return allRoutes;
}

// ---------------------------------------------------------------------------------------------------------
// Dispatch.

/** The REST header and gRPC metadata key that select (and report) the query height, as the Cosmos SDK names it. */
export const HEIGHT_HEADER = "x-cosmos-block-height";

/** The app's ABCI query result, as far as query routing needs it. */
export interface AbciQueryResult {
  readonly code: number;
  readonly log: string;
  readonly codespace: string;
  readonly value: Uint8Array;
  /** The height the query ran at (the SDK reports it; 0 or absent if unknown). */
  readonly height?: bigint;
}

/** The app's ABCI query: gRPC path, request bytes, and a height (absent = latest). */
export type AbciQuery = (path: string, data: Uint8Array, height?: bigint) => Promise<AbciQueryResult>;

/** A method the node serves itself. It returns the response bytes or throws a `QueryError`. */
export type QueryHandler = (request: Uint8Array, height?: bigint) => Promise<Uint8Array>;

export interface QueryDispatchOptions {
  /** The app's ABCI query (injected: REST and gRPC never touch the app otherwise). */
  readonly query: AbciQuery;
  /** Which gRPC paths the app serves; routes for other paths are not exposed. Default: all. */
  readonly servedPaths?: (path: string) => boolean;
  /** Node-served methods by gRPC path; they take precedence over the app. */
  readonly handlers?: Readonly<Record<string, QueryHandler>>;
}

/** gRPC status codes (google.golang.org/grpc/codes). */
export const GrpcCode = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

/** A failed query, as a gRPC status. */
export class QueryError extends Error {
  override name = "QueryError";
  /**
   * @param code gRPC status code
   * @param message the status message (what a gRPC client sees)
   * @param log the ABCI log when the failure came from the app: Cosmos' REST gateway prints it verbatim
   */
  constructor(
    readonly code: GrpcCode,
    message: string,
    readonly log?: string,
  ) {
    super(message);
  }
}

/**
 * Maps a failed ABCI query to a gRPC status. The SDK's gRPC router turns handler errors into ABCI errors with
 * a log like "rpc error: code = NotFound desc = …" and codes 22/18/4/6 (reference: cometbft-cosmos.md §3.9);
 * when the log carries a status we use it, otherwise the code as the SDK's client does
 * (client/grpc_query.go `sdkErrorToGRPCError`), plus "height in the future" (26) as InvalidArgument.
 */
export function abciErrorToQueryError(res: Pick<AbciQueryResult, "code" | "log" | "codespace">): QueryError {
  const m = /rpc error: code = (\w+) desc = ([\s\S]*)$/.exec(res.log);
  if (m && m[1]! in GrpcCode) return new QueryError(GrpcCode[m[1] as keyof typeof GrpcCode], m[2]!, res.log);
  const sdk = res.codespace === "sdk" || res.codespace === "";
  let code: GrpcCode = GrpcCode.Unknown;
  if (sdk && /unknown query path/i.test(res.log)) code = GrpcCode.Unimplemented;
  else if (sdk) code = SDK_CODES[res.code] ?? GrpcCode.Unknown;
  return new QueryError(code, res.log, res.log);
}

const SDK_CODES: Readonly<Record<number, GrpcCode>> = {
  4: GrpcCode.Unauthenticated, // ErrUnauthorized
  18: GrpcCode.InvalidArgument, // ErrInvalidRequest
  22: GrpcCode.NotFound, // ErrKeyNotFound
  26: GrpcCode.InvalidArgument, // ErrInvalidHeight ("cannot query with height in the future")
  38: GrpcCode.NotFound, // ErrNotFound
};

export interface QueryDispatcher {
  /** The routes that are served (a handler exists or the app serves the path). */
  readonly routes: readonly QueryRoute[];
  /** Runs a query by gRPC path. Throws `QueryError`. */
  call(path: string, request: Uint8Array, height?: bigint): Promise<{ value: Uint8Array; height?: bigint }>;
}

export function createQueryDispatcher(options: QueryDispatchOptions): QueryDispatcher {
  const handlers = options.handlers ?? {};
  const served = options.servedPaths ?? (() => true);
  const routes = queryRoutes().filter((r) => r.path in handlers || served(r.path));
  const paths = new Set(routes.map((r) => r.path));
  return {
    routes,
    async call(path, request, height) {
      if (!paths.has(path)) throw new QueryError(GrpcCode.Unimplemented, `unknown method ${path}`);
      const handler = handlers[path];
      if (handler) {
        try {
          return { value: await handler(request, height) };
        } catch (e) {
          throw e instanceof QueryError ? e : new QueryError(GrpcCode.Internal, (e as Error).message);
        }
      }
      let res: AbciQueryResult;
      try {
        res = await options.query(path, request, height);
      } catch (e) {
        throw new QueryError(GrpcCode.Internal, (e as Error).message);
      }
      if (res.code !== 0) throw abciErrorToQueryError(res);
      return { value: res.value, ...(res.height ? { height: res.height } : {}) };
    },
  };
}
