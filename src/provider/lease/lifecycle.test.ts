// A lease's life on a real Docker Engine with a fake chain: the bid, the lease, the manifest, serving; a
// provider restart that adopts what runs and keeps the lease's events; an RPC outage that tears nothing down;
// a lease closed while the provider was down; escrow running dry; the manifest timeout (reference:
// akash-provider.md §4.4, §6).
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type Docker from "dockerode";
import { parseLogTime } from "../../client/gateway/log-time.js";
import type { GatewayTarget } from "../../client/gateway/provider.js";
import { streamLeaseLogs } from "../../client/gateway/streams.js";
import type { LeaseStatus, LogLine } from "../../client/gateway/types.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../cluster/docker/busybox-image.js";
import { LABEL } from "../cluster/docker/labels.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker, uniqueChainId } from "../cluster/docker/testing/engine.js";
import { type LeaseId, leaseIdString } from "../lease-id.js";
import { FakeChain } from "../testing/fake-chain.js";
import {
  eventually,
  gatewayRequest,
  gatewaySocket,
  ingressGet,
  newTenant,
  PROVIDER_ADDRESS,
  startTestProvider,
  type Tenant,
  type TestProvider,
} from "../testing/harness.js";
import { buildSdl, webSdl } from "../testing/sdl.js";

describe("lease life cycle", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let docker: Docker;
  let chain: FakeChain;
  let home: string;
  let p: TestProvider;
  let alice: Tenant;

  before(async () => {
    docker = await testDocker();
    await ensureBusyboxImage(docker);
    chain = new FakeChain(uniqueChainId("lifecycle"), PROVIDER_ADDRESS);
    chain.providers.set(PROVIDER_ADDRESS, {
      owner: PROVIDER_ADDRESS,
      hostUri: "https://localhost:8443",
      attributes: [{ key: "region", value: "local" }],
    });
    home = mkdtempSync(join(tmpdir(), "decloud-lifecycle-"));
    p = await startTestProvider({
      chain,
      home,
      config: "lease: {withdrawal_period: 0, funds_check_period: 100ms}",
    });
    alice = await newTenant(chain);
  });

  after(async () => {
    for (const l of await p.cluster.leases()) await p.cluster.teardown(l);
    await p?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const containers = async () =>
    (await docker.listContainers({ all: true, filters: { label: [`${LABEL.chainId}=${chain.chainId}`] } }))
      .map((c) => c.Id)
      .sort();

  async function deployAndServe(dseq: string): Promise<{ lease: LeaseId; uri: string; direct: number }> {
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const [order] = chain.addDeployment({ owner: alice.address, dseq }, sdl.version, sdl.groupSpecs);
    chain.emit({ type: "OrderCreated", id: order! });
    await eventually(
      async () =>
        chain.sent.some(
          (m) => m.type === "MsgCreateBid" && (m.value as { order: { dseq: string } }).order.dseq === dseq,
        )
          ? true
          : undefined,
      "the provider's bid",
    );
    const lease = chain.createLease(order!);
    chain.emit({ type: "LeaseCreated", id: lease.id, price: lease.price });
    const put = await gatewayRequest(`${p.gateway.url}/deployment/${dseq}/manifest`, {
      method: "PUT",
      body: sdl.json,
      jwt: await alice.jwt(),
    });
    assert.equal(put.status, 200, put.body);
    const status = await eventually(async () => {
      const r = await gatewayRequest(`${p.gateway.url}/lease/${dseq}/1/1/status`, { jwt: await alice.jwt() });
      const s = r.json() as LeaseStatus;
      return s.services.web?.available === 1 ? s : undefined;
    }, "available");
    const uri = status.services.web!.uris![0]!;
    await eventually(
      async () => ((await ingressGet(p.ingress.port, uri)).status === 200 ? true : undefined),
      "served",
    );
    const ports = await p.cluster.status(lease.id, sdl.groups[0]);
    return { lease: lease.id, uri, direct: ports.ports[0]!.hostPort };
  }

  it("bids on the order, runs the lease after the manifest, serves it through the ingress", async () => {
    const { uri } = await deployAndServe("10");
    assert.equal((await ingressGet(p.ingress.port, uri)).body, "hello from decloud\n");
    assert.equal(p.store.reservations()[0]?.state, "active");
  });

  it("a restarted provider adopts the running lease: it keeps answering, nothing is recreated; `logs -f` goes on", async (t) => {
    const before = await containers();
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const direct = (await p.cluster.status(p.store.leases()[0]!.id, sdl.groups[0])).ports[0]!.hostPort;
    // A tenant follows the logs through the restart (T8: Akash's logs and shell broke on a provider restart),
    // while the container writes a line every 20 ms, before, during and after the outage.
    const gateway: GatewayTarget = {
      provider: PROVIDER_ADDRESS,
      hostUri: p.gateway.url,
      certificates: [new X509Certificate(p.tls.cert).raw],
    };
    const jwt = await alice.jwt();
    const streamParams = {
      owner: alice.address,
      lease: p.store.leases()[0]!.id,
      auth: { type: "jwt", token: jwt },
      services: ["web"],
    } as const;
    let interrupted = 0;
    let resumed = 0;
    const followed = await streamLeaseLogs(gateway, {
      ...streamParams,
      follow: true,
      tail: 0,
      reconnect: {
        initialDelayMs: 50,
        maxDelayMs: 200,
        onInterrupted: () => interrupted++,
        onResumed: () => resumed++,
      },
    });
    const seen: LogLine[] = [];
    const following = (async () => {
      for await (const line of followed) seen.push(line);
    })();
    let failures = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const r = await fetch(`http://127.0.0.1:${direct}/`).catch(() => undefined);
        if (r?.status !== 200) failures++;
        await r?.text();
        await new Promise((x) => setTimeout(x, 20));
      }
    })();
    t.after(() => {
      probing = false;
      followed.close();
    });
    const ticker = await docker.getContainer(before[0]!).exec({
      Cmd: [
        "sh",
        "-c",
        "i=0; while [ $i -lt 200 ]; do echo tick $i > /proc/1/fd/1; i=$((i+1)); sleep 0.02; done; echo ticks done > /proc/1/fd/1",
      ],
    });
    // Detached, the exec still answers with a stream, which would keep this process alive.
    const tickerStream = (await ticker.start({ Detach: true })) as unknown as
      | { destroy?: () => void }
      | undefined;
    t.after(() => tickerStream?.destroy?.());
    await eventually(async () => (seen.length > 0 ? true : undefined), "a followed line before the restart");
    await p.stop();
    const stoppedAt = Date.now();
    // The same address and certificate (the tenant's view of the provider on chain is unchanged).
    p = await startTestProvider({
      chain,
      home,
      tls: p.tls,
      config: `
lease: {withdrawal_period: 0, funds_check_period: 100ms}
gateway: {listen: "${new URL(gateway.hostUri).host}"}`,
    });
    const lease = p.store.leases()[0]!.id;
    const status = await eventually(async () => {
      const r = await gatewayRequest(`${p.gateway.url}/lease/${lease.dseq}/1/1/status`, {
        jwt: await alice.jwt(),
      });
      const s = r.json() as LeaseStatus;
      return s.services.web?.available === 1 ? s : undefined;
    }, "adopted lease available");
    probing = false;
    await probe;
    assert.equal(failures, 0, "the service answered throughout the restart");

    // The follower reconnected by itself and printed each line once, with none lost: exactly the lines the
    // log holds from its first to its last.
    await eventually(
      async () => (seen.some((l) => l.message === "ticks done") ? true : undefined),
      "the follower's last line",
    );
    followed.close();
    await following;
    const last: LogLine[] = [];
    for await (const l of await streamLeaseLogs(gateway, streamParams)) last.push(l);
    assert.deepEqual([interrupted, resumed], [1, 1], "one outage, one reconnection");
    const key = (l: LogLine) => `${l.timestamp} ${l.message}`;
    const from = last.findIndex((l) => key(l) === key(seen[0]!));
    assert.ok(from >= 0, "the first followed line is in the log");
    assert.deepEqual(seen.map(key), last.slice(from).map(key), "every line once, in order");
    assert.ok(
      seen.some((l) => Number((parseLogTime(l.timestamp!) ?? 0n) / 1_000_000n) > stoppedAt),
      "lines written after the provider stopped were followed",
    );
    assert.deepEqual(await containers(), before, "same containers");
    const uri = status.services.web!.uris![0]!;
    assert.equal((await ingressGet(p.ingress.port, uri)).status, 200);
    // The shell works on the adopted lease (Akash's lease-shell answered 404 after a provider restart, T8).
    const shell = await gatewaySocket(
      `${p.gateway.url}/lease/${lease.dseq}/1/1/shell?service=web&cmd0=echo&cmd1=still%20here`,
      {
        jwt: await alice.jwt(),
      },
    );
    assert.equal(
      shell.messages
        .filter((m) => m[0] === 100)
        .map((m) => m.subarray(1).toString())
        .join(""),
      "still here\n",
    );
  });

  it("the restarted provider still shows the lease's events from before the restart", async () => {
    const lease = p.store.leases()[0]!.id;
    const events = await gatewaySocket(`${p.gateway.url}/lease/${lease.dseq}/1/1/kubeevents`, {
      jwt: await alice.jwt(),
    });
    const reasons = events.messages.map((m) => (JSON.parse(m.toString()) as { reason: string }).reason);
    assert.ok(reasons.includes("Created") && reasons.includes("Started"), `events: ${reasons.join(", ")}`);
  });

  it("tears nothing down while the chain's RPC is unreachable", async () => {
    const before = await containers();
    chain.down = true;
    // The funds check runs every 100 ms and fails meanwhile; a new event stream would fail too.
    await new Promise((r) => setTimeout(r, 500));
    const lease = p.store.leases()[0]!.id;
    const status = await p.leases.leaseStatus(lease);
    assert.equal(status.services.web?.available, 1, "status is served from what runs");
    chain.down = false;
    assert.deepEqual(await containers(), before);
    assert.equal(p.store.leases().length, 1);
  });

  it("tears down, after a restart, a lease the chain closed while the provider was down", async () => {
    const lease = p.store.leases()[0]!.id;
    assert.notDeepEqual(p.store.events(leaseIdString(lease)), []);
    await p.stop();
    chain.closeLease(lease);
    p = await startTestProvider({
      chain,
      home,
      config: "lease: {withdrawal_period: 0, funds_check_period: 100ms}",
    });
    await eventually(
      async () => ((await containers()).length === 0 && p.store.leases().length === 0 ? true : undefined),
      "teardown on reconcile",
    );
    assert.deepEqual(p.store.events(leaseIdString(lease)), [], "the lease's events went with it");
  });

  it("settles a lease whose escrow ran dry; the chain's close removes everything", async () => {
    const { lease } = await deployAndServe("11");
    const d = chain.deployments.get(`${alice.address}/11`)!;
    chain.deployments.set(`${alice.address}/11`, {
      ...d,
      escrow: { funds: { denom: "uakt", amount: "0" }, settledAt: 0 },
    });
    await eventually(
      async () => (chain.sent.some((m) => m.type === "MsgWithdrawLease") ? true : undefined),
      "withdrawal when dry",
    );
    chain.closeLease(lease, "insufficient_funds");
    chain.emit({ type: "LeaseClosed", id: lease, reason: "lease_closed_insufficient_funds" });
    await eventually(async () => ((await containers()).length === 0 ? true : undefined), "teardown");
    const volumes = await docker.listVolumes({ filters: { label: [`${LABEL.chainId}=${chain.chainId}`] } });
    const networks = await docker.listNetworks({ filters: { label: [`${LABEL.chainId}=${chain.chainId}`] } });
    assert.equal((volumes.Volumes ?? []).length + networks.length, 0);
  });

  it("closes the bid of a won lease that never gets a manifest", async () => {
    await p.stop();
    p = await startTestProvider({ chain, home, config: "bidding: {manifest_timeout: 200ms}" });
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const [order] = chain.addDeployment({ owner: alice.address, dseq: "12" }, sdl.version, sdl.groupSpecs);
    const lease = chain.createLease(order!);
    chain.emit({ type: "LeaseCreated", id: lease.id, price: lease.price });
    // Won without a bid of this run: its capacity is reserved from the group on chain all the same.
    const reserved = await eventually(
      async () => p.store.reservation(`${alice.address}/12/1/1`),
      "reservation",
    );
    assert.deepEqual([reserved.state, reserved.cpuMillis], ["active", 100n]);
    const closed = await eventually(
      async () =>
        chain.sent.find(
          (m) => m.type === "MsgCloseBid" && (m.value as { id: { dseq: string } }).id.dseq === "12",
        ),
      "bid closed",
    );
    assert.equal((closed.value as { reason: number }).reason, 10003);
  });
});
