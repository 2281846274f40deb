import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { QueryDeploymentRequest } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryDenomMetadataRequest,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import {
  BroadcastMode,
  BroadcastTxRequest,
  BroadcastTxResponse,
} from "cosmjs-types/cosmos/tx/v1beta1/service";
import { type AbciQueryResult, queryRoutes } from "./query-routes.js";
import { createRestServer, fastifyPath, type RestServer } from "./rest.js";

const ADDR = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8hrh3z";

interface Call {
  path: string;
  data: Uint8Array;
  height: bigint | undefined;
}

describe("REST server (gRPC-gateway style)", () => {
  let server: RestServer;
  const calls: Call[] = [];
  let next: AbciQueryResult = { code: 0, log: "", codespace: "", value: new Uint8Array() };
  const broadcasts: Uint8Array[] = [];

  before(async () => {
    server = await createRestServer({
      port: 0,
      query: async (path, data, height) => {
        calls.push({ path, data, height });
        return next;
      },
      servedPaths: (path) => !path.startsWith("/cosmos.gov."),
      handlers: {
        "/cosmos.tx.v1beta1.Service/BroadcastTx": async (request) => {
          broadcasts.push(request);
          return BroadcastTxResponse.encode({
            txResponse: {
              height: 0n,
              txhash: "AB",
              codespace: "",
              code: 0,
              data: "",
              rawLog: "",
              logs: [],
              info: "",
              gasWanted: 0n,
              gasUsed: 0n,
              timestamp: "",
              events: [],
            },
          }).finish();
        },
      },
      extraRoutes: (app) => {
        app.get("/faucet", async () => ({ ok: true }));
      },
    });
  });

  after(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });

  it("serves a query: path and query parameters in, gateway JSON out, height from the header", async () => {
    next = {
      code: 0,
      log: "",
      codespace: "",
      value: QueryAllBalancesResponse.encode({
        balances: [{ denom: "uakt", amount: "1000" }],
        pagination: { nextKey: new Uint8Array(), total: 1n },
      }).finish(),
      height: 12n,
    };
    const res = await get(`/cosmos/bank/v1beta1/balances/${ADDR}?pagination.limit=10&pagination.key=AQI%3D`, {
      "x-cosmos-block-height": "5",
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    assert.equal(res.headers.get("grpc-metadata-x-cosmos-block-height"), "12");
    assert.equal(
      await res.text(),
      '{"balances":[{"denom":"uakt","amount":"1000"}],"pagination":{"next_key":null,"total":"1"}}',
    );
    const call = calls.at(-1)!;
    assert.equal(call.path, "/cosmos.bank.v1beta1.Query/AllBalances");
    assert.equal(call.height, 5n);
    assert.deepEqual(QueryAllBalancesRequest.decode(call.data), {
      address: ADDR,
      pagination: { key: Uint8Array.of(1, 2), offset: 0n, limit: 10n, countTotal: false, reverse: false },
      resolveDenom: false,
    });
  });

  it("fills a {denom=**} parameter with the rest of the path", async () => {
    next = { code: 0, log: "", codespace: "", value: new Uint8Array() };
    const res = await get("/cosmos/bank/v1beta1/denoms_metadata/ibc/ABC123");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { metadata: null });
    assert.deepEqual(QueryDenomMetadataRequest.decode(calls.at(-1)!.data), { denom: "ibc/ABC123" });
  });

  it("reads nested Akash query parameters", async () => {
    next = { code: 0, log: "", codespace: "", value: new Uint8Array() };
    const res = await get(`/akash/deployment/v1beta4/deployments/info?id.owner=${ADDR}&id.dseq=42`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { deployment: null, groups: [], escrow_account: null });
    const call = calls.at(-1)!;
    assert.equal(call.path, "/akash.deployment.v1beta4.Query/Deployment");
    const request = QueryDeploymentRequest.decode(call.data);
    assert.equal(request.id?.owner, ADDR);
    assert.equal(request.id?.dseq.toString(), "42");
  });

  it("renders app errors as gRPC-gateway does, with the HTTP status of the gRPC code", async () => {
    const log = `rpc error: code = NotFound desc = account ${ADDR} not found: key not found`;
    next = { code: 22, log, codespace: "sdk", value: new Uint8Array() };
    const res = await get(`/cosmos/auth/v1beta1/accounts/${ADDR}`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { code: 5, message: log, details: [] });

    next = { code: 18, log: "invalid request", codespace: "sdk", value: new Uint8Array() };
    const bad = await get(`/cosmos/auth/v1beta1/accounts/${ADDR}`);
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { code: 3, message: "invalid request", details: [] });
  });

  it("rejects malformed parameters and heights with InvalidArgument", async () => {
    const bad = await get(`/cosmos/bank/v1beta1/balances/${ADDR}?pagination.limit=ten`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: number }).code, 3);
    const height = await get(`/cosmos/bank/v1beta1/balances/${ADDR}`, { "x-cosmos-block-height": "abc" });
    assert.equal(height.status, 400);
  });

  it("answers unknown and unserved paths with NotFound", async () => {
    for (const path of ["/nope", "/cosmos/gov/v1/params/voting"]) {
      const res = await get(path);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { code: 5, message: "Not Found", details: [] });
    }
  });

  it("routes node-served methods to their handlers, with a JSON body for POST", async () => {
    const res = await fetch(`${server.url}/cosmos/tx/v1beta1/txs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tx_bytes: "AQID", mode: "BROADCAST_MODE_SYNC" }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { tx_response: { txhash: string; height: string } };
    assert.equal(body.tx_response.txhash, "AB");
    assert.equal(body.tx_response.height, "0");
    assert.deepEqual(BroadcastTxRequest.decode(broadcasts.at(-1)!), {
      txBytes: Uint8Array.of(1, 2, 3),
      mode: BroadcastMode.BROADCAST_MODE_SYNC,
    });
  });

  it("keeps the node's extra routes", async () => {
    assert.deepEqual(await (await get("/faucet")).json(), { ok: true });
  });

  it("turns gateway templates into router paths", () => {
    assert.deepEqual(fastifyPath("/cosmos/bank/v1beta1/balances/{address}/by_denom"), {
      url: "/cosmos/bank/v1beta1/balances/:p0/by_denom",
      params: [["p0", "address"]],
    });
    assert.deepEqual(fastifyPath("/ibc/apps/transfer/v1/denoms/{hash=**}"), {
      url: "/ibc/apps/transfer/v1/denoms/*",
      params: [["*", "hash"]],
    });
  });

  it("registers a route for every described method that has an HTTP path", async () => {
    const all = await createRestServer({
      port: 0,
      query: async () => ({ code: 0, log: "", codespace: "", value: new Uint8Array() }),
    });
    try {
      for (const route of queryRoutes()) {
        if (!route.httpPath) continue;
        // Numeric path parameters get "1"; a text one that expects a number answers 400, never 404.
        const res = await fetch(`${all.url}${route.httpPath.replace(/\{[^}]+\}/g, "1")}`, {
          method: route.httpMethod,
          ...(route.httpMethod === "POST"
            ? { headers: { "content-type": "application/json" }, body: "{}" }
            : {}),
        });
        assert.notEqual(res.status, 404, `${route.httpMethod} ${route.httpPath}`);
      }
    } finally {
      await all.close();
    }
  });
});
