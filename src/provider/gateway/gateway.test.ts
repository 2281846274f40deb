// The gateway as tenants use it: manifests over JWT (chain-sdk's ES256KADR36, and ES256K) and mTLS
// (chain-sdk certificates), lease status, the service answering through the ingress, logs, events and shell
// over websockets, and every refusal with Akash's status code (reference: akash-provider.md §4.2–4.4, §5.4).
import assert from "node:assert/strict";
import { after, before, describe, it, test } from "node:test";
import { Secp256k1, sha256 } from "@cosmjs/crypto";
import { SHELL_CHANNEL } from "../../client/gateway/streams.js";
import type { HostnameMigrationResult, LeaseStatus, ProviderStatus } from "../../client/gateway/types.js";
import { publishedPricing } from "../bidengine/pricing.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../cluster/docker/busybox-image.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker } from "../cluster/docker/testing/engine.js";
import { leaseIdString } from "../lease-id.js";
import {
  eventually,
  gatewayRequest,
  gatewaySocket,
  ingressGet,
  newTenant,
  publishedCertificate,
  startTestProvider,
  type Tenant,
  type TestProvider,
} from "../testing/harness.js";
import { buildSdl, webSdl } from "../testing/sdl.js";
import { parseMigrationRequest } from "./server.js";

describe("provider gateway", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let p: TestProvider;
  let alice: Tenant;
  let bob: Tenant;
  const dseq = "100";

  before(async () => {
    await ensureBusyboxImage(await testDocker());
    p = await startTestProvider();
    alice = await newTenant(p.chain);
    bob = await newTenant(p.chain);
  });

  after(async () => {
    for (const l of p.store.leases()) await p.cluster.teardown(l.id);
    await p?.stop();
  });

  const url = (path: string) => `${p.gateway.url}${path}`;

  it("serves /version, /address and /status without credentials", async () => {
    const address = await gatewayRequest(url("/address"));
    assert.deepEqual(address.json(), { address: p.chain.address });
    assert.equal((await gatewayRequest(url("/version"))).status, 200);
    const status = await gatewayRequest(url("/status"));
    assert.equal(status.status, 200);
    // DeCloud's addition: the scale rates (the default config's), from which a tenant predicts its bids.
    assert.deepEqual((status.json() as ProviderStatus).bid_pricing, {
      strategy: "scale",
      cpu: "0.1",
      memory: "0.01",
      storage: { ephemeral: "0.001", beta2: "0.002" },
      endpoint: "0",
    });
    assert.equal(
      publishedPricing({ strategy: "script", path: "./price.sh", timeoutMs: 1000 }),
      undefined,
      "a pricing script's prices cannot be known: nothing is published",
    );
  });

  it("accepts a manifest over JWT and the service answers through the ingress", async () => {
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const [order] = p.chain.addDeployment({ owner: alice.address, dseq }, sdl.version, sdl.groupSpecs);
    const lease = p.chain.createLease(order!);
    const put = await gatewayRequest(url(`/deployment/${dseq}/manifest`), {
      method: "PUT",
      body: sdl.json,
      jwt: await alice.jwt(),
    });
    assert.equal(put.status, 200, put.body);
    const status = await eventually(async () => {
      const r = await gatewayRequest(url(`/lease/${dseq}/1/1/status`), { jwt: await alice.jwt() });
      const s = r.json() as LeaseStatus;
      return s.services.web?.available === 1 ? s : undefined;
    }, "web available");
    assert.equal(status.services.web!.total, 1);
    assert.equal(status.forwarded_ports, null);
    const uri = status.services.web!.uris![0]!;
    assert.match(uri, new RegExp(`^[0-9a-v]{26}\\.localhost:${p.ingress.port}$`));
    const page = await eventually(async () => {
      const r = await ingressGet(p.ingress.port, uri);
      return r.status === 200 ? r.body : undefined;
    }, "ingress serves the page");
    assert.equal(page, "hello from decloud\n");
    assert.equal((await ingressGet(p.ingress.port, "nobody.localhost")).status, 404);
    assert.equal(leaseIdString(lease.id), leaseIdString(p.store.leases()[0]!.id));

    const service = await gatewayRequest(url(`/lease/${dseq}/1/1/service/web/status`), {
      jwt: await alice.jwt(),
    });
    assert.equal((service.json() as { available: number }).available, 1);
    const manifest = await gatewayRequest(url(`/lease/${dseq}/1/1/manifest`), { jwt: await alice.jwt() });
    assert.equal(manifest.body, sdl.json, "the group as the tenant sent it (one group here)");
  });

  it("accepts the same manifest again over mTLS with the owner's on-chain certificate", async () => {
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const cert = await publishedCertificate(p.chain, alice.address);
    const put = await gatewayRequest(url(`/deployment/${dseq}/manifest`), {
      method: "PUT",
      body: sdl.json,
      cert,
    });
    assert.equal(put.status, 200, put.body);
    const status = await gatewayRequest(url(`/lease/${dseq}/1/1/status`), { cert });
    assert.equal(status.status, 200);
  });

  it("accepts an ES256K token (the signing input signed directly)", async () => {
    const token = await es256kToken(alice, { exp: Math.floor(Date.now() / 1000) + 60 });
    const r = await gatewayRequest(url(`/lease/${dseq}/1/1/status`), { jwt: token });
    assert.equal(r.status, 200, r.body);
  });

  it("streams logs (tail and follow), events, and runs a shell command", async () => {
    const jwt = await alice.jwt();
    const logs = await gatewaySocket(url(`/lease/${dseq}/1/1/logs?follow=false&tail=10`), { jwt });
    const lines = logs.messages.map((m) => JSON.parse(m.toString()) as { name: string; message: string });
    assert.ok(
      lines.some((l) => l.name === "web-0" && l.message === "started"),
      JSON.stringify(lines),
    );
    assert.equal(logs.code, 1000);

    const followed = await gatewaySocket(url(`/lease/${dseq}/1/1/logs?follow=true&tail=1`), {
      jwt,
      until: (m) => m.length >= 1,
    });
    assert.equal(followed.messages.length, 1);

    const events = await gatewaySocket(url(`/lease/${dseq}/1/1/kubeevents?follow=false`), { jwt });
    const reasons = events.messages.map((m) => (JSON.parse(m.toString()) as { reason: string }).reason);
    assert.ok(reasons.includes("Started"), reasons.join(","));

    const shell = await gatewaySocket(
      url(`/lease/${dseq}/1/1/shell?service=web&podIndex=0&tty=0&stdin=0&cmd0=echo&cmd1=hi%20there`),
      {
        jwt,
      },
    );
    const stdout = shell.messages
      .filter((m) => m[0] === SHELL_CHANNEL.stdout)
      .map((m) => m.subarray(1).toString());
    assert.equal(stdout.join(""), "hi there\n");
    const result = shell.messages.find((m) => m[0] === SHELL_CHANNEL.result)!;
    assert.deepEqual(JSON.parse(result.subarray(1).toString()), { exit_code: 0 });

    // stdin (channel 104; an empty frame is end of input) reaches the command; its exit code comes back.
    const cat = await gatewaySocket(
      url(`/lease/${dseq}/1/1/shell?service=web&stdin=1&tty=0&cmd0=sh&cmd1=-c&cmd2=cat%3B%20exit%203`),
      {
        jwt,
        onOpen: (ws) => {
          ws.send(Buffer.concat([Buffer.from([SHELL_CHANNEL.stdin]), Buffer.from("typed in\n")]));
          ws.send(Buffer.from([SHELL_CHANNEL.stdin]));
        },
      },
    );
    const echoed = cat.messages
      .filter((m) => m[0] === SHELL_CHANNEL.stdout)
      .map((m) => m.subarray(1).toString());
    assert.equal(echoed.join(""), "typed in\n");
    const exit = cat.messages.find((m) => m[0] === SHELL_CHANNEL.result)!;
    assert.deepEqual(JSON.parse(exit.subarray(1).toString()), { exit_code: 3 });
  });

  it("refuses what it must, with Akash's status codes", async () => {
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const put = (body: string, auth: Parameters<typeof gatewayRequest>[1] = {}, d = dseq) =>
      gatewayRequest(url(`/deployment/${d}/manifest`), { method: "PUT", body, ...auth });

    const none = await put(sdl.json);
    assert.equal(none.status, 401);
    assert.match((none.json() as { message: string }).message, /unauthenticated/);

    // Another tenant's credentials address that tenant's own (missing) lease, never alice's.
    const other = await put(sdl.json, { jwt: await bob.jwt() });
    assert.deepEqual([other.status, other.body], [404, "no lease for deployment"]);
    const bobCert = await publishedCertificate(p.chain, bob.address);
    assert.equal((await gatewayRequest(url(`/lease/${dseq}/1/1/status`), { cert: bobCert })).status, 404);

    const revoked = await publishedCertificate(p.chain, alice.address, "revoked");
    const r = await put(sdl.json, { cert: revoked });
    assert.equal(r.status, 401);
    assert.match((r.json() as { message: string }).message, /revoked/);

    const expired = await es256kToken(alice, { exp: Math.floor(Date.now() / 1000) - 3600 });
    const e = await put(sdl.json, { jwt: expired });
    assert.deepEqual([e.status, (e.json() as { message: string }).message], [401, "token has expired"]);

    const forged = `${(await alice.jwt()).split(".").slice(0, 2).join(".")}.${(await bob.jwt()).split(".")[2]}`;
    assert.equal((await put(sdl.json, { jwt: forged })).status, 401);

    const both = await put(sdl.json, {
      jwt: await alice.jwt(),
      cert: await publishedCertificate(p.chain, alice.address),
    });
    assert.equal(both.status, 400);

    const changed = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, env: ["GREETING=other"] }));
    const mismatch = await put(changed.json, { jwt: await alice.jwt() });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.body, /^manifest version validation failed/);

    // A manifest that asks for more than the lease, with the chain's hash updated to match it.
    const bigger = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, cpu: 0.5 }));
    p.chain.updateDeploymentHash({ owner: alice.address, dseq }, bigger.version);
    const tooBig = await put(bigger.json, { jwt: await alice.jwt() });
    assert.equal(tooBig.status, 422);
    assert.match(tooBig.body, /CPU 500m differs from the lease's 100m/);
    p.chain.updateDeploymentHash({ owner: alice.address, dseq }, sdl.version);

    const missing = await put(sdl.json, { jwt: await alice.jwt() }, "999");
    assert.deepEqual([missing.status, missing.body], [404, "no lease for deployment"]);
    assert.equal(
      (await gatewayRequest(url("/lease/999/1/1/status"), { jwt: await alice.jwt() })).status,
      404,
    );

    const scoped = await alice.jwt({ leases: { access: "scoped", scope: ["logs"] } });
    assert.equal((await gatewayRequest(url(`/lease/${dseq}/1/1/status`), { jwt: scoped })).status, 401);
    await assert.rejects(gatewaySocket(url(`/lease/${dseq}/1/1/shell?service=web&cmd0=id`)), /HTTP 401/);
  });

  it("a manifest update replaces only what changed; closing the lease on chain removes everything", async () => {
    const updated = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, env: ["GREETING=updated"] }));
    p.chain.updateDeploymentHash({ owner: alice.address, dseq }, updated.version);
    const put = await gatewayRequest(url(`/deployment/${dseq}/manifest`), {
      method: "PUT",
      body: updated.json,
      jwt: await alice.jwt(),
    });
    assert.equal(put.status, 200, put.body);
    const jwt = await alice.jwt();
    await eventually(async () => {
      const shell = await gatewaySocket(
        url(`/lease/${dseq}/1/1/shell?service=web&cmd0=sh&cmd1=-c&cmd2=echo%20%24GREETING`),
        { jwt },
      );
      const out = shell.messages
        .filter((m) => m[0] === SHELL_CHANNEL.stdout)
        .map((m) => m.subarray(1).toString());
      return out.join("") === "updated\n" ? true : undefined;
    }, "the new env");

    const lease = p.store.leases()[0]!;
    p.chain.closeLease(lease.id);
    p.chain.emit({ type: "LeaseClosed", id: lease.id, reason: "lease_closed_owner" });
    await eventually(
      async () =>
        (await p.cluster.leases()).length === 0 && p.store.leases().length === 0 ? true : undefined,
      "teardown",
    );
    assert.deepEqual(p.store.leases(), []);
    assert.equal((await gatewayRequest(url(`/lease/${dseq}/1/1/status`), { jwt })).status, 404);
  });

  it("withholds the owner's hostname held by another deployment and migrates it (POST /hostname/migrate)", async () => {
    const host = "shop.migrate.test";
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, accept: [host] }));
    const jwt = await alice.jwt();
    const deploy = async (tenant: Tenant, d: string) => {
      const [order] = p.chain.addDeployment({ owner: tenant.address, dseq: d }, sdl.version, sdl.groupSpecs);
      p.chain.createLease(order!);
      return gatewayRequest(url(`/deployment/${d}/manifest`), {
        method: "PUT",
        body: sdl.json,
        jwt: await tenant.jwt(),
      });
    };
    const status = async (d: string) =>
      (await gatewayRequest(url(`/lease/${d}/1/1/status`), { jwt })).json() as LeaseStatus;
    const migrate = (body: unknown, auth: Parameters<typeof gatewayRequest>[1] = { jwt }) =>
      gatewayRequest(url("/hostname/migrate"), {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
        ...auth,
      });

    assert.equal((await deploy(alice, "200")).status, 200);
    const second = await deploy(alice, "201");
    assert.equal(second.status, 200, `the same owner's host is accepted, not refused: ${second.body}`);
    const withheld = (await status("201")).withheld_hostnames;
    assert.equal(withheld?.length, 1, JSON.stringify(withheld));
    assert.deepEqual(withheld![0]!.held_by, { dseq: "200", gseq: 1, oseq: 1 });
    assert.match(
      withheld![0]!.message,
      /withheld: your deployment 200 serves it; move it here with `decloud hostnames migrate shop\.migrate\.test --dseq 201`/,
    );
    assert.ok((await status("200")).services.web!.uris!.includes(`${host}:${p.ingress.port}`));
    // Another owner's manifest asking for it is refused.
    const bobs = await deploy(bob, "202");
    assert.deepEqual([bobs.status, bobs.body], [422, `hostname ${host} is in use by another tenant`]);

    const body = { hostnames_to_migrate: [host], destination_dseq: 201, destination_gseq: 1 };
    const none = await migrate(body, {});
    assert.equal(none.status, 401);
    assert.match((none.json() as { message: string }).message, /unauthenticated/);
    const logsOnly = await alice.jwt({ leases: { access: "scoped", scope: ["logs"] } });
    const unscoped = await migrate(body, { jwt: logsOnly });
    assert.deepEqual(
      [unscoped.status, (unscoped.json() as { message: string }).message],
      [401, 'token does not grant "hostname-migrate"'],
    );

    const refusals: [unknown, number, RegExp][] = [
      ["not json", 422, /^the body is not JSON/],
      [{ ...body, hostnames_to_migrate: [] }, 400, /^no hostnames to migrate$/],
      [{ hostnames_to_migrate: [host] }, 400, /^destination_dseq must be/],
      [
        { ...body, destination_dseq: 999 },
        404,
        /^destination deployment 999 \(group 1\) has no active lease of yours/,
      ],
      [{ ...body, destination_gseq: 2 }, 404, /^destination deployment 201 \(group 2\) has no active lease/],
      [
        { ...body, hostnames_to_migrate: ["other.migrate.test"] },
        400,
        /^hostname other\.migrate\.test is not used by deployment 201 \(group 1\): its manifest accepts shop\.migrate\.test/,
      ],
    ];
    for (const [b, code, message] of refusals) {
      const r = await migrate(b);
      assert.equal(r.status, code, `${JSON.stringify(b)}: ${r.body}`);
      assert.match(r.body, message, JSON.stringify(b));
    }
    // Bob cannot address alice's deployment: his credentials name his own (missing) lease.
    assert.equal((await migrate(body, { jwt: await bob.jwt() })).status, 404);

    const migrateScoped = await alice.jwt({ leases: { access: "scoped", scope: ["hostname-migrate"] } });
    const moved = await migrate(body, { jwt: migrateScoped });
    assert.equal(moved.status, 200, moved.body);
    assert.deepEqual(moved.json(), {
      transferred: [host],
      destination: { dseq: "201", gseq: 1, oseq: 1 },
      moved: [{ hostname: host, service: "web", from: { dseq: "200", gseq: 1, oseq: 1 } }],
      already: [],
    });
    const after201 = await status("201");
    assert.equal(after201.withheld_hostnames, undefined);
    assert.ok(after201.services.web!.uris!.includes(`${host}:${p.ingress.port}`));
    assert.deepEqual((await status("200")).withheld_hostnames?.[0]?.held_by, {
      dseq: "201",
      gseq: 1,
      oseq: 1,
    });

    // Over mTLS, moving it back; asking again is a no-op that still succeeds.
    const cert = await publishedCertificate(p.chain, alice.address);
    const back = await migrate({ ...body, destination_dseq: "200" }, { cert });
    assert.equal(back.status, 200, back.body);
    const again = await migrate({ ...body, destination_dseq: 200 }, { cert });
    assert.deepEqual(again.json(), {
      transferred: [host],
      destination: { dseq: "200", gseq: 1, oseq: 1 },
      moved: [],
      already: [host],
    });

    // Deployment 200 drops the host from its SDL: released, so 201 shows it free, and a migration binds it.
    const dropped = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, env: ["GREETING=dropped"] }));
    p.chain.updateDeploymentHash({ owner: alice.address, dseq: "200" }, dropped.version);
    const update = await gatewayRequest(url("/deployment/200/manifest"), {
      method: "PUT",
      body: dropped.json,
      jwt,
    });
    assert.equal(update.status, 200, update.body);
    assert.equal(
      p.store.hostnames().some((h) => h.hostname === host),
      false,
      "released",
    );
    const free = (await status("201")).withheld_hostnames?.[0];
    assert.equal(free?.held_by, null);
    assert.match(
      free!.message,
      /^shop\.migrate\.test is not bound: .*bind it here with `decloud hostnames migrate/,
    );
    const bound = await migrate(body);
    assert.deepEqual((bound.json() as HostnameMigrationResult).moved, [
      { hostname: host, service: "web", from: null },
    ]);

    for (const l of p.store.leases()) {
      if (l.id.dseq !== "200" && l.id.dseq !== "201") continue;
      p.chain.closeLease(l.id);
      p.chain.emit({ type: "LeaseClosed", id: l.id, reason: "lease_closed_owner" });
    }
    await eventually(
      async () => (p.store.hostnames().some((h) => h.hostname === host) ? undefined : true),
      "the hostname released at teardown",
    );
  });
});

test("a migration request's destination dseq is read whole, even beyond 2^53", () => {
  const big = "18446744073709551615";
  assert.deepEqual(
    parseMigrationRequest(
      `{"hostnames_to_migrate":["a.example.com"],"destination_dseq":${big},"destination_gseq":2}`,
    ),
    { hostnames: ["a.example.com"], dseq: big, gseq: 2 },
  );
  assert.deepEqual(
    parseMigrationRequest('{"hostnames_to_migrate":["a.example.com"],"destination_dseq":"007"}'),
    { hostnames: ["a.example.com"], dseq: "7", gseq: 1 },
    "a decimal string is accepted too; gseq defaults to 1",
  );
  for (const bad of ["18446744073709551616", "0", "-1", "1.5", "null"]) {
    assert.throws(
      () => parseMigrationRequest(`{"hostnames_to_migrate":["a"],"destination_dseq":${bad}}`),
      /destination_dseq must be/,
      bad,
    );
  }
});

/** An ES256K JWT: secp256k1 over SHA-256 of the signing input (reference §4.2), made by hand. */
async function es256kToken(tenant: Tenant, claims: { exp: number }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${enc({ alg: "ES256K", typ: "JWT" })}.${enc({
    iss: tenant.address,
    iat: Math.min(now, claims.exp - 1),
    nbf: Math.min(now, claims.exp - 1),
    exp: claims.exp,
    version: "v1",
    leases: { access: "full" },
  })}`;
  const privkey = (
    await (
      tenant.wallet as unknown as { getAccountsWithPrivkeys(): Promise<{ privkey: Uint8Array }[]> }
    ).getAccountsWithPrivkeys()
  )[0]!.privkey;
  const signature = await Secp256k1.createSignature(sha256(Buffer.from(input)), privkey);
  const rs = Buffer.concat([signature.r(32), signature.s(32)]);
  return `${input}.${rs.toString("base64url")}`;
}
