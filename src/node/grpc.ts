// gRPC on port 9090, serving every query method (Akash's `createChainNodeSDK` queries over gRPC; DESIGN.md,
// "node"). Methods are registered from the routes in query-routes.ts with raw-bytes (de)serialisation: a call's
// request bytes go unchanged to the app's ABCI query (or a node handler) and the response bytes come back
// unchanged. The height comes from the `x-cosmos-block-height` metadata and is echoed in the response header,
// as the Cosmos SDK's gRPC server does (cosmos-sdk baseapp/grpcserver.go).
import {
  type handleUnaryCall,
  Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  createQueryDispatcher,
  GrpcCode,
  HEIGHT_HEADER,
  type QueryDispatcher,
  type QueryDispatchOptions,
  QueryError,
} from "./query-routes.js";

export const DEFAULT_GRPC_PORT = 9090;

export interface GrpcServerOptions extends QueryDispatchOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

export interface GrpcServer {
  readonly server: Server;
  readonly port: number;
  /** host:port, as gRPC clients take it. */
  readonly address: string;
  close(): Promise<void>;
}

/** The SDK's defaults (server/config): 10 MB in, unlimited out. */
const SERVER_OPTIONS = {
  "grpc.max_receive_message_length": 10 * 1024 * 1024,
  "grpc.max_send_message_length": -1,
};

export async function createGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const dispatcher = createQueryDispatcher(options);
  const server = new Server(SERVER_OPTIONS);
  for (const [definition, implementation] of services(dispatcher))
    server.addService(definition, implementation);

  const host = options.host ?? "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  return {
    server,
    port,
    address: `${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Let calls in flight finish, but not forever.
        const timer = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

const raw = (b: Buffer | Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length);

/** One grpc-js service per protobuf service, each method forwarding raw bytes to the dispatcher. */
function services(dispatcher: QueryDispatcher): Array<[ServiceDefinition, UntypedServiceImplementation]> {
  const byService = new Map<string, [Record<string, unknown>, UntypedServiceImplementation]>();
  for (const route of dispatcher.routes) {
    let entry = byService.get(route.service);
    if (!entry) {
      entry = [{}, {}];
      byService.set(route.service, entry);
    }
    entry[0][route.method] = {
      path: route.path,
      requestStream: false,
      responseStream: false,
      requestSerialize: raw,
      requestDeserialize: raw,
      responseSerialize: raw,
      responseDeserialize: raw,
      originalName: route.method,
    };
    entry[1][route.method] = unaryHandler(dispatcher, route.path);
  }
  return [...byService.values()].map(([definition, implementation]) => [
    definition as unknown as ServiceDefinition,
    implementation,
  ]);
}

function unaryHandler(dispatcher: QueryDispatcher, path: string): handleUnaryCall<Buffer, Buffer> {
  return (call: ServerUnaryCall<Buffer, Buffer>, callback) => {
    let height: bigint | undefined;
    const header = call.metadata.get(HEIGHT_HEADER)[0];
    if (header !== undefined && header !== "") {
      if (!/^\d+$/.test(String(header))) {
        callback({ code: GrpcCode.InvalidArgument, details: `invalid ${HEIGHT_HEADER} "${header}"` });
        return;
      }
      height = BigInt(String(header)) || undefined;
    }
    dispatcher.call(path, call.request, height).then(
      (result) => {
        if (result.height !== undefined) {
          const md = new Metadata();
          md.set(HEIGHT_HEADER, result.height.toString());
          call.sendMetadata(md);
        }
        callback(null, raw(result.value));
      },
      (e: unknown) => {
        const error = e instanceof QueryError ? e : new QueryError(GrpcCode.Internal, (e as Error).message);
        callback({ code: error.code, details: error.message });
      },
    );
  };
}
