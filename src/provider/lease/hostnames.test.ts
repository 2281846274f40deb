// Hostname reservations (reference: akash-provider.md §6.6) and migration (§4.3 `POST /hostname/migrate`):
// the rules alone, then the lease manager's migration over a real SQLite store, reopened as after a restart.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GatewayError } from "../errors.js";
import { type LeaseId, leaseIdString } from "../lease-id.js";
import type { ManifestGroup } from "../manifest/types.js";
import { type HostnameBinding, ProviderStore } from "../state/store.js";
import { managerOf } from "../testing/lease-manager.js";
import { buildSdl, webSdl } from "../testing/sdl.js";
import { acceptHostnames, leaseHostnames, planHostnames, planMigration } from "./hostnames.js";

const PROVIDER = "akash1provider";
const lease = (owner: string, dseq: string, gseq = 1): LeaseId => ({
  owner,
  dseq,
  gseq,
  oseq: 1,
  provider: PROVIDER,
});
const ALICE_12 = lease("akash1alice", "12");
const ALICE_13 = lease("akash1alice", "13");
const BOB_20 = lease("akash1bob", "20");

let group: ManifestGroup;
let sdlJson: string;
let version: Uint8Array;
before(async () => {
  const sdl = await buildSdl(webSdl({ image: "busybox", accept: ["Shop.Example.com", "www.example.com"] }));
  group = sdl.groups[0]!;
  sdlJson = sdl.json;
  version = sdl.version;
});

/** Rejects with a GatewayError of this status whose message matches. */
function refuses(f: () => unknown, status: number, message: RegExp): void {
  assert.throws(f, (e) => {
    assert.ok(e instanceof GatewayError, String(e));
    assert.equal(e.status, status, e.message);
    assert.match(e.message, message);
    return true;
  });
}

const bound = (l: LeaseId, ...hostnames: string[]): HostnameBinding[] =>
  hostnames.map((hostname) => ({ hostname, lease: l, service: "web", externalPort: 80 }));

describe("a lease's hostnames", () => {
  test("one generated per HTTP service, then the accept hosts in lower case", () => {
    const all = leaseHostnames(ALICE_12, group, "localhost");
    assert.equal(all.length, 3);
    assert.match(all[0]!.hostname, /^[0-9a-v]{26}\.localhost$/);
    assert.deepEqual(
      acceptHostnames(ALICE_12, group).map((h) => h.hostname),
      ["shop.example.com", "www.example.com"],
    );
  });
});

describe("reservations when a manifest arrives", () => {
  test("free hostnames, and those the lease holds already, are bound", () => {
    const wanted = acceptHostnames(ALICE_12, group);
    const plan = planHostnames(wanted, bound(ALICE_12, "shop.example.com"), []);
    assert.deepEqual(
      plan.bind.map((b) => b.hostname),
      ["shop.example.com", "www.example.com"],
    );
    assert.deepEqual(plan.withheld, []);
  });

  test("the same owner's hostname on another deployment is withheld, not refused", () => {
    const plan = planHostnames(acceptHostnames(ALICE_13, group), bound(ALICE_12, "shop.example.com"), []);
    assert.deepEqual(
      plan.bind.map((b) => b.hostname),
      ["www.example.com"],
    );
    assert.equal(plan.withheld.length, 1);
    assert.equal(plan.withheld[0]!.binding.hostname, "shop.example.com");
    assert.equal(leaseIdString(plan.withheld[0]!.heldBy), leaseIdString(ALICE_12));
  });

  test("the same owner's hostname on another group of the same deployment is withheld too", () => {
    const group2 = lease("akash1alice", "12", 2);
    const plan = planHostnames(acceptHostnames(group2, group), bound(ALICE_12, "www.example.com"), []);
    assert.deepEqual(
      plan.withheld.map((w) => w.binding.hostname),
      ["www.example.com"],
    );
  });

  test("another owner's hostname is refused (422)", () => {
    refuses(
      () => planHostnames(acceptHostnames(ALICE_13, group), bound(BOB_20, "www.example.com"), []),
      422,
      /^hostname www\.example\.com is in use by another tenant$/,
    );
  });

  test("blocked names and suffixes (and a suffix's apex) are refused (422)", () => {
    const wanted = acceptHostnames(ALICE_12, group);
    for (const blocked of ["www.example.com", ".example.com", ".shop.example.com"]) {
      refuses(() => planHostnames(wanted, [], [blocked]), 422, /is blocked on this provider/);
    }
    assert.equal(planHostnames(wanted, [], ["example.com", ".other.com"]).bind.length, 2);
  });
});

describe("planning a migration", () => {
  test("moves the owner's hostname from the lease that holds it", () => {
    const plan = planMigration(
      ["SHOP.example.com"],
      ALICE_13,
      group,
      bound(ALICE_12, "shop.example.com"),
      [],
    );
    assert.deepEqual(plan.already, []);
    assert.equal(plan.moves.length, 1);
    assert.equal(plan.moves[0]!.binding.hostname, "shop.example.com");
    assert.equal(leaseIdString(plan.moves[0]!.binding.lease), leaseIdString(ALICE_13));
    assert.equal(leaseIdString(plan.moves[0]!.from!), leaseIdString(ALICE_12));
  });

  test("binds a hostname no lease holds; leaves one the destination holds; names repeated once", () => {
    const plan = planMigration(
      ["shop.example.com", "www.example.com", "www.example.com"],
      ALICE_13,
      group,
      bound(ALICE_13, "www.example.com"),
      [],
    );
    assert.deepEqual(
      plan.moves.map((m) => [m.binding.hostname, m.from]),
      [["shop.example.com", undefined]],
    );
    assert.deepEqual(plan.already, ["www.example.com"]);
  });

  test("refuses a hostname the destination's manifest does not accept (400), saying which it accepts", () => {
    refuses(
      () => planMigration(["api.example.com"], ALICE_13, group, [], []),
      400,
      /^hostname api\.example\.com is not used by deployment 13 \(group 1\): its manifest accepts shop\.example\.com, www\.example\.com;/,
    );
    const generated = leaseHostnames(ALICE_13, group, "localhost")[0]!.hostname;
    refuses(() => planMigration([generated], ALICE_13, group, [], []), 400, /is not used by deployment 13/);
  });

  test("refuses another owner's hostname (403) and a blocked one (422)", () => {
    refuses(
      () => planMigration(["www.example.com"], ALICE_13, group, bound(BOB_20, "www.example.com"), []),
      403,
      /^hostname www\.example\.com is in use by another tenant$/,
    );
    refuses(() => planMigration(["www.example.com"], ALICE_13, group, [], [".example.com"]), 422, /blocked/);
  });
});

describe("the lease manager's migration over SQLite", () => {
  /** The cluster runs nothing: a lease's status is empty. */
  const managerOver = (store: ProviderStore) =>
    managerOf({ cluster: { status: async () => ({ services: [], ports: [], errors: [] }) }, store });
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "decloud-hostnames-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("two deployments of one owner accept the same host; migration moves it, atomically and durably", async () => {
    const path = join(dir, "state.sqlite");
    let store = new ProviderStore(path);
    for (const id of [ALICE_12, ALICE_13]) {
      store.putLease({ id, priceDenom: "uakt", priceAmount: "1", wonAt: 0 });
      store.putManifest({ deployment: id, json: sdlJson, version, receivedAt: 0 });
      const plan = planHostnames(leaseHostnames(id, group, "localhost"), store.hostnames(), []);
      store.setHostnames(id, plan.bind);
    }
    let manager = managerOver(store);
    let changes = 0;
    manager.onChange(() => changes++);

    const before = await manager.leaseStatus(ALICE_13);
    assert.deepEqual(
      before.withheld_hostnames?.map((w) => [w.hostname, w.held_by]),
      [
        ["shop.example.com", { dseq: "12", gseq: 1, oseq: 1 }],
        ["www.example.com", { dseq: "12", gseq: 1, oseq: 1 }],
      ],
    );
    assert.match(
      before.withheld_hostnames![0]!.message,
      /^shop\.example\.com is withheld: your deployment 12 serves it; move it here with `decloud hostnames migrate shop\.example\.com --dseq 13`/,
    );
    assert.equal(before.services.web!.uris!.length, 1, "only the generated hostname is served");

    // Refused: nothing moves.
    refuses(
      () => manager.migrateHostnames("akash1alice", { hostnames: ["shop.example.com"], dseq: "14", gseq: 1 }),
      404,
      /^destination deployment 14 \(group 1\) has no active lease of yours on this provider$/,
    );
    refuses(
      () => manager.migrateHostnames("akash1bob", { hostnames: ["shop.example.com"], dseq: "13", gseq: 1 }),
      404,
      /no active lease of yours/,
    );
    refuses(
      () =>
        manager.migrateHostnames("akash1alice", {
          hostnames: ["shop.example.com", "nope.example.com"],
          dseq: "13",
          gseq: 1,
        }),
      400,
      /nope\.example\.com is not used by deployment 13/,
    );
    assert.equal(store.hostnames().find((h) => h.hostname === "shop.example.com")?.lease.dseq, "12");
    assert.equal(changes, 0);

    // A source the caller may not act on (a granular JWT) stops the migration before anything moves.
    assert.throws(() =>
      manager.migrateHostnames(
        "akash1alice",
        { hostnames: ["shop.example.com"], dseq: "13", gseq: 1 },
        () => {
          throw new Error("no scope on deployment 12");
        },
      ),
    );
    assert.equal(store.hostnames().find((h) => h.hostname === "shop.example.com")?.lease.dseq, "12");

    const sources: string[] = [];
    const result = manager.migrateHostnames(
      "akash1alice",
      { hostnames: ["shop.example.com"], dseq: "13", gseq: 1 },
      (from) => sources.push(leaseIdString(from)),
    );
    assert.deepEqual(sources, [leaseIdString(ALICE_12)]);
    assert.deepEqual(
      result.moved.map((m) => [m.hostname, m.from?.dseq]),
      [["shop.example.com", "12"]],
    );
    assert.equal(changes, 1, "the ingress is told at once");
    const after = await manager.leaseStatus(ALICE_13);
    assert.ok(after.services.web!.uris!.includes("shop.example.com:8080"), String(after.services.web!.uris));
    assert.deepEqual(
      after.withheld_hostnames?.map((w) => w.hostname),
      ["www.example.com"],
    );
    const source = await manager.leaseStatus(ALICE_12);
    assert.deepEqual(
      source.withheld_hostnames?.map((w) => [w.hostname, w.held_by?.dseq]),
      [["shop.example.com", "13"]],
      "the source now shows it withheld, held by the destination",
    );

    // A restart: the store reopened holds the migration.
    await manager.stop();
    store.close();
    store = new ProviderStore(path);
    manager = managerOver(store);
    const held = Object.fromEntries(store.hostnames().map((h) => [h.hostname, h.lease.dseq]));
    assert.deepEqual([held["shop.example.com"], held["www.example.com"]], ["13", "12"]);
    const again = manager.migrateHostnames("akash1alice", {
      hostnames: ["shop.example.com", "www.example.com"],
      dseq: "13",
      gseq: 1,
    });
    assert.deepEqual(again.already, ["shop.example.com"]);
    assert.deepEqual(
      again.moved.map((m) => m.hostname),
      ["www.example.com"],
    );

    // The source's teardown does not release what it no longer holds; the destination's releases all.
    store.deleteLease(ALICE_12);
    assert.equal(store.hostnames().filter((h) => h.lease.dseq === "13").length, 3);
    store.deleteLease(ALICE_13);
    assert.deepEqual(store.hostnames(), []);
    await manager.stop();
    store.close();
  });
});
