import assert from "node:assert/strict";
import { test } from "node:test";
import { BoundedMemo } from "./memo.js";

test("a bounded memo keeps the recent entries and at most its capacity", () => {
  const memo = new BoundedMemo<number, string>(10);
  for (let i = 0; i < 100; i++) memo.set(i, `v${i}`);
  const kept = Array.from({ length: 100 }, (_, i) => i).filter((i) => memo.get(i) !== undefined);
  assert.ok(kept.length <= 10, `kept ${kept.length}`);
  assert.ok(kept.length >= 5, `kept ${kept.length}`);
  assert.ok(kept.includes(99));
  assert.equal(memo.get(99), "v99");
});

test("an entry in steady use outlives any number of newer ones", () => {
  const memo = new BoundedMemo<string, number>(4);
  memo.set("hot", 1);
  for (let i = 0; i < 1000; i++) {
    memo.set(`cold${i}`, i);
    assert.equal(memo.get("hot"), 1, `after ${i} newer entries`);
  }
});

test("setting a key again replaces its value", () => {
  const memo = new BoundedMemo<string, number>(4);
  memo.set("a", 1);
  memo.set("b", 2);
  memo.set("c", 3);
  memo.set("a", 4);
  assert.equal(memo.get("a"), 4);
});

test("a deleted key is gone from both generations", () => {
  const memo = new BoundedMemo<string, number>(4);
  memo.set("a", 1);
  memo.set("b", 2);
  memo.set("c", 3); // "a" and "b" are now the old generation
  memo.delete("a");
  memo.delete("c");
  assert.equal(memo.get("a"), undefined);
  assert.equal(memo.get("c"), undefined);
  assert.equal(memo.get("b"), 2);
});
