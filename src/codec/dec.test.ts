import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decFromAtomics, decToAtomics } from "./dec.js";

describe("LegacyDec text", () => {
  it("prints the wire's integer form with 18 decimals, as LegacyDec.String does", () => {
    assert.equal(decFromAtomics("25000000000000000"), "0.025000000000000000");
    assert.equal(decFromAtomics("1000000000000000000"), "1.000000000000000000");
    assert.equal(decFromAtomics("-1"), "-0.000000000000000001");
    assert.equal(decFromAtomics("0"), "0.000000000000000000");
    assert.equal(decFromAtomics(""), "0.000000000000000000");
    assert.equal(decFromAtomics("000123"), "0.000000000000000123");
    assert.equal(decFromAtomics("0.5"), "0.5", "text that is not an integer is left alone");
  });

  it("parses decimals as LegacyNewDecFromStr does", () => {
    assert.equal(decToAtomics("0.025"), "25000000000000000");
    assert.equal(decToAtomics("1"), "1000000000000000000");
    assert.equal(decToAtomics("-.5"), "-500000000000000000");
    assert.equal(decToAtomics("-0"), "0");
    assert.throws(() => decToAtomics("0.0000000000000000001"));
    assert.throws(() => decToAtomics("1e5"));
    assert.throws(() => decToAtomics(""));
  });

  it("round-trips any integer form", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (n) => {
        assert.equal(decToAtomics(decFromAtomics(n.toString())), n.toString());
      }),
    );
  });
});
