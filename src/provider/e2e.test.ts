// End to end on a real devnet and the real Docker Engine: a provider (the `decloud provider run`
// composition over RPC) registers, a tenant deploys an SDL with chain-sdk messages signed by cosmjs, the
// provider bids on its own, the tenant leases and sends the manifest over JWT and again over mTLS, the
// container serves HTTP through the ingress, and closing the deployment on chain removes every container,
// network and volume.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CertificateManager, JwtTokenManager } from "@akashnetwork/chain-sdk";
import { MsgCreateCertificate } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgCloseDeployment, MsgUpdateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { MsgCreateLease } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import type Docker from "dockerode";
import type { LeaseStatus } from "../client/gateway/types.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "./cluster/docker/busybox-image.js";
import { LABEL } from "./cluster/docker/labels.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker } from "./cluster/docker/testing/engine.js";
import { type DevnetProvider, startDevnetProvider } from "./testing/devnet-provider.js";
import { eventually, gatewayRequest, gatewaySocket, ingressGet } from "./testing/harness.js";
import { buildSdl, webSdl } from "./testing/sdl.js";

describe("provider end to end on a devnet", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let docker: Docker;
  let net: DevnetProvider;

  before(async () => {
    docker = await testDocker();
    await ensureBusyboxImage(docker);
    net = await startDevnetProvider();
  });

  after(async () => {
    await net?.stop();
  });

  it("deployment → bid → lease → manifest → serving → closed → removed", async () => {
    const { provider, chain, tenant } = net;
    const gateway = provider.gateway.url;
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const dseq = String(await tenant.client.getHeight());
    await tenant.createDeployment(dseq, sdl);

    const bid = await eventually(async () => {
      const bids = await chain.providerBids("open");
      return bids.find((b) => b.id.owner === tenant.address && b.id.dseq === dseq);
    }, "the provider's bid");
    await tenant.send({
      typeUrl: `/${MsgCreateLease.$type}`,
      value: MsgCreateLease.fromPartial({ bidId: { ...bid.id, dseq: dseq as never } }),
    });

    // chain-sdk's JwtTokenManager is typed against its own @cosmjs/amino; the wallet is the same interface.
    const jwt = await new JwtTokenManager(tenant.amino as never).generateToken({
      version: "v1",
      iss: tenant.address,
    });
    const put = await eventually(async () => {
      const r = await gatewayRequest(`${gateway}/deployment/${dseq}/manifest`, {
        method: "PUT",
        body: sdl.json,
        jwt,
      });
      // The provider may not have seen the lease yet (Akash's "no lease for deployment" race): retry.
      return r.status === 404 ? undefined : r;
    }, "manifest accepted");
    assert.equal(put.status, 200, put.body);

    // Again over mTLS, with a client certificate the tenant publishes on chain (chain-sdk's, as Console's).
    const pem = await new CertificateManager().generatePEM(tenant.address);
    await tenant.send({
      typeUrl: `/${MsgCreateCertificate.$type}`,
      value: MsgCreateCertificate.fromPartial({
        owner: tenant.address,
        cert: new TextEncoder().encode(pem.cert),
        pubkey: new TextEncoder().encode(pem.publicKey),
      }),
    });
    const cert = { cert: pem.cert, key: pem.privateKey };
    const again = await gatewayRequest(`${gateway}/deployment/${dseq}/manifest`, {
      method: "PUT",
      body: sdl.json,
      cert,
    });
    assert.equal(again.status, 200, again.body);

    const status = await eventually(async () => {
      const r = await gatewayRequest(`${gateway}/lease/${dseq}/1/1/status`, { cert });
      const s = r.json() as LeaseStatus;
      return s.services?.web?.available === 1 ? s : undefined;
    }, "web available");
    const uri = status.services.web!.uris![0]!;
    const page = await eventually(async () => {
      const r = await ingressGet(provider.ingress.port, uri);
      return r.status === 200 ? r.body : undefined;
    }, "served through the ingress");
    assert.equal(page, "hello from decloud\n");

    // An update: a new version on chain (MsgUpdateDeployment), then its manifest; only the env changes.
    const updated = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, env: ["GREETING=updated"] }));
    await tenant.send({
      typeUrl: `/${MsgUpdateDeployment.$type}`,
      value: MsgUpdateDeployment.fromPartial({
        id: { owner: tenant.address, dseq: dseq as never },
        hash: updated.version,
      }),
    });
    const stale = await gatewayRequest(`${gateway}/deployment/${dseq}/manifest`, {
      method: "PUT",
      body: sdl.json,
      cert,
    });
    assert.equal(stale.status, 422, "the old manifest no longer matches the version on chain");
    const put2 = await gatewayRequest(`${gateway}/deployment/${dseq}/manifest`, {
      method: "PUT",
      body: updated.json,
      cert,
    });
    assert.equal(put2.status, 200, put2.body);
    await eventually(async () => {
      const shell = await gatewaySocket(
        `${gateway}/lease/${dseq}/1/1/shell?service=web&cmd0=sh&cmd1=-c&cmd2=echo%20%24GREETING`,
        { jwt },
      );
      const out = shell.messages.filter((m) => m[0] === 100).map((m) => m.subarray(1).toString());
      return out.join("") === "updated\n" ? true : undefined;
    }, "the updated env in the running service");

    await tenant.send({
      typeUrl: `/${MsgCloseDeployment.$type}`,
      value: MsgCloseDeployment.fromPartial({ id: { owner: tenant.address, dseq: dseq as never } }),
    });
    const filters = { label: [`${LABEL.provider}=${chain.address}`] };
    await eventually(async () => {
      const left =
        (await docker.listContainers({ all: true, filters })).length +
        (await docker.listNetworks({ filters })).length +
        ((await docker.listVolumes({ filters })).Volumes ?? []).length;
      return left === 0 && provider.store.leases().length === 0 ? true : undefined;
    }, "every container, network and volume removed, and the lease forgotten");
  });
});

describe("provider end to end: escrow running dry", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let docker: Docker;
  let net: DevnetProvider;

  before(async () => {
    docker = await testDocker();
    await ensureBusyboxImage(docker);
    // A price that eats the minimum deposit (0.5 AKT) in 50 blocks (5 s here), and a frequent escrow check.
    net = await startDevnetProvider({
      config: `
bidding: {pricing: {strategy: scale, cpu: 100, memory: 0, storage: {ephemeral: 0}, endpoint: 0}}
lease: {withdrawal_period: 0, funds_check_period: 200ms}`,
    });
  });

  after(async () => {
    await net?.stop();
  });

  it("the provider settles a lease whose escrow ran dry; the chain closes it and everything is removed", async () => {
    const { provider, chain, tenant } = net;
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE, price: 1_000_000 }));
    const dseq = String(await tenant.client.getHeight());
    await tenant.createDeployment(dseq, sdl, "500000");
    const bid = await eventually(async () => {
      const bids = await chain.providerBids("open");
      return bids.find((b) => b.id.owner === tenant.address && b.id.dseq === dseq);
    }, "the provider's bid");
    assert.equal(bid.price.amount.replace(/\.0+$/, ""), "10000", "100m CPU at 100 per millicpu, per block");
    await tenant.send({
      typeUrl: `/${MsgCreateLease.$type}`,
      value: MsgCreateLease.fromPartial({ bidId: { ...bid.id, dseq: dseq as never } }),
    });
    const jwt = await new JwtTokenManager(tenant.amino as never).generateToken({
      version: "v1",
      iss: tenant.address,
    });
    const put = await eventually(async () => {
      const r = await gatewayRequest(`${provider.gateway.url}/deployment/${dseq}/manifest`, {
        method: "PUT",
        body: sdl.json,
        jwt,
      });
      return r.status === 404 ? undefined : r;
    }, "manifest accepted");
    assert.equal(put.status, 200, put.body);

    const lease = { ...bid.id };
    const closed = await eventually(async () => {
      const l = await chain.lease(lease);
      return l && l.state !== "active" ? l : undefined;
    }, "the lease closed by the chain");
    assert.equal(closed.state, "insufficient_funds");
    const filters = { label: [`${LABEL.provider}=${chain.address}`] };
    await eventually(async () => {
      const left =
        (await docker.listContainers({ all: true, filters })).length +
        (await docker.listNetworks({ filters })).length +
        ((await docker.listVolumes({ filters })).Volumes ?? []).length;
      return left === 0 && provider.store.leases().length === 0 ? true : undefined;
    }, "every container, network and volume removed");
  });
});
