// The Docker backend against the real Docker Engine, with the locally built BusyBox image.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import type Docker from "dockerode";
import type { LeaseId } from "../../lease-id.js";
import type { ManifestGroup } from "../../manifest/types.js";
import { eventually } from "../../testing/harness.js";
import { buildSdl } from "../../testing/sdl.js";
import type { ClusterBackend, DeployContext } from "../backend.js";
import { DockerBackend } from "./backend.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "./busybox-image.js";
import { LABEL } from "./labels.js";
import { formatCidr, overlaps, parseCidr } from "./subnets.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker, uniqueChainId } from "./testing/engine.js";

const PROVIDER = "akash1provider0000000000000000000000000000";
const context: DeployContext = { publicHostname: "localhost" };

function sdl(webEnv: string): string {
  return `
version: "2.0"
services:
  web:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c"]
    args: ["echo web starting; echo hello from web > /www/index.html; exec httpd -f -p 80 -h /www"]
    env: ["${webEnv}"]
    expose:
      - port: 80
        as: 80
        to:
          - global: true
    params:
      storage:
        data:
          mount: /data
  api:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c"]
    args: ["echo api starting; echo hello from api > /www/index.html; httpd -p 8080 -h /www; exec httpd -f -p 5000 -h /www"]
    expose:
      - port: 8080
        to:
          - service: web
      - port: 5000
        as: 5000
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.1}
        memory: {size: 64Mi}
        storage:
          - size: 100Mi
          - name: data
            size: 100Mi
            attributes: {persistent: true, class: beta2}
    api:
      resources:
        cpu: {units: 0.1}
        memory: {size: 32Mi}
        storage: [{size: 100Mi}]
  placement:
    dc:
      pricing:
        web: {denom: uakt, amount: 100}
        api: {denom: uakt, amount: 100}
deployment:
  web:
    dc: {profile: web, count: 1}
  api:
    dc: {profile: api, count: 1}
`;
}

async function group(env: string): Promise<ManifestGroup> {
  return (await buildSdl(sdl(env))).groups[0]!;
}

async function httpGet(port: number, path = "/"): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  return res.text();
}

async function exec(
  backend: ClusterBackend,
  lease: LeaseId,
  service: string,
  command: string[],
): Promise<string> {
  const session = await backend.exec(lease, { service, replica: 0, command, tty: false, stdin: false });
  let out = "";
  for await (const chunk of session.output) out += chunk.data.toString();
  assert.equal(await session.exitCode(), 0, `exit code of ${command.join(" ")}`);
  return out;
}

describe("DockerBackend", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let docker: Docker;
  let backend: DockerBackend;
  let chainId: string;
  const lease: LeaseId = { owner: "akash1tenant", dseq: "42", gseq: 1, oseq: 1, provider: PROVIDER };

  before(async () => {
    docker = await testDocker();
    await ensureBusyboxImage(docker);
    chainId = uniqueChainId("backend-test");
    backend = new DockerBackend({ chainId, provider: PROVIDER });
    await backend.ready();
  });

  after(async () => {
    await backend?.teardown(lease).catch(() => undefined);
    await backend?.close();
  });

  it("runs a lease: services available, HTTP and forwarded ports published on loopback, names resolve", async () => {
    const g = await group("GREETING=one");
    await backend.deploy(lease, g, context);
    const status = await eventually(async () => {
      const s = await backend.status(lease, g, context);
      return s.services.every((x) => x.available === x.total) ? s : undefined;
    }, "services available");
    assert.deepEqual(
      status.services.map((s) => [s.name, s.total, s.available]),
      [
        ["api", 1, 1],
        ["web", 1, 1],
      ],
    );
    const web = status.ports.find((p) => p.service === "web")!;
    assert.equal(web.ingress, true);
    assert.equal(web.hostIp, "127.0.0.1");
    const forwarded = status.ports.find((p) => p.service === "api")!;
    assert.deepEqual([forwarded.port, forwarded.externalPort, forwarded.ingress], [5000, 5000, false]);
    assert.equal(status.ports.length, 2, "the service-only port 8080 is not published");
    assert.equal(await eventually(() => httpGet(web.hostPort), "web answers"), "hello from web\n");
    assert.equal(await eventually(() => httpGet(forwarded.hostPort), "api answers"), "hello from api\n");
    // web reaches api by its service name, on the lease's own network.
    assert.equal(
      await eventually(
        // (No `-T`: Debian's busybox-static wget segfaults with it; `eventually` bounds each probe instead.)
        () => exec(backend, lease, "web", ["wget", "-qO-", "http://api:8080/"]),
        "api by name",
      ),
      "hello from api\n",
    );
    const env = await exec(backend, lease, "web", ["env"]);
    assert.match(env, /^GREETING=one$/m);
    assert.match(env, /^AKASH_DEPLOYMENT_SEQUENCE=42$/m);
    assert.match(env, new RegExp(`^AKASH_PROVIDER=${PROVIDER}$`, "m"));
  });

  it("labels every object with chain id, provider and lease, and applies the unit's limits", async () => {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.chainId}=${chainId}`] },
    });
    assert.equal(containers.length, 2);
    for (const c of containers) {
      assert.equal(c.Labels[LABEL.provider], PROVIDER);
      assert.equal(c.Labels[LABEL.lease], `akash1tenant/42/1/1/${PROVIDER}`);
    }
    const web = containers.find((c) => c.Labels[LABEL.service] === "web")!;
    const info = await docker.getContainer(web.Id).inspect();
    assert.equal(info.HostConfig.NanoCpus, 100_000_000);
    assert.equal(info.HostConfig.Memory, 64 * 1024 * 1024);
    assert.deepEqual(
      info.Mounts.map((m) => m.Destination),
      ["/data"],
    );
    const networks = await docker.listNetworks({ filters: { label: [`${LABEL.chainId}=${chainId}`] } });
    assert.equal(networks.length, 1);
    const subnet = parseCidr(networks[0]!.IPAM!.Config![0]!.Subnet!);
    assert.ok(overlaps(subnet, parseCidr("10.221.0.0/16")) && subnet.prefix === 24, formatCidr(subnet));
    const volumes = await docker.listVolumes({ filters: { label: [`${LABEL.chainId}=${chainId}`] } });
    assert.equal(volumes.Volumes?.length, 1);
    assert.deepEqual(await backend.leases(), [lease]);
  });

  it("never sees another provider's or another chain's objects", async () => {
    const other = new DockerBackend({ chainId, provider: "akash1someoneelse" });
    const otherChain = new DockerBackend({ chainId: `${chainId}-b`, provider: PROVIDER });
    assert.deepEqual(await other.leases(), []);
    assert.deepEqual(await otherChain.leases(), []);
    await other.teardown(lease);
    await otherChain.teardown(lease);
    assert.equal((await backend.status(lease)).services.length, 2, "untouched by the others' teardown");
    await other.close();
    await otherChain.close();
  });

  it("logs (tail and follow) and events", async () => {
    const all = await backend.logs(lease, { follow: false });
    const lines: string[] = [];
    for await (const l of all) lines.push(`${l.name}: ${l.message}`);
    assert.ok(lines.includes("web-0: web starting"), lines.join("\n"));
    assert.ok(lines.includes("api-0: api starting"), lines.join("\n"));

    const tail = await backend.logs(lease, { follow: false, services: ["web"], tail: 1 });
    const tailLines: string[] = [];
    for await (const l of tail) tailLines.push(l.message);
    assert.deepEqual(tailLines, ["web starting"]);

    const follow = await backend.logs(lease, { follow: true, services: ["web"], tail: 0 });
    await exec(backend, lease, "web", ["sh", "-c", "echo followed line > /proc/1/fd/1"]);
    for await (const l of follow) {
      if (l.message === "followed line") break;
    }
    follow.close();

    const events = backend.events(lease, false);
    const reasons: string[] = [];
    for await (const e of events) reasons.push(`${e.object.name} ${e.reason}`);
    assert.ok(reasons.includes("web-0 Started"), reasons.join(", "));
  });

  it("a manifest update replaces only the changed service and keeps its persistent volume and ports", async () => {
    const before = await docker.listContainers({ filters: { label: [`${LABEL.chainId}=${chainId}`] } });
    const id = (s: string, list: Docker.ContainerInfo[]) =>
      list.find((c) => c.Labels[LABEL.service] === s)!.Id;
    const statusBefore = await backend.status(lease, await group("GREETING=one"), context);
    await exec(backend, lease, "web", ["sh", "-c", "echo kept > /data/file"]);

    const g = await group("GREETING=two");
    await backend.deploy(lease, g, context);
    const after = await docker.listContainers({ filters: { label: [`${LABEL.chainId}=${chainId}`] } });
    assert.equal(id("api", after), id("api", before), "api is untouched");
    assert.notEqual(id("web", after), id("web", before), "web is replaced");
    const env = await exec(backend, lease, "web", ["env"]);
    assert.match(env, /^GREETING=two$/m);
    assert.equal(await exec(backend, lease, "web", ["cat", "/data/file"]), "kept\n");
    const statusAfter = await backend.status(lease, g, context);
    assert.deepEqual(statusAfter.ports, statusBefore.ports, "same host ports after the update");
    const web = statusAfter.ports.find((p) => p.service === "web")!;
    assert.equal(await eventually(() => httpGet(web.hostPort), "web answers again"), "hello from web\n");
  });

  it("a crashed container is restarted and the crash is reported", async () => {
    const g = await group("GREETING=two");
    const before = await backend.status(lease, g, context);
    const web = before.ports.find((p) => p.service === "web")!;
    await exec(backend, lease, "web", ["sh", "-c", "kill 1"]).catch(() => undefined);
    const events = backend.events(lease, true);
    for await (const e of events) {
      if (e.reason === "BackOff" && e.object.name === "web-0") break;
    }
    events.close();
    assert.equal(
      await eventually(() => httpGet(web.hostPort), "web answers after its restart"),
      "hello from web\n",
    );
  });

  it("a stopped replica whose host port was taken meanwhile comes back on a new port", async () => {
    const g = await group("GREETING=two");
    const before = (await backend.status(lease, g, context)).ports.find((p) => p.service === "web")!;
    const web = (
      await docker.listContainers({
        filters: { label: [`${LABEL.chainId}=${chainId}`, `${LABEL.service}=web`] },
      })
    )[0]!;
    await docker.getContainer(web.Id).stop({ t: 1 });
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(before.hostPort, "127.0.0.1", resolve));
    try {
      await backend.deploy(lease, g, context);
      const after = (await backend.status(lease, g, context)).ports.find((p) => p.service === "web")!;
      assert.notEqual(after.hostPort, before.hostPort);
      assert.equal(
        await eventually(() => httpGet(after.hostPort), "web on its new port"),
        "hello from web\n",
      );
    } finally {
      squatter.close();
    }
  });

  it("reports a failed image pull in status and events instead of hiding it", async () => {
    const bad: LeaseId = { ...lease, dseq: "43" };
    const g = (
      await buildSdl(sdl("X=1").replace(`image: ${BUSYBOX_IMAGE}`, "image: 127.0.0.1:1/decloud/missing:1"))
    ).groups[0]!;
    await assert.rejects(
      backend.deploy(bad, g, context),
      /Failed to pull image "127.0.0.1:1\/decloud\/missing:1"/,
    );
    const status = await backend.status(bad, g, context);
    assert.match(status.errors.join("\n"), /Failed to pull image/);
    const events = backend.events(bad, false);
    const warnings: string[] = [];
    for await (const e of events) if (e.type === "Warning") warnings.push(e.reason);
    assert.deepEqual(warnings, ["Failed"]);
    await backend.teardown(bad);
  });

  it("teardown removes every container, network and volume of the lease", async () => {
    await backend.teardown(lease);
    const filters = { label: [`${LABEL.chainId}=${chainId}`] };
    assert.equal((await docker.listContainers({ all: true, filters })).length, 0);
    assert.equal((await docker.listNetworks({ filters })).length, 0);
    assert.equal((await docker.listVolumes({ filters })).Volumes?.length ?? 0, 0);
    assert.deepEqual(await backend.leases(), []);
  });
});

describe("DockerBackend lease networks", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  it("take the free /24s of the provider's range, and a full range says which setting to change", async () => {
    const docker = await testDocker();
    await ensureBusyboxImage(docker);
    const chainId = uniqueChainId("subnets-test");
    // A /23 of its own (two lease networks), its first /24 already used by a network that is not the provider's.
    const third = 2 * Math.floor(Math.random() * 128);
    const range = `10.222.${third}.0/23`;
    const foreign = await docker.createNetwork({
      Name: `${chainId}-foreign`,
      Labels: { [LABEL.chainId]: chainId },
      IPAM: { Driver: "default", Config: [{ Subnet: `10.222.${third}.0/24` }] },
    });
    const backend = new DockerBackend({ chainId, provider: PROVIDER, leaseSubnets: range });
    const first: LeaseId = { owner: "akash1tenant", dseq: "1", gseq: 1, oseq: 1, provider: PROVIDER };
    const second: LeaseId = { ...first, dseq: "2" };
    try {
      await backend.ready();
      const g = await group("X=1");
      const results = await Promise.allSettled([
        backend.deploy(first, g, context),
        backend.deploy(second, g, context),
      ]);
      const refused = results.filter((r) => r.status === "rejected").map((r) => String(r.reason));
      assert.equal(refused.length, 1, "one deploy gets the last free /24, the other is refused");
      assert.match(
        refused[0]!,
        new RegExp(`no free /24 left .* in cluster.lease_subnets 10.222.${third}.0/23`),
      );
      const subnets = (await docker.listNetworks({ filters: { label: [`${LABEL.chainId}=${chainId}`] } }))
        .map((n) => n.IPAM?.Config?.[0]?.Subnet)
        .sort();
      assert.deepEqual(subnets, [`10.222.${third}.0/24`, `10.222.${third + 1}.0/24`]);
    } finally {
      await backend.teardown(first).catch(() => undefined);
      await backend.teardown(second).catch(() => undefined);
      await backend.close();
      await foreign.remove().catch(() => undefined);
    }
  });
});
