import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../../errors.js";
import { validateAttributes } from "./attributes.js";
import { testAddress } from "./testing.js";
import { validateHostUri, validateProvider, validateWebsite } from "./validation.js";

function code(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return `${e.codespace}/${e.code}`;
  }
}

describe("provider validation", () => {
  // The table of Akash's TestConfigPath (chain-sdk provider msgs_test.go), plus a few more.
  const INVALID = "provider/1";
  const NOT_ABS = "provider/2";
  const cases: [string, string | undefined][] = [
    ["foo.yaml", NOT_ABS],
    ["localhost", NOT_ABS],
    ["localhost/foo", NOT_ABS],
    ["localhost:80", INVALID],
    ["localhost:80/foo", INVALID],
    ["127.0.0.1", NOT_ABS],
    ["127.0.0.1/foo", NOT_ABS],
    ["127.0.0.1:80", INVALID],
    ["127.0.0.1:80/foo", INVALID],
    ["file:///foo.yaml", INVALID],
    ["https://localhost", undefined],
    ["http://localhost/foo", INVALID],
    ["https://localhost:80", undefined],
    ["http://localhost:80/foo", INVALID],
    ["http://localhost:3001/", INVALID],
    ["https://localhost:80/foo", INVALID],
    ["ht tp://foo.com", INVALID],
    ["", NOT_ABS],
    ["https://provider.example.com:8443", undefined],
    ["HTTPS://provider.example.com", undefined],
    ["https://localhost/", INVALID],
    ["https://", INVALID],
    ["https:localhost", INVALID],
    ["https://:8443", INVALID],
    ["https://host:port", INVALID],
    [":8443", INVALID],
    ["https://host\n", INVALID],
  ];
  for (const [uri, expected] of cases) {
    test(`host uri ${JSON.stringify(uri)} → ${expected ?? "ok"}`, () => {
      assert.equal(
        code(() => validateHostUri(uri)),
        expected,
      );
    });
  }

  test("website: empty, URLs and bare host names pass; junk does not", () => {
    for (const ok of ["", "https://example.com", "example.com", "http://example.com/about?x=1"]) {
      assert.equal(
        code(() => validateWebsite(ok)),
        undefined,
        ok,
      );
    }
    for (const bad of ["not a url", "http://exa mple.com", "https://[::1", "\u0000"]) {
      assert.equal(
        code(() => validateWebsite(bad)),
        "provider/8",
        bad,
      );
    }
  });

  test("attribute keys: Akash's regexp, no duplicates (codespace akash)", () => {
    const attr = (key: string) => ({ key, value: "v" });
    assert.equal(
      code(() => validateAttributes([attr("region"), attr("capabilities/storage/1/class")])),
      undefined,
    );
    assert.equal(
      code(() => validateAttributes([attr("hihi*")])),
      "akash/2",
    );
    assert.equal(
      code(() => validateAttributes([attr("1region")])),
      "akash/2",
    );
    assert.equal(
      code(() => validateAttributes([attr("r")])),
      "akash/2",
    );
    assert.equal(
      code(() => validateAttributes([attr("a".repeat(127))])),
      undefined,
    );
    assert.equal(
      code(() => validateAttributes([attr("a".repeat(128))])),
      "akash/2",
    );
    assert.equal(
      code(() => validateAttributes([attr("region\n")])),
      "akash/2",
    );
    assert.equal(
      code(() => validateAttributes([attr("region"), attr("tier"), attr("region")])),
      "akash/1",
    );
  });

  test("a provider record: host first, then the owner (sdk ErrInvalidAddress), attributes, website", () => {
    const good = { owner: testAddress(1), hostUri: "https://p.example.com", attributes: [] };
    assert.equal(
      code(() => validateProvider(good)),
      undefined,
    );
    assert.equal(
      code(() => validateProvider({ ...good, owner: "akash1nope" })),
      "sdk/7",
    );
    assert.equal(
      code(() => validateProvider({ ...good, owner: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu" })),
      "sdk/7",
    );
    assert.equal(
      code(() => validateProvider({ ...good, owner: "", hostUri: "http://x" })),
      "provider/1",
    );
    assert.equal(
      code(() => validateProvider({ ...good, attributes: [{ key: "*", value: "" }] })),
      "akash/2",
    );
    assert.equal(
      code(() => validateProvider({ ...good, info: { email: "anything", website: "a b" } })),
      "provider/8",
    );
  });
});
