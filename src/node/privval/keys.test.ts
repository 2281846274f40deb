import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ed25519 } from "@noble/curves/ed25519.js";
import { ed25519KeyFromSeed, loadOrCreateNodeKey, loadOrCreateValidatorKey } from "./keys.js";

describe("validator and node keys", () => {
  it("signs like any RFC 8032 ed25519 implementation", () => {
    const seed = new Uint8Array(32).map((_, i) => i);
    const key = ed25519KeyFromSeed(seed);
    assert.deepEqual(key.pubKey, ed25519.getPublicKey(seed));
    const msg = new TextEncoder().encode("vote");
    assert.deepEqual(key.sign(msg), ed25519.sign(msg, seed));
    assert.equal(key.address.length, 20);
  });

  it("writes and reads CometBFT's key files", () => {
    const dir = mkdtempSync(join(tmpdir(), "decloud-keys-"));
    try {
      const path = join(dir, "config", "priv_validator_key.json");
      const created = loadOrCreateValidatorKey(path);
      const json = JSON.parse(readFileSync(path, "utf8"));
      assert.equal(json.address, Buffer.from(created.address).toString("hex").toUpperCase());
      assert.equal(json.pub_key.type, "tendermint/PubKeyEd25519");
      assert.equal(Buffer.from(json.priv_key.value, "base64").length, 64, "Go's seed || public key");
      const loaded = loadOrCreateValidatorKey(path);
      assert.deepEqual(loaded.pubKey, created.pubKey);
      const node = loadOrCreateNodeKey(join(dir, "config", "node_key.json"));
      assert.match(node.id, /^[0-9a-f]{40}$/);
      assert.equal(loadOrCreateNodeKey(join(dir, "config", "node_key.json")).id, node.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
