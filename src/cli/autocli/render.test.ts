import assert from "node:assert/strict";
import { test } from "node:test";
import pc from "picocolors";
import { emptyListMessage, eventLines, renderJson } from "./render.js";

const plain = pc.createColors(false);

test("gateway JSON as an outline: amounts for people, defaults and the last page left out", () => {
  const lines = renderJson(
    {
      payments: [
        {
          id: { xid: "1/1/akash1p" },
          state: {
            owner: "akash1p",
            rate: { denom: "uakt", amount: "800.000000000000000000" },
            withdrawn: { denom: "uakt", amount: "6400" },
            memo: "",
            closed: null,
            units: { val: Buffer.from("500").toString("base64") },
          },
        },
      ],
      pagination: { next_key: null, total: "1" },
    },
    plain,
  );
  assert.deepEqual(lines, [
    "payments:",
    "  - id:",
    "      xid: 1/1/akash1p",
    "    state:",
    "      owner: akash1p",
    "      rate: 800 uakt",
    "      withdrawn: 0.0064 AKT (6400 uakt)",
    "      units:",
    "        val: 500",
  ]);
  assert.deepEqual(renderJson({ orders: [], pagination: { next_key: "AQ==", total: "0" } }, plain), [
    "more: --page-key AQ==",
  ]);
  assert.equal(emptyListMessage({ providers: [], pagination: null }), "no providers");
});

test("typed events in one line each, JSON attributes flattened", () => {
  const lines = eventLines(
    [
      { type: "coin_spent", attributes: [{ key: "amount", value: "5uakt" }] },
      {
        type: "akash.market.v1.EventBidCreated",
        attributes: [
          { key: "id", value: '{"owner":"akash1o","dseq":"5"}' },
          { key: "price", value: '{"denom":"uakt","amount":"800.000000000000000000"}' },
          { key: "msg_index", value: "0" },
        ],
      },
    ],
    plain,
  );
  assert.deepEqual(lines, ["EventBidCreated  id.owner=akash1o id.dseq=5 price=800uakt"]);
});
