import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MsgSend as CosmjsMsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { lookupType, sdkServices } from "./registry.js";

describe("type registry", () => {
  it("finds a type by name or type URL, with both families' codecs", () => {
    const byUrl = lookupType("/cosmos.bank.v1beta1.MsgSend");
    assert.ok(byUrl);
    assert.equal(lookupType("cosmos.bank.v1beta1.MsgSend"), byUrl);
    assert.equal(byUrl.typeUrl, "/cosmos.bank.v1beta1.MsgSend");
    assert.equal(byUrl.sdk.$type, "cosmos.bank.v1beta1.MsgSend");
    assert.equal(byUrl.cosmjs, CosmjsMsgSend, "the same codec object the app imports");

    const message = { fromAddress: "a", toAddress: "b", amount: [{ denom: "uakt", amount: "1" }] };
    const bytes = byUrl.cosmjs!.encode(byUrl.cosmjs!.fromPartial(message)).finish();
    assert.deepEqual(byUrl.sdk.encode(byUrl.sdk.decode(bytes)).finish(), bytes);
  });

  it("covers Akash and google.protobuf types; cosmjs-types only where it has them", () => {
    const bid = lookupType("/akash.market.v1beta5.MsgCreateBid");
    assert.ok(bid);
    assert.equal(bid.cosmjs, undefined);
    assert.ok(lookupType("google.protobuf.Any"));
    assert.equal(lookupType("/no.such.Type"), undefined);
  });

  it("lists chain-sdk's service descriptors", () => {
    const bank = sdkServices().find((s) => s.typeName === "cosmos.bank.v1beta1.Query");
    assert.equal(bank?.methods.allBalances?.httpPath, "/cosmos/bank/v1beta1/balances/{address}");
  });
});
