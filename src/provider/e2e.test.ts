// End to end on a real devnet and the real Docker Engine: a provider (the `decloud provider run`
// composition over RPC) registers, a tenant deploys an SDL with chain-sdk messages signed by cosmjs, the
// provider bids on its own, the tenant leases and sends the manifest over JWT, the container serves HTTP
// through the ingress, and closing the deployment on chain removes every container, network and volume.
// (A test may compose upward: the devnet is the chain this provider talks to, over RPC only.)
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CertificateManager, JwtTokenManager } from "@akashnetwork/chain-sdk";
import { MsgCreateCertificate, Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgCloseDeployment, MsgCreateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { MsgCreateLease } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet, type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import type Docker from "dockerode";
import { pino } from "pino";
import { Devnet } from "../devnet/devnet.js";
import { BOND_DENOM } from "../params/chain.js";
import { DEV_MNEMONIC, devHdPath } from "../params/devnet.js";
import { RpcChain } from "./chain/rpc-chain.js";
import { DockerBackend } from "./cluster/docker/backend.js";
import { LABEL } from "./cluster/docker/labels.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "./cluster/docker/testing/busybox-image.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker } from "./cluster/docker/testing/engine.js";
import { DEFAULT_CONFIG_YAML, parseConfig } from "./config.js";
import type { LeaseStatusJson } from "./lease/status.js";
import { Provider } from "./provider.js";
import { eventually, gatewayRequest, ingressGet } from "./testing/harness.js";
import { buildSdl, webSdl } from "./testing/sdl.js";
import { ensureProviderTls } from "./tls.js";

const TENANT_MESSAGES = [MsgCreateDeployment, MsgCloseDeployment, MsgCreateLease, MsgCreateCertificate];

describe("provider end to end on a devnet", { skip: SKIP_DOCKER && SKIP_REASON }, () => {
  let home: string;
  let devnet: Devnet;
  let docker: Docker;
  let provider: Provider;
  let providerChain: RpcChain;
  let tenant: SigningStargateClient;
  let tenantAddress: string;
  let tenantAmino: Secp256k1HdWallet;

  before(async () => {
    docker = await testDocker();
    await ensureBusyboxImage(docker);
    home = mkdtempSync(join(tmpdir(), "decloud-e2e-"));
    devnet = await Devnet.start({
      home: join(home, "chain"),
      blockTimeMs: 100,
      rpcPort: 0,
      restPort: 0,
      grpcPort: 0,
    });

    const registry = new Registry(defaultRegistryTypes);
    for (const m of TENANT_MESSAGES) registry.register(`/${m.$type}`, m as unknown as GeneratedType);
    const hdPaths = [stringToPath(devHdPath(0))];
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "akash", hdPaths });
    tenantAmino = await Secp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "akash", hdPaths });
    tenantAddress = (await wallet.getAccounts())[0]!.address;
    tenant = await SigningStargateClient.connectWithSigner(devnet.rpcUrl, wallet, {
      registry,
      gasPrice: GasPrice.fromString("0.025uakt"),
    });

    // A provider key of its own (so that no other test's provider shares its Docker labels), funded by the tenant.
    const providerWallet = await DirectSecp256k1HdWallet.generate(12, { prefix: "akash" });
    const providerAddress = (await providerWallet.getAccounts())[0]!.address;
    const funded = await tenant.sendTokens(
      tenantAddress,
      providerAddress,
      [{ denom: BOND_DENOM, amount: "100000000" }],
      2,
    );
    assert.equal(funded.code, 0, funded.rawLog);
    providerChain = await RpcChain.connect({
      nodeUrl: devnet.rpcUrl,
      signer: providerWallet,
      address: providerAddress,
      pollMs: 100,
    });
    const config = parseConfig(
      `${DEFAULT_CONFIG_YAML.replace("listen: 127.0.0.1:8443", "listen: 127.0.0.1:0").replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1:0")}`,
    );
    await providerChain.registerProvider(config.provider);
    const tls = await ensureProviderTls(home, providerAddress);
    await providerChain.publishCertificate(tls.cert, tls.publicKey);
    provider = new Provider(config, home, {
      chain: providerChain,
      cluster: new DockerBackend({ chainId: providerChain.chainId, provider: providerAddress }),
      logger: pino({ level: process.env.DECLOUD_TEST_LOG ?? "silent" }),
      tls: { cert: tls.cert, key: tls.key },
    });
    await provider.start();
  });

  after(async () => {
    for (const l of (await provider?.modules.cluster.leases()) ?? [])
      await provider.modules.cluster.teardown(l);
    await provider?.stop();
    providerChain?.disconnect();
    tenant?.disconnect();
    await devnet?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("deployment → bid → lease → manifest → serving → closed → removed", async () => {
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const dseq = String(await tenant.getHeight());
    const created = await tenant.signAndBroadcast(
      tenantAddress,
      [
        {
          typeUrl: `/${MsgCreateDeployment.$type}`,
          value: MsgCreateDeployment.fromPartial({
            id: { owner: tenantAddress, dseq: dseq as never },
            groups: sdl.groupSpecs,
            hash: sdl.version,
            deposit: { amount: { denom: BOND_DENOM, amount: "5000000" }, sources: [Source.balance] },
          }),
        },
      ],
      2,
    );
    assert.equal(created.code, 0, created.rawLog);

    const bid = await eventually(async () => {
      const bids = await providerChain.providerBids("open");
      return bids.find((b) => b.id.owner === tenantAddress && b.id.dseq === dseq);
    }, "the provider's bid");
    const leased = await tenant.signAndBroadcast(
      tenantAddress,
      [
        {
          typeUrl: `/${MsgCreateLease.$type}`,
          value: MsgCreateLease.fromPartial({ bidId: { ...bid.id, dseq: dseq as never } }),
        },
      ],
      2,
    );
    assert.equal(leased.code, 0, leased.rawLog);

    const jwt = await new JwtTokenManager(tenantAmino as never).generateToken({
      version: "v1",
      iss: tenantAddress,
    });
    const put = await eventually(async () => {
      const r = await gatewayRequest(`${provider.gateway.url}/deployment/${dseq}/manifest`, {
        method: "PUT",
        body: sdl.json,
        jwt,
      });
      // The provider may not have seen the lease yet (Akash's "no lease for deployment" race): retry.
      return r.status === 404 ? undefined : r;
    }, "manifest accepted");
    assert.equal(put.status, 200, put.body);

    // Again over mTLS, with a client certificate the tenant publishes on chain (chain-sdk's, as Console's).
    const pem = await new CertificateManager().generatePEM(tenantAddress);
    const published = await tenant.signAndBroadcast(
      tenantAddress,
      [
        {
          typeUrl: `/${MsgCreateCertificate.$type}`,
          value: MsgCreateCertificate.fromPartial({
            owner: tenantAddress,
            cert: new TextEncoder().encode(pem.cert),
            pubkey: new TextEncoder().encode(pem.publicKey),
          }),
        },
      ],
      2,
    );
    assert.equal(published.code, 0, published.rawLog);
    const cert = { cert: pem.cert, key: pem.privateKey };
    const again = await gatewayRequest(`${provider.gateway.url}/deployment/${dseq}/manifest`, {
      method: "PUT",
      body: sdl.json,
      cert,
    });
    assert.equal(again.status, 200, again.body);

    const status = await eventually(async () => {
      const r = await gatewayRequest(`${provider.gateway.url}/lease/${dseq}/1/1/status`, { cert });
      const s = r.json() as LeaseStatusJson;
      return s.services?.web?.available === 1 ? s : undefined;
    }, "web available");
    const uri = status.services.web!.uris![0]!;
    const page = await eventually(async () => {
      const r = await ingressGet(provider.ingress.port, uri);
      return r.status === 200 ? r.body : undefined;
    }, "served through the ingress");
    assert.equal(page, "hello from decloud\n");

    const closed = await tenant.signAndBroadcast(
      tenantAddress,
      [
        {
          typeUrl: `/${MsgCloseDeployment.$type}`,
          value: MsgCloseDeployment.fromPartial({ id: { owner: tenantAddress, dseq: dseq as never } }),
        },
      ],
      2,
    );
    assert.equal(closed.code, 0, closed.rawLog);
    const filters = { label: [`${LABEL.provider}=${providerChain.address}`] };
    await eventually(async () => {
      const left =
        (await docker.listContainers({ all: true, filters })).length +
        (await docker.listNetworks({ filters })).length +
        ((await docker.listVolumes({ filters })).Volumes ?? []).length;
      return left === 0 ? true : undefined;
    }, "every container, network and volume removed");
  });
});
