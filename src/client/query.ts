// Queries by gRPC method path over CometBFT's `abci_query`, with chain-sdk's request and response codecs:
// what Akash's own clients send (reference: cometbft-cosmos.md §2), so any node of the chain answers.
import { nodeRequest, type PublicClient } from "./connect.js";
import { DecloudError } from "./errors.js";

/** A chain-sdk (ts-proto) message codec. */
export interface QueryCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  fromPartial(object: never): T;
}

/** The node answered the query with an error (its code and log). */
export class QueryError extends DecloudError {
  override name = "QueryError";
  constructor(
    readonly path: string,
    readonly code: number,
    readonly log: string,
  ) {
    super(`The node refused ${path}: ${log.replace(/^.*desc = /s, "") || `code ${code}`}`);
  }

  /** Cosmos's "not found" (sdk code 22, gRPC NotFound), as modules report a missing record. */
  get notFound(): boolean {
    return /not found/i.test(this.log);
  }
}

export async function queryAbci<Req, Res>(
  client: PublicClient,
  path: string,
  request: QueryCodec<Req>,
  response: QueryCodec<Res>,
  value: unknown,
): Promise<Res> {
  const data = request.encode(request.fromPartial(value as never)).finish();
  const r = await nodeRequest(client, () => client.comet.abciQuery({ path, data }));
  if (r.code) throw new QueryError(path, r.code, r.log ?? "");
  return response.decode(r.value);
}

/** The same query, undefined when the record does not exist. */
export async function queryAbciOptional<Req, Res>(
  client: PublicClient,
  path: string,
  request: QueryCodec<Req>,
  response: QueryCodec<Res>,
  value: unknown,
): Promise<Res | undefined> {
  try {
    return await queryAbci(client, path, request, response, value);
  } catch (e) {
    if (e instanceof QueryError && e.notFound) return undefined;
    throw e;
  }
}

/** Every page of a paginated query, following `next_key` (1000 records per page). */
export async function queryAllPages<Req, Res extends { pagination?: { nextKey: Uint8Array } | undefined }>(
  client: PublicClient,
  path: string,
  request: QueryCodec<Req>,
  response: QueryCodec<Res>,
  value: Record<string, unknown>,
): Promise<Res[]> {
  const pages: Res[] = [];
  let key: Uint8Array = new Uint8Array();
  for (;;) {
    const page = await queryAbci(client, path, request, response, {
      ...value,
      pagination: { key, limit: "1000" },
    });
    pages.push(page);
    const next = page.pagination?.nextKey;
    if (!next || next.length === 0) return pages;
    key = next;
  }
}
