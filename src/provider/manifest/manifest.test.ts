// Manifest decoding, version hashing and validation against the groups chain-sdk builds from an SDL.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildSdl, webSdl } from "../testing/sdl.js";
import { decodeManifest, ManifestDecodeError, manifestVersion } from "./decode.js";
import { crossValidate, groupTotals, ManifestValidationError, validateManifest } from "./validate.js";

const image = "decloud-test/busybox:latest";

describe("manifest", () => {
  it("decodes the JSON a tenant sends into the manifest whose version is the one on chain", async () => {
    const built = await buildSdl(webSdl({ image }));
    const decoded = decodeManifest(built.json);
    assert.deepEqual(await manifestVersion(decoded), built.version);
    validateManifest(decoded);
    crossValidate(decoded, built.groupSpecs);
  });

  it("hashes what was decoded, so nulls and empty lists and key order do not matter; values do", async () => {
    const built = await buildSdl(webSdl({ image }));
    const json = JSON.parse(built.json);
    json[0].services[0].hosts = [];
    json[0].services[0].expose[0].hosts = [];
    const reordered = JSON.stringify(
      json,
      Object.keys(json[0])
        .reverse()
        .concat(Object.keys(json[0].services[0]))
        .concat([
          "val",
          "units",
          "size",
          "httpOptions",
          "maxBodySize",
          "readTimeout",
          "sendTimeout",
          "nextTries",
          "nextTimeout",
          "nextCases",
          "port",
          "externalPort",
          "proto",
          "service",
          "global",
          "hosts",
          "ip",
          "endpointSequenceNumber",
          "id",
          "cpu",
          "memory",
          "storage",
          "gpu",
          "endpoints",
          "kind",
          "sequence_number",
        ]),
    );
    assert.deepEqual(await manifestVersion(decodeManifest(reordered)), built.version);
    json[0].services[0].env = ["GREETING=changed"];
    assert.notDeepEqual(await manifestVersion(decodeManifest(json)), built.version);
  });

  it("refuses what cannot be a manifest", () => {
    assert.throws(() => decodeManifest("{"), ManifestDecodeError);
    assert.throws(() => decodeManifest({}), /manifest: expected an array/);
    assert.throws(
      () => decodeManifest([{ name: "dc", services: [{ count: "1", resources: {} }] }]),
      /services\[0\]\.count/,
    );
  });

  it("refuses a manifest that does not fit the lease's groups exactly", async () => {
    const lease = await buildSdl(webSdl({ image, cpu: 0.1, count: 1 }));
    const cases: [string, string, RegExp][] = [
      ["more CPU", webSdl({ image, cpu: 0.2 }), /CPU 200m differs from the lease's 100m/],
      ["more memory", webSdl({ image, memory: "128Mi" }), /memory 134217728 differs/],
      ["more replicas", webSdl({ image, count: 2 }), /runs 2 replicas, the lease has 1/],
    ];
    for (const [what, sdl, error] of cases) {
      const other = await buildSdl(sdl);
      assert.throws(() => crossValidate(decodeManifest(other.json), lease.groupSpecs), error, what);
    }
    const noHttp = JSON.parse(lease.json);
    noHttp[0].services[0].expose[0].externalPort = 8080;
    assert.throws(
      () => crossValidate(decodeManifest(noHttp), lease.groupSpecs),
      /uses 0 HTTP, 1 port, 0 IP endpoints, the lease has 1 HTTP, 0 port, 0 IP/,
    );
    const renamed = JSON.parse(lease.json);
    renamed[0].name = "other";
    assert.throws(() => crossValidate(decodeManifest(renamed), lease.groupSpecs), /no group "dc"/);
  });

  it("refuses malformed services", async () => {
    const built = await buildSdl(webSdl({ image }));
    // biome-ignore lint/suspicious/noExplicitAny: wire JSON edited field by field
    const bad = (edit: (j: any) => void) => {
      const j = JSON.parse(built.json);
      edit(j);
      return () => validateManifest(decodeManifest(j));
    };
    assert.throws(
      bad((j) => {
        j[0].services[0].expose[0].global = false;
      }),
      /no global services/,
    );
    assert.throws(
      bad((j) => {
        j[0].services[0].env = ["1BAD=x"];
      }),
      /invalid environment variable/,
    );
    assert.throws(
      bad((j) => {
        j[0].services[0].name = "Web_1";
      }),
      ManifestValidationError,
    );
    assert.throws(
      bad((j) => {
        j[0].services[0].expose[0].hosts = ["a..b"];
      }),
      /invalid hostname/,
    );
  });

  it("totals a group's resources over its replicas", async () => {
    const built = await buildSdl(webSdl({ image, cpu: 0.5, memory: "64Mi", count: 3 }));
    assert.deepEqual(groupTotals(built.groupSpecs[0]!), {
      cpuMillis: 1500n,
      memoryBytes: 3n * 64n * 1024n * 1024n,
      storageBytes: 3n * 100n * 1024n * 1024n,
      gpuUnits: 0n,
    });
  });
});
