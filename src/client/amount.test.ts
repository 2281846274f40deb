import assert from "node:assert/strict";
import { test } from "node:test";
import { USDC_DENOM } from "../params/chain.js";
import { formatCoin, formatCoins, parseAmount, parseAmounts } from "./amount.js";
import { InvalidAmountError } from "./errors.js";

test("parseAmount reads display units, base units and raw denoms", () => {
  const cases: [string, string, string][] = [
    ["5akt", "uakt", "5000000"],
    ["5 AKT", "uakt", "5000000"],
    ["0.25akt", "uakt", "250000"],
    ["1.000001akt", "uakt", "1000001"],
    ["5000000uakt", "uakt", "5000000"],
    ["1_000_000akt", "uakt", "1000000000000"],
    ["100usdc", USDC_DENOM, "100000000"],
    ["2.5USDC", USDC_DENOM, "2500000"],
    ["7uusdc", USDC_DENOM, "7"],
    [`10${USDC_DENOM}`, USDC_DENOM, "10"],
    ["3stake", "stake", "3"],
    ["123456789012345678901234567890uakt", "uakt", "123456789012345678901234567890"],
  ];
  for (const [input, denom, amount] of cases) {
    assert.deepEqual(parseAmount(input), { denom, amount }, input);
  }
});

test("parseAmount refuses what is not an amount, and says why", () => {
  for (const input of ["", "akt", "5", "-5akt", "5.akt", "0akt", "0.0000001akt", "1.5uakt", "5a", "5 ak!t"]) {
    assert.throws(() => parseAmount(input), InvalidAmountError, input);
  }
  assert.throws(() => parseAmount("0.0000001akt"), /akt has 6 decimals/);
  assert.throws(() => parseAmount("1.5uakt"), /uakt has 0 decimals/);
  assert.throws(() => parseAmount("0akt"), /more than zero/);
  assert.throws(
    () => parseAmount("bad"),
    (e: unknown) => e instanceof InvalidAmountError && /100usdc/.test(e.hint!),
  );
});

test("parseAmounts sorts by denom and adds up repeats", () => {
  assert.deepEqual(parseAmounts("5akt, 100usdc,1uakt"), [
    { denom: USDC_DENOM, amount: "100000000" },
    { denom: "uakt", amount: "5000001" },
  ]);
  assert.throws(() => parseAmounts(" , "), InvalidAmountError);
});

test("formatCoin shows display units with grouping and no trailing zeros", () => {
  const cases: [string, string, string][] = [
    ["uakt", "1000000000000", "1,000,000 AKT"],
    ["uakt", "500000", "0.5 AKT"],
    ["uakt", "1", "0.000001 AKT"],
    ["uakt", "0", "0 AKT"],
    ["uakt", "1234567891", "1,234.567891 AKT"],
    [USDC_DENOM, "100000000000", "100,000 USDC"],
    ["stake", "1234567", "1,234,567 stake"],
  ];
  for (const [denom, amount, text] of cases) assert.equal(formatCoin({ denom, amount }), text, text);
  assert.equal(formatCoins([]), "0");
  assert.equal(
    formatCoins([
      { denom: "uakt", amount: "5000000" },
      { denom: USDC_DENOM, amount: "1" },
    ]),
    "5 AKT, 0.000001 USDC",
  );
  assert.equal(
    formatCoins([
      { denom: "stake", amount: "2" },
      { denom: USDC_DENOM, amount: "1000000" },
      { denom: "uakt", amount: "1000000" },
    ]),
    "1 AKT, 1 USDC, 2 stake",
  );
});

test("format and parse agree", () => {
  for (const amount of ["1", "999999", "1000000", "123456789", "100000000000000"]) {
    const text = formatCoin({ denom: "uakt", amount }).replace(/,/g, "").replace(" AKT", "akt");
    assert.deepEqual(parseAmount(text), { denom: "uakt", amount }, amount);
  }
});
