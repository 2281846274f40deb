// Lease subnets: parsing, overlap, the first free /24 of a range, and the host's route table.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatCidr,
  freeSubnet,
  overlaps,
  parseCidr,
  parseLeaseSubnets,
  parseRouteTable,
} from "./subnets.js";

const cidr = (s: string) => parseCidr(s);

describe("lease subnets", () => {
  it("parses and formats IPv4 networks, refusing what is not one", () => {
    assert.deepEqual(parseCidr("10.221.0.0/16"), { base: 0x0add0000, prefix: 16 });
    assert.equal(formatCidr(parseCidr("192.168.240.0/20")), "192.168.240.0/20");
    assert.equal(formatCidr(parseCidr("0.0.0.0/0")), "0.0.0.0/0");
    assert.throws(() => parseCidr("10.221.0.0"), /not an IPv4 network like 10.221.0.0\/16/);
    assert.throws(() => parseCidr("10.221.0.0/33"), /not an IPv4 network/);
    assert.throws(() => parseCidr("10.256.0.0/16"), /not an IPv4 address/);
    assert.throws(() => parseCidr("fd00::/64"), /not an IPv4 network/);
    assert.throws(() => parseCidr("10.221.3.0/16"), /host bits set \(did you mean 10.221.0.0\/16\?\)/);
    assert.throws(() => parseLeaseSubnets("10.221.0.0/25"), /smaller than one lease network \(\/24\)/);
  });

  it("overlap holds whenever one network contains the other's first address", () => {
    assert.ok(overlaps(cidr("10.221.0.0/16"), cidr("10.221.7.0/24")));
    assert.ok(overlaps(cidr("10.221.7.0/24"), cidr("10.0.0.0/8")));
    assert.ok(overlaps(cidr("10.221.7.0/24"), cidr("10.221.7.128/25")));
    assert.ok(!overlaps(cidr("10.221.7.0/24"), cidr("10.221.8.0/24")));
    assert.ok(!overlaps(cidr("172.17.0.0/16"), cidr("172.18.0.0/16")));
  });

  it("the first free /24 skips every taken network, and a full range has none", () => {
    const range = cidr("10.221.0.0/22");
    assert.equal(formatCidr(freeSubnet(range, [])!), "10.221.0.0/24");
    assert.equal(
      formatCidr(freeSubnet(range, [cidr("10.221.0.0/24"), cidr("10.221.1.5/32")])!),
      "10.221.2.0/24",
    );
    assert.equal(
      formatCidr(freeSubnet(range, [cidr("10.221.0.0/23"), cidr("172.17.0.0/16")])!),
      "10.221.2.0/24",
    );
    assert.equal(freeSubnet(range, [cidr("10.0.0.0/8")]), undefined);
    assert.equal(
      freeSubnet(cidr("10.221.0.0/16"), [cidr("10.221.0.0/17"), cidr("10.221.128.0/17")]),
      undefined,
    );
  });

  it("reads /proc/net/route: little-endian hex, the default route left out", () => {
    const table = [
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
      "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
      "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
      "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
      "br-1\t00F0A8C0\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0",
      "",
    ].join("\n");
    assert.deepEqual(parseRouteTable(table).map(formatCidr), [
      "172.17.0.0/16",
      "192.0.2.0/24",
      "192.168.240.0/20",
    ]);
  });
});
