import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildSdl, SdlError } from "./sdl.js";

const VALID = `version: "2.0"
services:
  web:
    image: decloud/busybox:latest
    expose:
      - port: 80
        as: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.1}
        memory: {size: 64Mi}
        storage: [{size: 100Mi}]
  placement:
    dc:
      attributes: {region: local}
      pricing:
        web: {denom: uakt, amount: 1000}
deployment:
  web:
    dc: {profile: web, count: 2}
`;

async function issueOf(text: string): Promise<SdlError> {
  const error = await buildSdl(text, "app.yaml").then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof SdlError, `expected an SdlError, got ${error}`);
  return error;
}

describe("SDL", () => {
  test("a valid SDL gives groups, the sorted manifest, its version and the most it pays per block", async () => {
    const sdl = await buildSdl(VALID, "app.yaml");
    assert.equal(sdl.groupSpecs.length, 1);
    assert.equal(sdl.groupSpecs[0]!.name, "dc");
    assert.deepEqual(sdl.services, ["web"]);
    assert.equal(sdl.version.length, 32);
    assert.deepEqual(JSON.parse(sdl.manifestJson)[0].name, "dc");
    assert.deepEqual(sdl.maxPricePerBlock, [{ denom: "uakt", amount: "2000" }]);
  });

  test("a port out of range points at its line and field", async () => {
    const e = await issueOf(VALID.replace("- port: 80", "- port: 70000"));
    assert.equal(e.issues[0]!.line, 6);
    assert.equal(e.issues[0]!.field, "services.web.expose[0].port");
    assert.equal(e.message, "app.yaml:6  services.web.expose[0].port: 70000 is not a port (1–65535)");
  });

  test("an unknown field points at its key", async () => {
    const e = await issueOf(VALID.replace("    image: decloud", "    imagee: x\n    image: decloud"));
    assert.equal(e.issues[0]!.line, 4);
    assert.equal(e.issues[0]!.field, "services.web.imagee");
    assert.match(e.message, /unknown field "imagee"/);
  });

  test("a profile that does not exist is reported where it is missing", async () => {
    const e = await issueOf(VALID.replace("{profile: web,", "{profile: webx,"));
    const lines = e.issues.map((i) => i.line);
    assert.ok(lines.includes(20), `the placement's pricing (line 20) is named: ${JSON.stringify(e.issues)}`);
    assert.match(e.message + (e.details ?? ""), /webx/);
  });

  test("a YAML syntax error points at its line", async () => {
    const e = await issueOf(VALID.replace("cpu: {units: 0.1}", "cpu: {units: 0.1"));
    assert.ok(e.issues[0]!.line >= 15 && e.issues[0]!.line <= 16, JSON.stringify(e.issues));
  });

  test("a wrong type names what is expected", async () => {
    const e = await issueOf(VALID.replace("count: 2", "count: two"));
    assert.equal(e.issues[0]!.line, 24);
    assert.match(e.message, /deployment\.web\.dc\.count: "two" must be a/);
  });
});
