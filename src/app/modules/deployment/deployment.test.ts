// The deployment module's messages, queries and genesis, on the whole marketplace with the real bank.
import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCloseDeployment,
  MsgCloseGroup,
  MsgCreateDeployment,
  MsgPauseGroup,
  MsgStartGroup,
  MsgUpdateDeployment,
  MsgUpdateParams,
  type QueryDeploymentResponse,
  type QueryDeploymentsResponse,
  type QueryGroupResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { QueryOrdersResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { QueryError } from "../../errors.js";
import { GOV_AUTHORITY } from "../chain-sdk.js";
import {
  address,
  ESCROW_ADDRESS,
  group,
  HASH,
  MarketFixture,
  typedEvents,
  USDC,
  unit,
} from "../market/testing.js";
import { Group_State } from "./types.js";

const TENANT = address("tenant");
const FRIEND = address("friend");
const CREATE = "/akash.deployment.v1beta4.MsgCreateDeployment";

function create(dseq: bigint, over: Partial<Parameters<typeof MsgCreateDeployment.fromPartial>[0]> = {}) {
  return MsgCreateDeployment.fromPartial({
    id: { owner: TENANT, dseq },
    groups: [group("web"), group("db", [unit({ price: { denom: "uakt", amount: "50" } })])],
    hash: HASH,
    deposit: { amount: { denom: "uakt", amount: "5000000" }, sources: [Source.balance] },
    ...over,
  });
}

describe("deployment", () => {
  let f: MarketFixture;
  beforeEach(async () => {
    await f?.close();
    f = await MarketFixture.create();
    f.fund(TENANT, { uakt: 100_000_000n, [USDC]: 100_000_000n });
    f.fund(FRIEND, { uakt: 100_000_000n });
  });
  after(() => f.close());

  it("creates a deployment: groups in order, an order for each, the deposit in escrow, typed events", () => {
    const events = f.run(CREATE, create(42n));
    const d = f.query<QueryDeploymentResponse>("/akash.deployment.v1beta4.Query/Deployment", {
      id: { owner: TENANT, dseq: 42n },
    });
    assert.equal(d.deployment!.state, 1);
    assert.equal(d.deployment!.createdAt.toString(), "10");
    assert.deepEqual(
      d.groups.map((g) => [g.id!.gseq, g.groupSpec!.name, g.state]),
      [
        [1, "web", Group_State.open],
        [2, "db", Group_State.open],
      ],
    );
    assert.equal(d.escrowAccount!.id!.xid, `${TENANT}/42`);
    assert.deepEqual(d.escrowAccount!.state!.funds, [{ denom: "uakt", amount: "5000000" }]);
    assert.equal(f.balance(TENANT), 95_000_000n);
    assert.equal(f.balance(ESCROW_ADDRESS), 5_000_000n);
    assert.deepEqual(typedEvents(events, "akash.deployment.v1.EventDeploymentCreated"), [
      { id: { owner: TENANT, dseq: "42" }, hash: Buffer.from(HASH).toString("base64") },
    ]);
    assert.deepEqual(
      typedEvents(events, "akash.market.v1.EventOrderCreated").map((e) => e.id),
      [1, 2].map((gseq) => ({ owner: TENANT, dseq: "42", gseq, oseq: 1 })),
    );
  });

  it("accepts deployments priced and funded in USDC", () => {
    f.run(
      CREATE,
      create(1n, {
        groups: [group("web", [unit({ price: { denom: USDC, amount: "0.5" } })])],
        deposit: { amount: { denom: USDC, amount: "500000" }, sources: [Source.balance] },
      }),
    );
    assert.equal(f.balance(ESCROW_ADDRESS, USDC), 500_000n);
  });

  it("refuses a dseq already used, even by a closed deployment", () => {
    f.run(CREATE, create(1n));
    f.rejects(CREATE, create(1n), "deployment", 3, /already exists/);
    f.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }),
    );
    f.rejects(CREATE, create(1n), "deployment", 3);
  });

  it("refuses deposits below the minimum, in denoms it does not take, or without the funds", () => {
    const deposit = (denom: string, amount: string) => ({
      amount: { denom, amount },
      sources: [Source.balance],
    });
    f.rejects(
      CREATE,
      create(1n, { deposit: deposit("uakt", "499999") }),
      "deployment",
      20,
      /below the minimum 500000uakt/,
    );
    f.rejects(
      CREATE,
      create(1n, {
        groups: [group("web", [unit({ price: { denom: "uact", amount: "1" } })])],
        deposit: deposit("uact", "5000000"),
      }),
      "deployment",
      20,
      /cannot be funded in uact/,
    );
    f.rejects(CREATE, create(1n, { deposit: deposit(USDC, "5000000") }), "deployment", 20, /use one denom/);
    f.rejects(
      CREATE,
      create(1n, { deposit: deposit("uakt", "500000000") }),
      "escrow",
      16,
      /insufficient balance/,
    );
    f.rejects(
      CREATE,
      create(1n, { deposit: { amount: { denom: "uakt", amount: "5000000" }, sources: [] } }),
      "akash",
      4,
    );
  });

  it("refuses malformed ids and hashes", () => {
    f.rejects(CREATE, create(0n), "deployment", 8, /dseq/);
    f.rejects(CREATE, { ...create(1n), id: { owner: "akash1bad", dseq: 1n } } as never, "deployment", 8);
    f.rejects(CREATE, create(1n, { hash: new Uint8Array() }), "deployment", 9);
    f.rejects(CREATE, create(1n, { hash: new Uint8Array(31) }), "deployment", 10, /31 bytes/);
  });

  it("refuses invalid groups and resource units, each with its reason", () => {
    const MiB = 1024 * 1024;
    const cases: [
      string,
      Parameters<typeof MsgCreateDeployment.fromPartial>[0]["groups"],
      string,
      number,
      RegExp,
    ][] = [
      ["no groups", [], "deployment", 7, /at least one group/],
      ["21 groups", Array.from({ length: 21 }, (_, i) => group(`g${i}`)), "deployment", 7, /at most 20/],
      ["duplicate names", [group("web"), group("web")], "deployment", 25, /used twice/],
      [
        "mixed denoms",
        [group("a"), group("b", [unit({ price: { denom: USDC, amount: "1" } })])],
        "deployment",
        7,
        /both/,
      ],
      ["no name", [group("")], "deployment", 19, /name/],
      ["no resources", [group("web", [])], "deployment", 19, /no resources/],
      ["resource id 0", [group("web", [unit({ id: 0 })])], "deployment", 19, /non-zero id/],
      ["duplicate id", [group("web", [unit(), unit()])], "deployment", 19, /appears twice/],
      ["count 0", [group("web", [unit({ count: 0 })])], "deployment", 19, /count/],
      ["cpu below 10m", [group("web", [unit({ cpu: "9" })])], "deployment", 19, /cpu units/],
      ["cpu above 384", [group("web", [unit({ cpu: "384001" })])], "deployment", 19, /cpu units/],
      ["cpu not a number", [group("web", [unit({ cpu: "1.5" })])], "deployment", 19, /not an integer/],
      ["gpu above 24", [group("web", [unit({ gpu: "25" })])], "deployment", 19, /gpu units/],
      [
        "gpu attrs, 0 gpus",
        [group("web", [unit({ gpuAttributes: { "vendor/nvidia/model/a100": "true" } })])],
        "deployment",
        19,
        /0 gpu/,
      ],
      ["memory below 1MiB", [group("web", [unit({ memory: String(MiB - 1) })])], "deployment", 19, /memory/],
      [
        "memory above 2TiB",
        [group("web", [unit({ memory: String(2 ** 41 + 1) })])],
        "deployment",
        19,
        /memory/,
      ],
      ["no storage", [group("web", [unit({ storage: [] })])], "deployment", 19, /storage volume/],
      [
        "storage below 5MiB",
        [group("web", [unit({ storage: [{ size: String(5 * MiB - 1) }] })])],
        "deployment",
        19,
        /storage/,
      ],
      [
        "storage above 32TiB",
        [group("web", [unit({ storage: [{ size: String(2 ** 45 + 1) }] })])],
        "deployment",
        19,
        /storage/,
      ],
      ["total cpu", [group("web", [unit({ cpu: "384000", count: 51 })])], "deployment", 19, /total cpu/],
      [
        "price above max",
        [group("web", [unit({ price: { denom: "uakt", amount: "10000001" } })])],
        "deployment",
        24,
        /above/,
      ],
      [
        "zero price",
        [group("web", [unit({ price: { denom: "uakt", amount: "0" } })])],
        "deployment",
        24,
        /total price of 0/,
      ],
      [
        "bad attribute key",
        [group("web", [unit()], { attributes: { "1region": "x" } })],
        "akash",
        2,
        /invalid attribute key/,
      ],
      ["bad auditor", [group("web", [unit()], { allOf: ["akash1nope"] })], "deployment", 19, /auditor/],
    ];
    for (const [what, groups, codespace, code, text] of cases) {
      assert.doesNotThrow(() => f.rejects(CREATE, create(1n, { groups }), codespace, code, text), what);
    }
  });

  it("updates the manifest hash of an active deployment only, to a new 32-byte hash", () => {
    const UPDATE = "/akash.deployment.v1beta4.MsgUpdateDeployment";
    const update = (hash: Uint8Array, dseq = 1n) =>
      MsgUpdateDeployment.fromPartial({ id: { owner: TENANT, dseq }, hash });
    f.rejects(UPDATE, update(new Uint8Array(32).fill(1)), "deployment", 4, /not found/);
    f.run(CREATE, create(1n));
    f.rejects(UPDATE, update(new Uint8Array(16)), "deployment", 10, /16 bytes/);
    f.rejects(UPDATE, update(HASH), "deployment", 10, /current hash/);
    const events = f.run(UPDATE, update(new Uint8Array(32).fill(1)));
    assert.deepEqual(
      typedEvents(events, "akash.deployment.v1.EventDeploymentUpdated")[0]!.hash,
      Buffer.alloc(32, 1).toString("base64"),
    );
    f.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }),
    );
    f.rejects(UPDATE, update(new Uint8Array(32).fill(2)), "deployment", 5, /closed/);
  });

  it("closing a deployment closes its groups and open orders with events and refunds the deposit", () => {
    f.run(CREATE, create(1n));
    f.advance(5n);
    const events = f.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }),
    );
    assert.equal(f.balance(TENANT), 100_000_000n);
    assert.equal(typedEvents(events, "akash.deployment.v1.EventDeploymentClosed").length, 1);
    assert.equal(typedEvents(events, "akash.deployment.v1.EventGroupClosed").length, 2);
    assert.equal(typedEvents(events, "akash.market.v1.EventOrderClosed").length, 2, "reference §12.2 fixed");
    const orders = f.query<QueryOrdersResponse>("/akash.market.v1beta5.Query/Orders", {
      filters: { owner: TENANT },
    });
    assert.deepEqual(
      orders.orders.map((o) => o.state),
      [3, 3],
    );
    f.rejects(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }),
      "deployment",
      5,
    );
    f.rejects(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 2n } }),
      "deployment",
      4,
    );
  });

  it("pauses, starts and closes groups, each in the states it allows", () => {
    const gid = (gseq: number) => ({ id: { owner: TENANT, dseq: 1n, gseq } });
    const PAUSE = "/akash.deployment.v1beta4.MsgPauseGroup";
    const START = "/akash.deployment.v1beta4.MsgStartGroup";
    const CLOSE = "/akash.deployment.v1beta4.MsgCloseGroup";
    f.rejects(PAUSE, MsgPauseGroup.fromPartial(gid(1)), "deployment", 14, /not found/);
    f.run(CREATE, create(1n));
    f.rejects(PAUSE, MsgPauseGroup.fromPartial(gid(0)), "deployment", 13);
    f.rejects(START, MsgStartGroup.fromPartial(gid(1)), "deployment", 16, /already open/);
    let events = f.run(PAUSE, MsgPauseGroup.fromPartial(gid(1)));
    assert.equal(typedEvents(events, "akash.deployment.v1.EventGroupPaused").length, 1);
    assert.equal(typedEvents(events, "akash.market.v1.EventOrderClosed").length, 1);
    f.rejects(PAUSE, MsgPauseGroup.fromPartial(gid(1)), "deployment", 17, /already paused/);
    events = f.run(START, MsgStartGroup.fromPartial(gid(1)));
    assert.equal(typedEvents(events, "akash.deployment.v1.EventGroupStarted").length, 1);
    assert.deepEqual(typedEvents(events, "akash.market.v1.EventOrderCreated")[0]!.id, {
      owner: TENANT,
      dseq: "1",
      gseq: 1,
      oseq: 2,
    });
    events = f.run(CLOSE, MsgCloseGroup.fromPartial(gid(2)));
    assert.equal(typedEvents(events, "akash.deployment.v1.EventGroupClosed").length, 1);
    f.rejects(CLOSE, MsgCloseGroup.fromPartial(gid(2)), "deployment", 15);
    f.rejects(START, MsgStartGroup.fromPartial(gid(2)), "deployment", 15);
    f.rejects(PAUSE, MsgPauseGroup.fromPartial(gid(2)), "deployment", 15);
    const g = f.query<QueryGroupResponse>("/akash.deployment.v1beta4.Query/Group", gid(2));
    assert.equal(g.group!.state, Group_State.closed);
    // The deployment stays active with a closed group (reference §2.4).
    f.run(PAUSE, MsgPauseGroup.fromPartial(gid(1)));
    f.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }),
    );
    f.rejects(START, MsgStartGroup.fromPartial(gid(1)), "deployment", 15, /closed/);
  });

  it("does not restart a group of a closed deployment (reference §12.7)", () => {
    f.run(CREATE, create(1n));
    f.run(
      "/akash.deployment.v1beta4.MsgPauseGroup",
      MsgPauseGroup.fromPartial({ id: { owner: TENANT, dseq: 1n, gseq: 1 } }),
    );
    // A deployment closed while a group was paused leaves that group closed; start says why it cannot.
    const d = f.mp.deployments.get(f.ctx(), TENANT, 1n)!;
    f.mp.deployments.close(f.ctx(), d);
    f.rejects(
      "/akash.deployment.v1beta4.MsgStartGroup",
      MsgStartGroup.fromPartial({ id: { owner: TENANT, dseq: 1n, gseq: 1 } }),
      "deployment",
      5,
      /create a new deployment/,
    );
  });

  it("lists deployments by owner and by state, a page at a time", () => {
    for (let dseq = 1n; dseq <= 5n; dseq++) f.run(CREATE, create(dseq));
    f.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 2n } }),
    );
    const list = (filters: object, pagination?: object) =>
      f.query<QueryDeploymentsResponse>("/akash.deployment.v1beta4.Query/Deployments", {
        filters,
        pagination,
      });
    const dseqs = (r: QueryDeploymentsResponse) => r.deployments.map((d) => Number(d.deployment!.id!.dseq));
    assert.deepEqual(dseqs(list({ owner: TENANT })), [1, 2, 3, 4, 5]);
    assert.deepEqual(dseqs(list({ owner: TENANT, state: "active" })), [1, 3, 4, 5]);
    assert.deepEqual(dseqs(list({ state: "closed" })), [2]);
    assert.deepEqual(dseqs(list({ owner: TENANT, dseq: 4n })), [4]);
    assert.deepEqual(dseqs(list({ owner: FRIEND })), []);
    const first = list({ owner: TENANT, state: "active" }, { limit: 2n });
    assert.deepEqual(dseqs(first), [1, 3]);
    const second = list({ owner: TENANT, state: "active" }, { limit: 2n, key: first.pagination!.nextKey });
    assert.deepEqual(dseqs(second), [4, 5]);
    assert.equal(list({ owner: TENANT }).pagination!.total.toString(), "5");
    assert.equal(list({ owner: TENANT }).deployments[0]!.groups.length, 2);
    assert.throws(
      () => list({ state: "paused" }),
      (e: unknown) => e instanceof QueryError && e.status === "InvalidArgument",
    );
    assert.throws(
      () => f.query("/akash.deployment.v1beta4.Query/Deployment", { id: { owner: TENANT, dseq: 9n } }),
      (e: unknown) => e instanceof QueryError && e.status === "NotFound",
    );
  });

  it("changes params only by governance, with valid params", () => {
    const PARAMS = "/akash.deployment.v1beta4.MsgUpdateParams";
    const params = { minDeposits: [{ denom: "uakt", amount: "1000" }] };
    f.rejects(PARAMS, MsgUpdateParams.fromPartial({ authority: TENANT, params }), "gov", 13);
    f.rejects(
      PARAMS,
      MsgUpdateParams.fromPartial({ authority: GOV_AUTHORITY, params: { minDeposits: [] } }),
      "deployment",
      22,
    );
    f.rejects(
      PARAMS,
      MsgUpdateParams.fromPartial({
        authority: GOV_AUTHORITY,
        params: {
          minDeposits: [
            { denom: "uakt", amount: "1" },
            { denom: "uakt", amount: "2" },
          ],
        },
      }),
      "deployment",
      22,
    );
    f.run(PARAMS, MsgUpdateParams.fromPartial({ authority: GOV_AUTHORITY, params }));
    f.run(
      CREATE,
      create(1n, { deposit: { amount: { denom: "uakt", amount: "1000" }, sources: [Source.balance] } }),
    );
    const res = f.query<{ params: typeof params }>("/akash.deployment.v1beta4.Query/Params", {});
    assert.deepEqual(res.params, params);
  });
});
