// The Docker daemon restarts under a running lease (its own engine: the test owns it): the lease comes back
// by itself and the provider keeps serving it, without any teardown.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  eventually,
  ingressGet,
  newTenant,
  startTestProvider,
  type TestProvider,
} from "../../testing/harness.js";
import { buildSdl, webSdl } from "../../testing/sdl.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "./busybox-image.js";
import { SKIP_DOCKER, SKIP_REASON } from "./testing/engine.js";
import { PrivateDockerd } from "./testing/private-dockerd.js";

describe("Docker daemon restart", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let dockerd: PrivateDockerd;
  let p: TestProvider;

  before(async () => {
    dockerd = await PrivateDockerd.start();
    await ensureBusyboxImage(dockerd.docker);
    // A range of its own: another engine's lease network on the same subnet would make the host's routes to
    // this engine's containers ambiguous (each engine checks only its own networks).
    p = await startTestProvider({
      dockerSocket: dockerd.socketPath,
      config: "cluster: {lease_subnets: 10.223.0.0/16}",
    });
  });

  after(async () => {
    await p?.stop();
    await dockerd?.destroy();
  });

  it("brings the lease back after the daemon restarts", async () => {
    const alice = await newTenant(p.chain);
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const [order] = p.chain.addDeployment({ owner: alice.address, dseq: "1" }, sdl.version, sdl.groupSpecs);
    const lease = p.chain.createLease(order!);
    p.chain.emit({ type: "LeaseCreated", id: lease.id, price: lease.price });
    await p.leases.submitManifest({ owner: alice.address, dseq: "1" }, sdl.json);
    const status = await eventually(async () => {
      const s = await p.leases.leaseStatus(lease.id);
      return s.services.web?.available === 1 ? s : undefined;
    }, "available");
    const uri = status.services.web!.uris![0]!;
    await eventually(
      async () => ((await ingressGet(p.ingress.port, uri)).status === 200 ? true : undefined),
      "served",
    );

    await dockerd.restart();
    const page = await eventually(async () => {
      const r = await ingressGet(p.ingress.port, uri);
      return r.status === 200 ? r.body : undefined;
    }, "served again after the daemon restart");
    assert.equal(page, "hello from decloud\n");
    assert.equal((await p.leases.leaseStatus(lease.id)).services.web?.available, 1);
    assert.equal(p.store.leases().length, 1, "the lease was never given up");
  });
});
