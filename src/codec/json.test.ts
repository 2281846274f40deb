import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Deployment_State } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { QueryDeploymentResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { QueryParamsResponse, QueryValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { GetTxResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { anyToJson, messageToJson, toJson, typedEvent } from "./json.js";
import { fromJson, JsonParseError, paramsToJson } from "./json-parse.js";
import { lookupType } from "./registry.js";

const ADDR = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8hrh3z";
const ADDR2 = "akash1zg69v7ys40x77y352eufp27daufrg4ncnfy4ah";

// Expected strings below are what Cosmos SDK's REST gateway (gogoproto jsonpb, OrigName + EmitDefaults) prints.
describe("toJson (gRPC-gateway rendering)", () => {
  it("renders QueryAllBalancesResponse with 64-bit strings and a null next_key", () => {
    const bytes = QueryAllBalancesResponse.encode({
      balances: [{ denom: "uakt", amount: "1000" }],
      pagination: { nextKey: new Uint8Array(), total: 1n },
    }).finish();
    assert.equal(
      JSON.stringify(toJson("cosmos.bank.v1beta1.QueryAllBalancesResponse", bytes)),
      '{"balances":[{"denom":"uakt","amount":"1000"}],"pagination":{"next_key":null,"total":"1"}}',
    );
  });

  it("expands Any with @type, recursively (BaseAccount with its secp256k1 key)", () => {
    const key = Uint8Array.from({ length: 33 }, (_, i) => i + 2);
    const account = BaseAccount.encode({
      address: ADDR,
      pubKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key }).finish() },
      accountNumber: 5n,
      sequence: 3n,
    }).finish();
    const bytes = QueryAccountResponse.encode({
      account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: account },
    }).finish();
    assert.deepEqual(toJson("/cosmos.auth.v1beta1.QueryAccountResponse", bytes), {
      account: {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        address: ADDR,
        pub_key: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: Buffer.from(key).toString("base64") },
        account_number: "5",
        sequence: "3",
      },
    });
  });

  it("renders an absent Any as null", () => {
    const bytes = BaseAccount.encode({ address: ADDR, accountNumber: 0n, sequence: 0n }).finish();
    assert.equal(
      JSON.stringify(toJson("cosmos.auth.v1beta1.BaseAccount", bytes)),
      `{"address":"${ADDR}","pub_key":null,"account_number":"0","sequence":"0"}`,
    );
  });

  it("renders a GetTxResponse as the gateway does (enums by name, oneof unset members omitted)", () => {
    const send = MsgSend.encode({
      fromAddress: ADDR,
      toAddress: ADDR2,
      amount: [{ denom: "uakt", amount: "1" }],
    });
    const tx: Tx = {
      body: TxBody.fromPartial({
        messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send.finish() }],
        memo: "hi",
      }),
      authInfo: {
        signerInfos: [
          {
            publicKey: {
              typeUrl: "/cosmos.crypto.secp256k1.PubKey",
              value: PubKey.encode({ key: new Uint8Array([1]) }).finish(),
            },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence: 7n,
          },
        ],
        fee: { amount: [{ denom: "uakt", amount: "5000" }], gasLimit: 200000n, payer: "", granter: "" },
      },
      signatures: [new Uint8Array([9, 9])],
    };
    const bytes = GetTxResponse.encode({
      tx,
      txResponse: {
        height: 12n,
        txhash: "ABCD",
        codespace: "",
        code: 0,
        data: "12240A222F636F736D6F732E62616E6B2E763162657461312E4D736753656E64526573706F6E7365",
        rawLog: "",
        logs: [],
        info: "",
        gasWanted: 200000n,
        gasUsed: 81234n,
        tx: { typeUrl: "/cosmos.tx.v1beta1.Tx", value: Tx.encode(tx).finish() },
        timestamp: "2024-05-01T12:00:00Z",
        events: [
          {
            type: "message",
            attributes: [{ key: "action", value: "/cosmos.bank.v1beta1.MsgSend", index: true }],
          },
        ],
      },
    }).finish();
    const txJson = {
      body: {
        messages: [
          {
            "@type": "/cosmos.bank.v1beta1.MsgSend",
            from_address: ADDR,
            to_address: ADDR2,
            amount: [{ denom: "uakt", amount: "1" }],
          },
        ],
        memo: "hi",
        timeout_height: "0",
        unordered: false,
        timeout_timestamp: null,
        extension_options: [],
        non_critical_extension_options: [],
      },
      auth_info: {
        signer_infos: [
          {
            public_key: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: "AQ==" },
            mode_info: { single: { mode: "SIGN_MODE_DIRECT" } },
            sequence: "7",
          },
        ],
        fee: { amount: [{ denom: "uakt", amount: "5000" }], gas_limit: "200000", payer: "", granter: "" },
        tip: null,
      },
      signatures: ["CQk="],
    };
    assert.deepEqual(toJson("cosmos.tx.v1beta1.GetTxResponse", bytes), {
      tx: txJson,
      tx_response: {
        height: "12",
        txhash: "ABCD",
        codespace: "",
        code: 0,
        data: "12240A222F636F736D6F732E62616E6B2E763162657461312E4D736753656E64526573706F6E7365",
        raw_log: "",
        logs: [],
        info: "",
        gas_wanted: "200000",
        gas_used: "81234",
        tx: { "@type": "/cosmos.tx.v1beta1.Tx", ...txJson },
        timestamp: "2024-05-01T12:00:00Z",
        events: [
          {
            type: "message",
            attributes: [{ key: "action", value: "/cosmos.bank.v1beta1.MsgSend", index: true }],
          },
        ],
      },
    });
  });

  it("renders LegacyDec fields with 18 decimals and Durations in seconds", () => {
    // cosmjs-types writes Dec fields as given: the wire form is the integer × 10^18.
    const bytes = QueryParamsResponse.encode({
      params: {
        unbondingTime: { seconds: 1814400n, nanos: 0 },
        maxValidators: 100,
        maxEntries: 7,
        historicalEntries: 10000,
        bondDenom: "uakt",
        minCommissionRate: "50000000000000000",
      },
    }).finish();
    assert.equal(
      JSON.stringify(toJson("cosmos.staking.v1beta1.QueryParamsResponse", bytes)),
      '{"params":{"unbonding_time":"1814400s","max_validators":100,"max_entries":7,"historical_entries":10000,' +
        '"bond_denom":"uakt","min_commission_rate":"0.050000000000000000"}}',
    );
  });

  it("renders enums by name and every default (validator; cosmjs-types fills non-nullable messages)", () => {
    const bytes = QueryValidatorResponse.encode({
      validator: Validator.fromPartial({
        operatorAddress: "akashvaloper1x",
        jailed: false,
        status: BondStatus.BOND_STATUS_BONDED,
        tokens: "1000000",
        delegatorShares: "1000000000000000000000000",
        unbondingHeight: 0n,
        unbondingTime: { seconds: 0n, nanos: 0 },
        minSelfDelegation: "1",
        unbondingOnHoldRefCount: 0n,
        unbondingIds: [],
      }),
    }).finish();
    assert.deepEqual(toJson("cosmos.staking.v1beta1.QueryValidatorResponse", bytes), {
      validator: {
        operator_address: "akashvaloper1x",
        consensus_pubkey: null,
        jailed: false,
        status: "BOND_STATUS_BONDED",
        tokens: "1000000",
        delegator_shares: "1000000.000000000000000000",
        description: { moniker: "", identity: "", website: "", security_contact: "", details: "" },
        unbonding_height: "0",
        unbonding_time: "1970-01-01T00:00:00Z",
        commission: {
          commission_rates: {
            rate: "0.000000000000000000",
            max_rate: "0.000000000000000000",
            max_change_rate: "0.000000000000000000",
          },
          update_time: "1970-01-01T00:00:00Z",
        },
        min_self_delegation: "1",
        unbonding_on_hold_ref_count: "0",
        unbonding_ids: [],
      },
    });
  });

  it("renders Akash types from chain-sdk objects (enum names, bytes, nested defaults)", () => {
    const message = QueryDeploymentResponse.fromPartial({
      deployment: {
        id: { owner: ADDR, dseq: 42 },
        state: Deployment_State.active,
        hash: new Uint8Array([1, 2, 3]),
        createdAt: 10,
      },
    });
    assert.deepEqual(messageToJson(QueryDeploymentResponse, message), {
      deployment: { id: { owner: ADDR, dseq: "42" }, state: "active", hash: "AQID", created_at: "10" },
      groups: [],
      escrow_account: null,
    });
  });

  it("emits every default for an empty message", () => {
    assert.deepEqual(toJson("akash.deployment.v1.Deployment", new Uint8Array()), {
      id: null,
      state: "invalid",
      hash: null,
      created_at: "0",
    });
    assert.deepEqual(toJson("cosmos.base.v1beta1.DecCoin", new Uint8Array()), {
      denom: "",
      amount: "0.000000000000000000",
    });
  });

  it("renders timestamps with 0, 3, 6 or 9 fractional digits", () => {
    const ts = (seconds: bigint, nanos: number) =>
      toJson("cosmos.base.tendermint.v1beta1.Header", fromJsonTime(seconds, nanos)).time;
    assert.equal(ts(1714564800n, 0), "2024-05-01T12:00:00Z");
    assert.equal(ts(1714564800n, 500_000_000), "2024-05-01T12:00:00.500Z");
    assert.equal(ts(1714564800n, 123_456_000), "2024-05-01T12:00:00.123456Z");
    assert.equal(ts(1714564800n, 123_456_789), "2024-05-01T12:00:00.123456789Z");
  });

  it("builds typed events: one JSON attribute per field, keys sorted", () => {
    const bytes = fromJson("akash.deployment.v1.EventDeploymentCreated", {
      id: { owner: ADDR, dseq: "7" },
      hash: "AQI=",
    });
    assert.deepEqual(typedEvent("/akash.deployment.v1.EventDeploymentCreated", bytes), {
      type: "akash.deployment.v1.EventDeploymentCreated",
      attributes: [
        { key: "hash", value: '"AQI="' },
        { key: "id", value: `{"owner":"${ADDR}","dseq":"7"}` },
      ],
    });
  });

  it("renders an Any of an unknown type with its raw value", () => {
    assert.deepEqual(anyToJson({ typeUrl: "/example.Unknown", value: new Uint8Array([1]) }), {
      "@type": "/example.Unknown",
      value: "AQ==",
    });
  });
});

/** A tendermint Header holding only `time` (field 4). */
function fromJsonTime(seconds: bigint, nanos: number): Uint8Array {
  const time = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return fromJson("cosmos.base.tendermint.v1beta1.Header", {
    time: `${time}.${String(nanos).padStart(9, "0")}Z`,
  });
}

describe("fromJson (gateway JSON → protobuf)", () => {
  it("round-trips the gateway rendering to the same bytes", () => {
    const bytes = QueryAllBalancesResponse.encode({
      balances: [
        { denom: "uakt", amount: "1000" },
        { denom: "ibc/ABC", amount: "5" },
      ],
      pagination: { nextKey: new Uint8Array([1, 2, 3]), total: 2n },
    }).finish();
    const json = toJson("cosmos.bank.v1beta1.QueryAllBalancesResponse", bytes);
    assert.deepEqual(fromJson("cosmos.bank.v1beta1.QueryAllBalancesResponse", json), bytes);
  });

  it("accepts lowerCamel names, numbers as strings and @type Anys", () => {
    const bytes = fromJson("cosmos.auth.v1beta1.QueryAccountResponse", {
      account: {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        address: ADDR,
        accountNumber: 5,
        sequence: "3",
      },
    });
    const decoded = QueryAccountResponse.decode(bytes);
    assert.equal(decoded.account?.typeUrl, "/cosmos.auth.v1beta1.BaseAccount");
    assert.deepEqual(BaseAccount.decode(decoded.account!.value), {
      address: ADDR,
      pubKey: undefined,
      accountNumber: 5n,
      sequence: 3n,
    });
  });

  it("turns LegacyDec decimals and durations back into their wire form", () => {
    const bytes = fromJson("cosmos.staking.v1beta1.Params", {
      min_commission_rate: "0.05",
      unbonding_time: "1.5s",
    });
    const params = lookupType("cosmos.staking.v1beta1.Params")!.cosmjs!.decode(bytes) as {
      minCommissionRate: string;
      unbondingTime: { seconds: bigint; nanos: number };
    };
    assert.equal(params.minCommissionRate, "50000000000000000");
    assert.deepEqual(params.unbondingTime, { seconds: 1n, nanos: 500_000_000 });
  });

  it("rejects unknown fields, bad numbers and unknown enum names", () => {
    assert.throws(() => fromJson("cosmos.base.v1beta1.Coin", { denom: "u", nope: 1 }), JsonParseError);
    assert.throws(() => fromJson("cosmos.base.query.v1beta1.PageRequest", { limit: "ten" }), JsonParseError);
    assert.throws(() => fromJson("cosmos.base.query.v1beta1.PageRequest", { limit: "-1" }), JsonParseError);
    assert.throws(() => fromJson("akash.deployment.v1.Deployment", { state: "sleeping" }), JsonParseError);
  });

  it("reads GET parameters the way the gateway does (dotted paths, strings, repeated, unknown ignored)", () => {
    const json = paramsToJson("cosmos.bank.v1beta1.QueryAllBalancesRequest", [
      ["address", [ADDR]],
      ["pagination.limit", ["10"]],
      ["pagination.key", ["AQI="]],
      ["pagination.count_total", ["true"]],
      ["pagination.reverse", ["false"]],
      ["resolveDenom", ["true"]],
      ["unknown.param", ["x"]],
    ]);
    const request = QueryAllBalancesRequest.decode(
      fromJson("cosmos.bank.v1beta1.QueryAllBalancesRequest", json),
    );
    assert.deepEqual(request, {
      address: ADDR,
      pagination: { key: new Uint8Array([1, 2]), offset: 0n, limit: 10n, countTotal: true, reverse: false },
      resolveDenom: true,
    });
  });
});
