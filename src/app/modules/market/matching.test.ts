// Attribute matching: Go's path.Match globs, and placement and capability matching (reference:
// akash-chain.md §3.4).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { capabilityMismatch, globMatch, offerMismatch, placementMismatch } from "./matching.js";
import { group, unit } from "./testing.js";

describe("globMatch (Go path.Match)", () => {
  const cases: [string, string, boolean][] = [
    ["region", "region", true],
    ["region", "regions", false],
    ["reg*", "region", true],
    ["*", "", true],
    ["*", "a/b", false],
    ["a/*", "a/b", true],
    ["a/*", "a/b/c", false],
    ["a/*/c", "a/b/c", true],
    ["?egion", "region", true],
    ["?", "/", false],
    ["[rs]egion", "region", true],
    ["[^rs]egion", "region", false],
    ["[a-z]egion", "region", true],
    ["[A-Z]egion", "region", false],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["[", "[", false],
    ["[]", "]", false],
    ["capabilities/gpu/vendor/nvidia/model/*", "capabilities/gpu/vendor/nvidia/model/a100", true],
    ["vendor/nvidia/model/*", "vendor/nvidia/model/a100/ram/80Gi", false],
  ];
  for (const [pattern, name, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? "matches" : "does not match"} ${JSON.stringify(name)}`, () => {
      assert.equal(globMatch(pattern, name), expected);
    });
  }
});

describe("placement and capabilities", () => {
  const a = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));

  it("without signed_by, every requirement must be among the provider's own attributes", () => {
    const spec = group("web", [unit()], { attributes: { region: "us-west", tier: "community" } });
    assert.equal(placementMismatch(spec, a({ region: "us-west", tier: "community", x: "1" }), []), undefined);
    assert.match(placementMismatch(spec, a({ region: "us-west" }), [])!, /tier=community/);
    assert.match(placementMismatch(spec, a({ region: "us-west", tier: "Community" }), [])!, /tier=community/);
  });

  it("with all_of, every listed auditor must have signed the requirements", () => {
    const spec = group("web", [unit()], { attributes: { region: "us-west" }, allOf: ["x", "y"] });
    const signed = (auditor: string) => ({ auditor, attributes: a({ region: "us-west" }) });
    assert.equal(placementMismatch(spec, [], [signed("x"), signed("y")]), undefined);
    assert.match(placementMismatch(spec, a({ region: "us-west" }), [signed("x")])!, /signed by y/);
  });

  it("checks storage classes and GPU models against capabilities", () => {
    const spec = group("g", [
      unit({
        gpu: "2",
        gpuAttributes: { "vendor/nvidia/model/h100": "true" },
        storage: [{ size: "10485760", attributes: { class: "ram", persistent: "false" } }],
      }),
    ]);
    const ram = { "capabilities/storage/2/class": "ram", "capabilities/storage/2/persistent": "false" };
    assert.equal(
      capabilityMismatch(spec, a({ ...ram, "capabilities/gpu/vendor/nvidia/model/h100": "true" })),
      undefined,
    );
    assert.match(
      capabilityMismatch(spec, a({ "capabilities/gpu/vendor/nvidia/model/h100": "true" }))!,
      /class=ram/,
    );
    assert.match(
      capabilityMismatch(spec, a({ ...ram, "capabilities/gpu/vendor/nvidia/model/a100": "true" }))!,
      /GPUs/,
    );
    // Classes are matched as a whole: class from one, persistent from another does not serve the volume.
    const split = { "capabilities/storage/1/class": "ram", "capabilities/storage/2/persistent": "false" };
    assert.match(
      capabilityMismatch(spec, a({ ...split, "capabilities/gpu/vendor/nvidia/model/h100": "true" }))!,
      /storage/,
    );
  });

  it("accepts an empty offer or one that names the order's units with their counts", () => {
    const spec = group("web", [unit({ id: 1, count: 2 }), unit({ id: 2 })]);
    assert.equal(offerMismatch(spec, []), undefined);
    assert.equal(
      offerMismatch(spec, [{ resources: { id: 2 } as never, count: 1, prices: undefined }]),
      undefined,
    );
    assert.match(
      offerMismatch(spec, [{ resources: { id: 1 } as never, count: 1, prices: undefined }])!,
      /asks for 2/,
    );
  });
});
