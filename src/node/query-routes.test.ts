import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describe as describeType } from "../codec/descriptors.js";
import {
  abciErrorToQueryError,
  createQueryDispatcher,
  GrpcCode,
  QueryError,
  queryRoutes,
} from "./query-routes.js";

describe("query routes", () => {
  it("come from chain-sdk's service descriptors, Cosmos and Akash alike", () => {
    const routes = queryRoutes();
    const byPath = new Map(routes.map((r) => [r.path, r]));
    assert.deepEqual(byPath.get("/cosmos.bank.v1beta1.Query/AllBalances"), {
      path: "/cosmos.bank.v1beta1.Query/AllBalances",
      service: "cosmos.bank.v1beta1.Query",
      method: "AllBalances",
      httpPath: "/cosmos/bank/v1beta1/balances/{address}",
      httpMethod: "GET",
      requestType: "cosmos.bank.v1beta1.QueryAllBalancesRequest",
      responseType: "cosmos.bank.v1beta1.QueryAllBalancesResponse",
    });
    assert.equal(byPath.get("/akash.market.v1beta5.Query/Bids")?.httpPath, "/akash/market/v1beta5/bids/list");
    assert.equal(byPath.get("/cosmos.tx.v1beta1.Service/BroadcastTx")?.httpMethod, "POST");
    assert.ok(byPath.has("/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock"));
    assert.ok(byPath.has("/ibc.core.client.v1.Query/ClientStates"));
    assert.ok(routes.length > 200, `${routes.length} routes`);
    assert.ok(!routes.some((r) => r.service.endsWith(".Msg")), "no Msg services");
    assert.ok(!routes.some((r) => r.service.startsWith("akash.provider.lease")), "no provider services");
  });

  it("have request and response types the JSON codec can describe", () => {
    for (const route of queryRoutes()) {
      describeType(route.requestType);
      describeType(route.responseType);
    }
  });
});

describe("ABCI errors → gRPC status", () => {
  it("takes the status from an SDK 'rpc error' log", () => {
    const e = abciErrorToQueryError({
      code: 22,
      codespace: "sdk",
      log: "rpc error: code = NotFound desc = account akash1x not found: key not found",
    });
    assert.equal(e.code, GrpcCode.NotFound);
    assert.equal(e.message, "account akash1x not found: key not found");
    assert.equal(e.log, "rpc error: code = NotFound desc = account akash1x not found: key not found");
  });

  it("maps SDK codes as the SDK's client does", () => {
    const code = (c: number, codespace = "sdk", log = "boom") =>
      abciErrorToQueryError({ code: c, codespace, log }).code;
    assert.equal(code(22), GrpcCode.NotFound);
    assert.equal(code(18), GrpcCode.InvalidArgument);
    assert.equal(code(4), GrpcCode.Unauthenticated);
    assert.equal(code(26), GrpcCode.InvalidArgument);
    assert.equal(code(6, "sdk", "unknown query path /x.Query/Y"), GrpcCode.Unimplemented);
    assert.equal(code(5), GrpcCode.Unknown);
    assert.equal(code(22, "deployment"), GrpcCode.Unknown, "module codespaces carry their own codes");
  });
});

describe("query dispatcher", () => {
  const ok = (value: number[]) => async () => ({
    code: 0,
    log: "",
    codespace: "",
    value: Uint8Array.from(value),
  });

  it("sends app paths to the ABCI query with the request bytes and height", async () => {
    const calls: unknown[] = [];
    const dispatcher = createQueryDispatcher({
      query: async (path, data, height) => {
        calls.push([path, [...data], height]);
        return { code: 0, log: "", codespace: "", value: Uint8Array.of(7), height: 9n };
      },
    });
    assert.deepEqual(await dispatcher.call("/cosmos.bank.v1beta1.Query/AllBalances", Uint8Array.of(1), 3n), {
      value: Uint8Array.of(7),
      height: 9n,
    });
    assert.deepEqual(calls, [["/cosmos.bank.v1beta1.Query/AllBalances", [1], 3n]]);
  });

  it("prefers node handlers and serves only what the app serves", async () => {
    const dispatcher = createQueryDispatcher({
      query: ok([1]),
      servedPaths: (path) => path.startsWith("/cosmos.bank."),
      handlers: { "/cosmos.tx.v1beta1.Service/GetTx": async () => Uint8Array.of(2) },
    });
    assert.deepEqual(
      (await dispatcher.call("/cosmos.bank.v1beta1.Query/Balance", new Uint8Array())).value,
      Uint8Array.of(1),
    );
    assert.deepEqual(
      (await dispatcher.call("/cosmos.tx.v1beta1.Service/GetTx", new Uint8Array())).value,
      Uint8Array.of(2),
    );
    assert.ok(
      dispatcher.routes.every((r) => r.path.startsWith("/cosmos.bank.") || r.path.endsWith("/GetTx")),
    );
    await assert.rejects(
      dispatcher.call("/akash.market.v1beta5.Query/Bids", new Uint8Array()),
      (e) => e instanceof QueryError && e.code === GrpcCode.Unimplemented,
    );
  });

  it("turns app failures into gRPC statuses", async () => {
    const dispatcher = createQueryDispatcher({
      query: async () => ({ code: 18, codespace: "sdk", log: "invalid request", value: new Uint8Array() }),
    });
    await assert.rejects(
      dispatcher.call("/cosmos.bank.v1beta1.Query/Balance", new Uint8Array()),
      (e) =>
        e instanceof QueryError && e.code === GrpcCode.InvalidArgument && e.message === "invalid request",
    );
  });
});
