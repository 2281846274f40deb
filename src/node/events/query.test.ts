import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchesEventMap, matchValue, parseQuery, QuerySyntaxError } from "./query.js";

describe("query language", () => {
  it("parses the forms cosmjs and relayers send", () => {
    assert.deepEqual(parseQuery("tm.event='Tx' AND message.sender='akash1xyz'"), [
      { key: "tm.event", op: "=", operand: { kind: "string", value: "Tx" } },
      { key: "message.sender", op: "=", operand: { kind: "string", value: "akash1xyz" } },
    ]);
    assert.deepEqual(parseQuery("tx.height>=5 AND tx.height<=9"), [
      { key: "tx.height", op: ">=", operand: { kind: "number", value: "5" } },
      { key: "tx.height", op: "<=", operand: { kind: "number", value: "9" } },
    ]);
    assert.deepEqual(parseQuery("send_packet.packet_connection='connection-0' AND block.height > 3"), [
      { key: "send_packet.packet_connection", op: "=", operand: { kind: "string", value: "connection-0" } },
      { key: "block.height", op: ">", operand: { kind: "number", value: "3" } },
    ]);
    assert.deepEqual(parseQuery("app.key EXISTS AND app.value CONTAINS 'ba'")[0], {
      key: "app.key",
      op: "EXISTS",
    });
    assert.equal(
      parseQuery("akash.market.v1.EventBidCreated.owner='x/y'")[0]!.key,
      "akash.market.v1.EventBidCreated.owner",
    );
    assert.equal(parseQuery("block.time >= TIME 2024-05-01T10:00:00Z")[0]!.operand!.kind, "time");
    assert.equal(parseQuery("block.date < DATE 2024-05-01")[0]!.operand!.kind, "date");
  });

  it("rejects malformed queries", () => {
    for (const q of ["", "tx.height", "tx.height=", "a='b' OR c='d'", "a='unterminated", "a CONTAINS 5"]) {
      assert.throws(() => parseQuery(q), QuerySyntaxError, q);
    }
  });

  it("compares numbers numerically and strings exactly", () => {
    const [gt] = parseQuery("x.n > 9");
    assert.equal(matchValue(gt!, "10"), true);
    assert.equal(matchValue(gt!, "9"), false);
    assert.equal(matchValue(gt!, "abc"), false);
    assert.equal(matchValue(parseQuery("x.n <= 2.5")[0]!, "2.5"), true);
    assert.equal(matchValue(parseQuery("x.n = 123456789012345678901")[0]!, "123456789012345678901"), true);
    assert.equal(matchValue(parseQuery("x.s = 'ab'")[0]!, "abc"), false);
    assert.equal(matchValue(parseQuery("x.s CONTAINS 'b'")[0]!, "abc"), true);
    assert.equal(
      matchValue(parseQuery("x.t > TIME 2024-01-01T00:00:00Z")[0]!, "2024-01-01T00:00:00.5Z"),
      true,
    );
  });

  it("matches an events map as pubsub does", () => {
    const events = new Map([
      ["tm.event", ["Tx"]],
      ["transfer.recipient", ["a", "b"]],
    ]);
    assert.equal(matchesEventMap(parseQuery("tm.event='Tx' AND transfer.recipient='b'"), events), true);
    assert.equal(matchesEventMap(parseQuery("tm.event='NewBlock'"), events), false);
    assert.equal(matchesEventMap(parseQuery("transfer.sender EXISTS"), events), false);
  });
});
