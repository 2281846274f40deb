// The REST (1317) and gRPC (9090) services of a node, as `NodeServiceFactory`s: both serve the app's queries
// through its ABCI query and the methods the node itself answers (the tx and tendermint services) from the
// node's `ChainSource`: the solo node's block store, mempool and event bus, or CometBFT's RPC.
// DESIGN.md, "node"; issue 3, item 4; issue 7, item 3.
//
//   new Node({ ..., services: [restService({ port: 1317, servedPaths: app.queryPaths() }),
//                              grpcService({ port: 9090, servedPaths: app.queryPaths() })] }, { app });
import { createGrpcServer, DEFAULT_GRPC_PORT, type GrpcServer } from "../grpc.js";
import type { NodeContext, NodeService, NodeServiceFactory } from "../node.js";
import type { AbciQuery, QueryHandler } from "../query-routes.js";
import { createRestServer, DEFAULT_REST_PORT, type RestServer, type RestServerOptions } from "../rest.js";
import { type TendermintServiceOptions, tendermintServiceHandlers } from "./tendermint-service.js";
import { type TxServiceOptions, txServiceHandlers } from "./tx-service.js";

export { broadcastTx, DEFAULT_BROADCAST_TIMEOUT_MS } from "./broadcast.js";
export type { ChainSource, ChainValidator, CommitOutcome, StoredTx, TxSearchPage } from "./chain.js";
export { checkPage, nodeInfoFromRpc, soloChainSource } from "./chain.js";
export { sdkBlockOf, tendermintServiceHandlers, VALCONS_PREFIX } from "./tendermint-service.js";
export { txServiceHandlers } from "./tx-service.js";

export type NodeHandlerOptions = TxServiceOptions & TendermintServiceOptions;

/** Every method the node serves itself, by gRPC path (for `createQueryDispatcher`'s `handlers`). */
export function nodeQueryHandlers(
  ctx: NodeContext,
  opts: NodeHandlerOptions = {},
): Record<string, QueryHandler> {
  return { ...txServiceHandlers(ctx, opts), ...tendermintServiceHandlers(ctx, opts) };
}

/** The app's ABCI query (serialized with block execution), as REST and gRPC call it. */
export function appQuery(ctx: NodeContext): AbciQuery {
  return async (path, data, height) => {
    const res = await ctx.chain.query({ path, data, height: height ?? 0n, prove: false });
    return { code: res.code, log: res.log, codespace: res.codespace, value: res.value, height: res.height };
  };
}

interface ServiceOptions extends NodeHandlerOptions {
  /** 0 picks a free port. Defaults: 1317 (REST), 9090 (gRPC). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /**
   * The gRPC paths the app answers over ABCI query (the app's `queryPaths()`): only those, and the node's own
   * methods, get routes. Default: every described method is routed to the app.
   */
  readonly servedPaths?: readonly string[] | ((path: string) => boolean);
  /** Told the port once listening (useful with port 0). */
  readonly onListening?: (port: number) => void;
}

export interface RestServiceOptions extends ServiceOptions {
  /** Allow any origin (Cosmos' `enabled-unsafe-cors`). Default false. */
  readonly cors?: boolean;
  /** The node's own routes beside the queries, e.g. the devnet's `POST /faucet`. */
  readonly extraRoutes?: RestServerOptions["extraRoutes"];
}

export type GrpcServiceOptions = ServiceOptions;

function dispatchOptions(ctx: NodeContext, opts: ServiceOptions) {
  const served = opts.servedPaths;
  const set = Array.isArray(served) ? new Set<string>(served) : undefined;
  return {
    query: appQuery(ctx),
    servedPaths: set ? (path: string) => set.has(path) : (served as ((path: string) => boolean) | undefined),
    handlers: nodeQueryHandlers(ctx, opts),
  };
}

/** REST in the gRPC-gateway style (port 1317). */
export function restService(opts: RestServiceOptions = {}): NodeServiceFactory {
  return (ctx): NodeService => {
    let server: RestServer | undefined;
    return {
      name: "rest",
      async start() {
        server = await createRestServer({
          ...dispatchOptions(ctx, opts),
          port: opts.port ?? DEFAULT_REST_PORT,
          host: opts.host,
          cors: opts.cors,
          // Fastify logs every request at info: keep that out of a node's normal (info) output.
          logger: ctx.logger.child(
            { service: "rest" },
            { level: ctx.logger.level === "info" ? "warn" : ctx.logger.level },
          ),
          extraRoutes: opts.extraRoutes,
        });
        ctx.logger.info({ url: server.url }, "REST server listening");
        opts.onListening?.(server.port);
      },
      async stop() {
        await server?.close();
        server = undefined;
      },
    };
  };
}

/** gRPC (port 9090), what Akash's `createChainNodeSDK` queries. */
export function grpcService(opts: GrpcServiceOptions = {}): NodeServiceFactory {
  return (ctx): NodeService => {
    let server: GrpcServer | undefined;
    return {
      name: "grpc",
      async start() {
        server = await createGrpcServer({
          ...dispatchOptions(ctx, opts),
          port: opts.port ?? DEFAULT_GRPC_PORT,
          host: opts.host,
        });
        ctx.logger.info({ address: server.address }, "gRPC server listening");
        opts.onListening?.(server.port);
      },
      async stop() {
        await server?.close();
        server = undefined;
      },
    };
  };
}
