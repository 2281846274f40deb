import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createChainNodeSDK, SDKError } from "@akashnetwork/chain-sdk";
import { QueryProvidersResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { createGrpcServer, type GrpcServer } from "./grpc.js";
import type { AbciQueryResult } from "./query-routes.js";

const ADDR = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8hrh3z";

describe("gRPC server", () => {
  let server: GrpcServer;
  const calls: Array<{ path: string; data: Uint8Array; height: bigint | undefined }> = [];
  const responses = new Map<string, AbciQueryResult>();

  before(async () => {
    server = await createGrpcServer({
      port: 0,
      query: async (path, data, height) => {
        calls.push({ path, data, height });
        return (
          responses.get(path) ?? {
            code: 6,
            codespace: "sdk",
            log: `unknown query path ${path}`,
            value: new Uint8Array(),
          }
        );
      },
    });
    responses.set("/cosmos.bank.v1beta1.Query/AllBalances", {
      code: 0,
      log: "",
      codespace: "",
      value: QueryAllBalancesResponse.encode({
        balances: [{ denom: "uakt", amount: "1000" }],
        pagination: { nextKey: new Uint8Array(), total: 1n },
      }).finish(),
      height: 12n,
    });
    responses.set("/akash.provider.v1beta4.Query/Providers", {
      code: 0,
      log: "",
      codespace: "",
      value: QueryProvidersResponse.encode(
        QueryProvidersResponse.fromPartial({
          providers: [
            {
              owner: ADDR,
              hostUri: "https://provider.localhost:8443",
              attributes: [{ key: "region", value: "local" }],
            },
          ],
          pagination: { total: 1 },
        }),
      ).finish(),
    });
    responses.set("/cosmos.auth.v1beta1.Query/Account", {
      code: 22,
      codespace: "sdk",
      log: `rpc error: code = NotFound desc = account ${ADDR} not found: key not found`,
      value: new Uint8Array(),
    });
  });

  after(() => server.close());

  const sdk = () => createChainNodeSDK({ query: { baseUrl: `http://${server.address}` } });

  it("answers chain-sdk's own gRPC client (Cosmos bank)", async () => {
    const res = await sdk().cosmos.bank.v1beta1.getAllBalances({ address: ADDR });
    assert.deepEqual(res.balances, [{ denom: "uakt", amount: "1000" }]);
    assert.equal(res.pagination?.total.toString(), "1");
    const call = calls.findLast((c) => c.path === "/cosmos.bank.v1beta1.Query/AllBalances");
    assert.equal(QueryAllBalancesRequest.decode(call!.data).address, ADDR);
  });

  it("answers chain-sdk's own gRPC client (Akash providers)", async () => {
    const res = await sdk().akash.provider.v1beta4.getProviders({});
    assert.equal(res.providers.length, 1);
    assert.equal(res.providers[0]?.owner, ADDR);
    assert.equal(res.providers[0]?.hostUri, "https://provider.localhost:8443");
    assert.deepEqual(res.providers[0]?.attributes, [{ key: "region", value: "local" }]);
  });

  it("maps app errors to gRPC status codes", async () => {
    await assert.rejects(sdk().cosmos.auth.v1beta1.getAccount({ address: ADDR }), (e: unknown) => {
      assert.ok(e instanceof SDKError);
      assert.equal((e as { code: number }).code, 5);
      assert.match((e as Error).message, /account .* not found: key not found/);
      return true;
    });
  });

  it("passes the x-cosmos-block-height metadata through and returns the query height", async () => {
    const client = new Client(server.address, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set("x-cosmos-block-height", "5");
    const responseHeight = new Promise<string>((resolve) => {
      const call = client.makeUnaryRequest(
        "/cosmos.bank.v1beta1.Query/AllBalances",
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(QueryAllBalancesRequest.encode({ address: ADDR, resolveDenom: false }).finish()),
        metadata,
        (err, value) => {
          assert.ifError(err);
          assert.equal(QueryAllBalancesResponse.decode(value!).balances[0]?.amount, "1000");
        },
      );
      call.on("metadata", (md) => resolve(String(md.get("x-cosmos-block-height")[0])));
    });
    assert.equal(await responseHeight, "12");
    assert.equal(calls.at(-1)?.height, 5n);
    client.close();
  });
});
