import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidArgumentError } from "commander";
import { inputParser, type Layout, layoutOf } from "./layout.js";

const names = (layout: Layout) => ({
  positional: layout.positional.map((i) => i.path.join(".")),
  flags: layout.flags.map((f) => `${f.long}${f.alias ? `|${f.alias}` : ""}:${f.form}`),
});

describe("command layouts from descriptors", () => {
  test("a get query takes its id as arguments", () => {
    assert.deepEqual(names(layoutOf("akash.market.v1beta5.QueryBidRequest", { role: "query" })), {
      positional: ["id.owner", "id.dseq", "id.gseq", "id.oseq", "id.provider", "id.bseq"],
      flags: [],
    });
    assert.deepEqual(names(layoutOf("cosmos.bank.v1beta1.QueryBalanceRequest", { role: "query" })), {
      positional: ["address", "denom"],
      flags: [],
    });
  });

  test("a list query takes filters and pagination as dotted flags, with short spellings", () => {
    assert.deepEqual(names(layoutOf("akash.deployment.v1beta4.QueryDeploymentsRequest", { role: "query" })), {
      positional: [],
      flags: [
        "--filters.owner|--owner:text",
        "--filters.dseq|--dseq:text",
        "--filters.state|--state:text",
        "--pagination.key|--page-key:bytes",
        "--pagination.offset|--offset:text",
        "--pagination.limit|--limit:text",
        "--pagination.count-total|--count-total:switch",
        "--pagination.reverse|--reverse:switch",
      ],
    });
    // A list's scalars are optional filters, except an address it is about.
    assert.deepEqual(
      names(layoutOf("akash.escrow.v1.QueryAccountsRequest", { role: "query" })).positional,
      [],
    );
    assert.deepEqual(
      names(layoutOf("akash.audit.v1.QueryProviderAttributesRequest", { role: "query" })).positional,
      ["owner"],
    );
  });

  test("a message leaves out its signer, and reads amounts and attributes from short text", () => {
    const bid = layoutOf("akash.market.v1beta5.MsgCreateBid", { role: "tx", signer: "id.provider" });
    assert.deepEqual(names(bid), {
      positional: ["id.owner", "id.dseq", "id.gseq", "id.oseq", "id.bseq"],
      flags: ["--price:dec-coin", "--deposit:deposit", "--resources-offer:json"],
    });
    const provider = layoutOf("akash.provider.v1beta4.MsgCreateProvider", { role: "tx", signer: "owner" });
    assert.deepEqual(names(provider), {
      positional: [],
      flags: ["--host-uri:text", "--attributes:attribute", "--info.email:text", "--info.website:text"],
    });
    // A field that would reuse a global option's name gets no flag (--msg-json still sets it).
    const reserved = layoutOf("akash.provider.v1beta4.MsgCreateProvider", {
      role: "tx",
      signer: "owner",
      reserved: new Set(["--host-uri"]),
    });
    assert.ok(!names(reserved).flags.some((f) => f.startsWith("--host-uri")));
  });

  test("flag text becomes gateway JSON, checked by the codec", () => {
    const bid = layoutOf("akash.market.v1beta5.MsgCreateBid", { role: "tx", signer: "id.provider" });
    const flag = (long: string) => bid.flags.find((f) => f.long === long)!;
    const parse = (long: string, text: string, previous?: unknown) =>
      inputParser(bid.typeName, flag(long))(text, previous);
    assert.deepEqual(parse("--price", "800uakt"), { denom: "uakt", amount: "800" });
    assert.deepEqual(parse("--price", "0.5uakt"), { denom: "uakt", amount: "0.5" });
    assert.deepEqual(parse("--deposit", "0.5akt"), {
      amount: { denom: "uakt", amount: "500000" },
      sources: ["balance"],
    });
    assert.deepEqual(parse("--resources-offer", '{"count": 1}', [{ count: 2 }]), [
      { count: 2 },
      { count: 1 },
    ]);
    assert.throws(() => parse("--price", "lots"), InvalidArgumentError);
    assert.throws(
      () => parse("--resources-offer", '{"count": "many"}'),
      /resources_offer\[0\]\.count: expected an integer/,
    );

    const dseq = bid.positional.find((i) => i.path.join(".") === "id.dseq")!;
    assert.equal(inputParser(bid.typeName, dseq)("42", undefined), "42");
    assert.throws(() => inputParser(bid.typeName, dseq)("-1", undefined), /out of range for uint64/);
  });
});
