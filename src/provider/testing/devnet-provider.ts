// A devnet with this provider running against it over RPC (the `decloud provider run` composition), and a
// tenant that signs chain-sdk messages with cosmjs: what the end-to-end test and the bench share. (Test code
// may compose upward: the devnet is only the chain the provider talks to, over RPC.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MsgCreateCertificate, Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCloseDeployment,
  MsgCreateDeployment,
  MsgUpdateDeployment,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { MsgCreateLease } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { stringToPath } from "@cosmjs/crypto";
import {
  DirectSecp256k1HdWallet,
  type EncodeObject,
  type GeneratedType,
  Registry,
} from "@cosmjs/proto-signing";
import {
  type DeliverTxResponse,
  defaultRegistryTypes,
  GasPrice,
  SigningStargateClient,
} from "@cosmjs/stargate";
import { pino } from "pino";
import { Devnet } from "../../devnet/devnet.js";
import { BOND_DENOM } from "../../params/chain.js";
import { DEV_MNEMONIC, devHdPath } from "../../params/devnet.js";
import { RpcChain } from "../chain/rpc-chain.js";
import { DockerBackend } from "../cluster/docker/backend.js";
import { DEFAULT_CONFIG_YAML, parseConfig } from "../config.js";
import { Provider } from "../provider.js";
import { ensureProviderTls } from "../tls.js";
import { mergeYaml } from "./harness.js";
import type { BuiltSdl } from "./sdl.js";

const TENANT_MESSAGES = [
  MsgCreateDeployment,
  MsgUpdateDeployment,
  MsgCloseDeployment,
  MsgCreateLease,
  MsgCreateCertificate,
];

export interface DevnetProvider {
  readonly devnet: Devnet;
  readonly provider: Provider;
  readonly chain: RpcChain;
  readonly tenant: {
    readonly client: SigningStargateClient;
    readonly address: string;
    /** The same key as an amino signer, for chain-sdk's JWTs. */
    readonly amino: Secp256k1HdWallet;
    send(message: EncodeObject): Promise<DeliverTxResponse>;
    /** MsgCreateDeployment with a deposit (default 5 AKT). */
    createDeployment(dseq: string, sdl: BuiltSdl, deposit?: string): Promise<DeliverTxResponse>;
  };
  stop(): Promise<void>;
}

export async function startDevnetProvider(
  opts: {
    blockTimeMs?: number /** Provider config, over the defaults (gateway and ingress on free ports). */;
    config?: string;
  } = {},
): Promise<DevnetProvider> {
  const home = mkdtempSync(join(tmpdir(), "decloud-e2e-"));
  const devnet = await Devnet.start({
    home: join(home, "chain"),
    blockTimeMs: opts.blockTimeMs ?? 100,
    rpcPort: 0,
    restPort: 0,
    grpcPort: 0,
  });
  const registry = new Registry(defaultRegistryTypes);
  for (const m of TENANT_MESSAGES) registry.register(`/${m.$type}`, m as unknown as GeneratedType);
  const hdPaths = [stringToPath(devHdPath(0))];
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "akash", hdPaths });
  const amino = await Secp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "akash", hdPaths });
  const address = (await wallet.getAccounts())[0]!.address;
  const client = await SigningStargateClient.connectWithSigner(devnet.rpcUrl, wallet, {
    registry,
    gasPrice: GasPrice.fromString("0.025uakt"),
  });
  const send = async (message: EncodeObject) => {
    const r = await client.signAndBroadcast(address, [message], 2);
    if (r.code !== 0) throw new Error(`${message.typeUrl}: ${r.rawLog}`);
    return r;
  };

  // A provider key of its own, so that no other run's provider shares its Docker labels; the tenant funds it.
  const providerWallet = await DirectSecp256k1HdWallet.generate(12, { prefix: "akash" });
  const providerAddress = (await providerWallet.getAccounts())[0]!.address;
  const funded = await client.sendTokens(
    address,
    providerAddress,
    [{ denom: BOND_DENOM, amount: "100000000" }],
    2,
  );
  if (funded.code !== 0) throw new Error(`funding the provider: ${funded.rawLog}`);
  const chain = await RpcChain.connect({
    nodeUrl: devnet.rpcUrl,
    signer: providerWallet,
    address: providerAddress,
    pollMs: 100,
  });
  const config = parseConfig(
    mergeYaml(
      DEFAULT_CONFIG_YAML,
      `gateway: {listen: "127.0.0.1:0"}\ningress: {listen: "127.0.0.1:0"}\n${opts.config ?? ""}`,
    ),
  );
  await chain.registerProvider(config.provider);
  const tls = await ensureProviderTls(home, providerAddress);
  await chain.publishCertificate(tls.cert, tls.publicKey);
  const provider = new Provider(config, home, {
    chain,
    cluster: new DockerBackend({ chainId: chain.chainId, provider: providerAddress }),
    logger: pino({ level: process.env.DECLOUD_TEST_LOG ?? "silent" }),
    tls: { cert: tls.cert, key: tls.key },
  });
  await provider.start();

  return {
    devnet,
    provider,
    chain,
    tenant: {
      client,
      address,
      amino,
      send,
      createDeployment: (dseq, sdl, deposit = "5000000") =>
        send({
          typeUrl: `/${MsgCreateDeployment.$type}`,
          value: MsgCreateDeployment.fromPartial({
            id: { owner: address, dseq: dseq as never },
            groups: sdl.groupSpecs,
            hash: sdl.version,
            deposit: { amount: { denom: BOND_DENOM, amount: deposit }, sources: [Source.balance] },
          }),
        }),
    },
    stop: async () => {
      for (const l of await provider.modules.cluster.leases()) await provider.modules.cluster.teardown(l);
      await provider.stop();
      chain.disconnect();
      client.disconnect();
      await devnet.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
