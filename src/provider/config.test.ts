// The provider config: defaults as documented, overrides, and errors that say which setting is wrong.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_CONFIG_YAML, parseBytes, parseConfig, parseCpu, parseDuration } from "./config.js";

describe("provider config", () => {
  it("reads the documented defaults", () => {
    const c = parseConfig(DEFAULT_CONFIG_YAML);
    assert.deepEqual(c.gateway, { host: "127.0.0.1", port: 8443 });
    assert.deepEqual([c.ingress.host, c.ingress.port, c.ingress.domain], ["127.0.0.1", 8080, "localhost"]);
    assert.deepEqual(c.bidding.deposit, { denom: "uakt", amount: "500000" });
    assert.equal(c.bidding.bidTimeoutMs, 300_000);
    assert.equal(c.capacity.cpuMillis, undefined);
    assert.ok(c.provider.attributes.some((a) => a.key === "region" && a.value === "local"));
    assert.deepEqual(parseConfig(""), c, "an empty file is all defaults");
  });

  it("takes overrides and refuses unknown settings", () => {
    const c = parseConfig(
      "capacity: {cpu: 2, memory: 4Gi}\nbidding: {pricing: {strategy: script, path: /p.sh}}\n",
    );
    assert.equal(c.capacity.cpuMillis, 2000n);
    assert.equal(c.capacity.memoryBytes, 4n * 1024n ** 3n);
    assert.deepEqual(c.bidding.pricing, { strategy: "script", path: "/p.sh", timeoutMs: 10_000 });
    assert.throws(() => parseConfig("gatway: {listen: x}"), /unknown setting "gatway"/);
    assert.throws(() => parseConfig("ingress: {listen: nope}"), /ingress.listen: "nope" is not HOST:PORT/);
    assert.equal(parseConfig("").cluster.leaseSubnets, "10.221.0.0/16");
    assert.equal(parseConfig("cluster: {lease_subnets: 10.8.0.0/14}").cluster.leaseSubnets, "10.8.0.0/14");
    assert.throws(
      () => parseConfig("cluster: {lease_subnets: 10.8.0.0}"),
      /cluster.lease_subnets: "10.8.0.0" is not an IPv4 network/,
    );
  });

  it("parses durations, sizes and CPU amounts", () => {
    assert.deepEqual(
      ["250ms", "30s", "5m", "1h", 2].map((d) => parseDuration(d, "x")),
      [250, 30_000, 300_000, 3_600_000, 2000],
    );
    assert.equal(parseBytes("512Mi", "x"), 512n * 1024n * 1024n);
    assert.equal(parseCpu("3500m", "x"), 3500n);
    assert.equal(parseCpu("0.5", "x"), 500n);
  });
});
