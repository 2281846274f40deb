// The marketplace through the devnet, driven as tenants, providers and auditors drive Akash: messages built
// with @akashnetwork/chain-sdk's types and its SDL support, signed and broadcast by cosmjs, state read back
// over REST. A provider registers, an auditor signs its attributes, a tenant deploys from an SDL, the
// provider bids, the tenant leases, blocks pass, the provider withdraws (the take goes to the community
// pool), and the tenant closes — every coin accounted for.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateManifest, generateManifestVersion } from "@akashnetwork/chain-sdk";
import {
  MsgAccountDeposit,
  MsgSignProviderAttributes,
  Scope,
  Source,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCloseDeployment,
  MsgCreateDeployment,
  MsgCreateProvider,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCreateBid,
  MsgCreateLease,
  MsgWithdrawLease,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { stringToPath } from "@cosmjs/crypto";
import {
  DirectSecp256k1HdWallet,
  decodeTxRaw,
  type EncodeObject,
  type GeneratedType,
  Registry,
} from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { parse } from "yaml";
import { lookupType } from "../codec/registry.js";
import { moduleAddressBytes, toBech32Address } from "../crypto/address.js";
import { BOND_DENOM } from "../params/chain.js";
import { DEV_MNEMONIC, devHdPath, getDevAccounts } from "../params/devnet.js";
import { Devnet } from "./devnet.js";
import { getJson, rpcCall } from "./testing/helpers.js";

const TYPE_URLS = [
  "/akash.provider.v1beta4.MsgCreateProvider",
  "/akash.audit.v1.MsgSignProviderAttributes",
  "/akash.deployment.v1beta4.MsgCreateDeployment",
  "/akash.deployment.v1beta4.MsgCloseDeployment",
  "/akash.market.v1beta5.MsgCreateBid",
  "/akash.market.v1beta5.MsgCreateLease",
  "/akash.market.v1beta5.MsgWithdrawLease",
  "/akash.escrow.v1.MsgAccountDeposit",
];

const POOL = toBech32Address(moduleAddressBytes("community_pool"));
const ESCROW = toBech32Address(moduleAddressBytes("escrow"));

function sdl(auditor: string): string {
  return `
version: "2.0"
services:
  web:
    image: decloud-test/busybox:latest
    expose:
      - port: 80
        as: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 128Mi}
        storage: [{size: 256Mi}]
  placement:
    local:
      attributes: {region: local}
      signedBy:
        anyOf: [${auditor}]
      pricing:
        web: {denom: uakt, amount: 1000}
deployment:
  web:
    local: {profile: web, count: 1}
`;
}

describe("the marketplace through the devnet, with cosmjs and chain-sdk", () => {
  let home: string;
  let devnet: Devnet;
  const clients = new Map<string, SigningStargateClient>();
  let names: Record<"tenant" | "provider" | "auditor" | "elsewhere" | "unaudited" | "friend", string>;
  /** uakt each signer has paid in tx fees, so balance changes can be checked to the micro-unit. */
  const feesPaid = new Map<string, bigint>();

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "decloud-market-"));
    devnet = await Devnet.start({ home, blockTimeMs: 0, rpcPort: 0, restPort: 0, grpcPort: 0 });
    const registry = new Registry(defaultRegistryTypes);
    for (const url of TYPE_URLS) registry.register(url, lookupType(url)!.sdk as unknown as GeneratedType);
    const accounts = await getDevAccounts();
    for (const a of accounts.slice(0, 6)) {
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, {
        prefix: "akash",
        hdPaths: [stringToPath(devHdPath(a.index))],
      });
      clients.set(
        a.address,
        await SigningStargateClient.connectWithSigner(devnet.rpcUrl, wallet, {
          registry,
          gasPrice: GasPrice.fromString("0.025uakt"),
        }),
      );
    }
    const [tenant, provider, auditor, elsewhere, unaudited, friend] = accounts.map(
      (a) => a.address,
    ) as string[];
    names = {
      tenant: tenant!,
      provider: provider!,
      auditor: auditor!,
      elsewhere: elsewhere!,
      unaudited: unaudited!,
      friend: friend!,
    };
  });

  after(async () => {
    for (const c of clients.values()) c.disconnect();
    await devnet.stop();
    rmSync(home, { recursive: true, force: true });
  });

  async function send(signer: string, msg: EncodeObject) {
    const client = clients.get(signer)!;
    const result = await client.signAndBroadcast(signer, [msg], 2);
    assert.equal(result.code, 0, `${msg.typeUrl}: ${result.rawLog}`);
    const fee = decodeTxRaw((await client.getTx(result.transactionHash))!.tx).authInfo.fee!.amount;
    const paid = BigInt(fee.find((c) => c.denom === BOND_DENOM)?.amount ?? "0");
    feesPaid.set(signer, (feesPaid.get(signer) ?? 0n) + paid);
    return result;
  }

  /** The message is refused — at simulation (cosmjs throws) or in the block — with a log matching `pattern`. */
  async function rejects(signer: string, msg: EncodeObject, pattern: RegExp) {
    let log: string;
    try {
      const result = await clients.get(signer)!.signAndBroadcast(signer, [msg], 2);
      assert.notEqual(result.code, 0, `${msg.typeUrl} should have been refused`);
      log = result.rawLog ?? "";
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      log = (e as Error).message;
    }
    assert.match(log, pattern);
  }

  async function balance(address: string, denom = BOND_DENOM): Promise<bigint> {
    const { body } = await getJson(
      `${devnet.restUrl}/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=${denom}`,
    );
    return BigInt(body.balance.amount);
  }

  test("register, audit, deploy, bid, lease, pay over blocks with take income, close", async () => {
    const { tenant, provider, auditor, elsewhere, unaudited, friend } = names;
    // Three providers: one in the right region and audited, one elsewhere, one in the region but unaudited.
    for (const [owner, region] of [
      [provider, "local"],
      [elsewhere, "eu-west"],
      [unaudited, "local"],
    ] as const) {
      await send(owner, {
        typeUrl: "/akash.provider.v1beta4.MsgCreateProvider",
        value: MsgCreateProvider.fromPartial({
          owner,
          hostUri: "https://127.0.0.1:8443",
          attributes: [{ key: "region", value: region }],
          info: { email: "ops@example.test", website: "" },
        }),
      });
    }
    for (const [owner, region] of [
      [provider, "local"],
      [elsewhere, "eu-west"],
    ] as const) {
      await send(auditor, {
        typeUrl: "/akash.audit.v1.MsgSignProviderAttributes",
        value: MsgSignProviderAttributes.fromPartial({
          owner,
          auditor,
          attributes: [{ key: "region", value: region }],
        }),
      });
    }
    const providers = await getJson(`${devnet.restUrl}/akash/provider/v1beta4/providers/${provider}`);
    assert.equal(providers.status, 200, JSON.stringify(providers.body));
    assert.equal(providers.body.provider.host_uri, "https://127.0.0.1:8443");

    const tenantStart = await balance(tenant);
    const providerStart = await balance(provider);
    const poolStart = await balance(POOL);
    const friendStart = await balance(friend);
    const feesBefore = new Map(feesPaid);
    const built = generateManifest(parse(sdl(auditor)));
    assert.ok(built.ok, JSON.stringify(built));
    const hash = await generateManifestVersion(built.value.groups);
    const height = BigInt((await rpcCall(devnet.rpcUrl, "status")).sync_info.latest_block_height);
    const dseq = height;
    const created = await send(tenant, {
      typeUrl: "/akash.deployment.v1beta4.MsgCreateDeployment",
      value: MsgCreateDeployment.fromPartial({
        id: { owner: tenant, dseq },
        groups: built.value.groupSpecs,
        hash,
        deposit: { amount: { denom: BOND_DENOM, amount: "5000000" }, sources: [Source.balance] },
      }),
    });
    const orderEvent = created.events.find((e) => e.type === "akash.market.v1.EventOrderCreated");
    assert.ok(orderEvent, "an order is opened for the group");

    const orders = await getJson(
      `${devnet.restUrl}/akash/market/v1beta5/orders/list?filters.owner=${tenant}&filters.state=open`,
    );
    assert.equal(orders.status, 200, JSON.stringify(orders.body));
    assert.equal(orders.body.orders.length, 1);
    const order = orders.body.orders[0].id;
    const bidId = { owner: tenant, dseq, gseq: order.gseq, oseq: order.oseq, provider, bseq: 0 };

    const bidFrom = (who: string) => ({
      typeUrl: "/akash.market.v1beta5.MsgCreateBid",
      value: MsgCreateBid.fromPartial({
        id: { ...bidId, provider: who },
        price: { denom: BOND_DENOM, amount: "800" },
        deposit: { amount: { denom: BOND_DENOM, amount: "500000" }, sources: [Source.balance] },
      }),
    });
    await rejects(elsewhere, bidFrom(elsewhere), /region=local/);
    await rejects(unaudited, bidFrom(unaudited), /signed by/);
    await rejects(tenant, bidFrom(tenant), /provider|own/i);
    await send(provider, {
      typeUrl: "/akash.market.v1beta5.MsgCreateBid",
      value: MsgCreateBid.fromPartial({
        id: bidId,
        price: { denom: BOND_DENOM, amount: "800" },
        deposit: { amount: { denom: BOND_DENOM, amount: "500000" }, sources: [Source.balance] },
      }),
    });
    await send(tenant, {
      typeUrl: "/akash.market.v1beta5.MsgCreateLease",
      value: MsgCreateLease.fromPartial({ bidId }),
    });
    const leases = await getJson(
      `${devnet.restUrl}/akash/market/v1beta5/leases/list?filters.owner=${tenant}`,
    );
    assert.equal(leases.body.leases.length, 1);
    assert.equal(leases.body.leases[0].lease.state, "active");

    const providerBefore = await balance(provider);
    const poolBefore = await balance(POOL);
    await rpcCall(devnet.rpcUrl, "dev_mine", { blocks: 50 });
    const withdrawn = await send(provider, {
      typeUrl: "/akash.market.v1beta5.MsgWithdrawLease",
      value: MsgWithdrawLease.fromPartial({ id: bidId }),
    });
    const feeTx = decodeTxRaw((await clients.get(provider)!.getTx(withdrawn.transactionHash))!.tx);
    const txFee = BigInt(feeTx.authInfo.fee!.amount.find((c) => c.denom === BOND_DENOM)!.amount);
    const received = (await balance(provider)) - providerBefore + txFee;
    const take = (await balance(POOL)) - poolBefore;
    // The lease paid 800 uakt a block; 2% of it (the take rate on uakt, floored) went to the community pool.
    const paid = received + take;
    assert.equal(paid % 800n, 0n, `whole blocks were paid (${paid})`);
    assert.ok(paid >= 800n * 50n, `at least the 50 mined blocks were paid (${paid})`);
    assert.equal(take, (paid * 2n) / 100n, "take income reaches the community pool");

    await send(friend, {
      typeUrl: "/akash.escrow.v1.MsgAccountDeposit",
      value: MsgAccountDeposit.fromPartial({
        signer: friend,
        id: { scope: Scope.deployment, xid: `${tenant}/${dseq}` },
        deposit: { amount: { denom: BOND_DENOM, amount: "1000000" }, sources: [Source.balance] },
      }),
    });
    await rpcCall(devnet.rpcUrl, "dev_mine", { blocks: 10 });
    await send(tenant, {
      typeUrl: "/akash.deployment.v1beta4.MsgCloseDeployment",
      value: MsgCloseDeployment.fromPartial({ id: { owner: tenant, dseq } }),
    });
    const closed = await getJson(
      `${devnet.restUrl}/akash/market/v1beta5/leases/list?filters.owner=${tenant}`,
    );
    assert.equal(closed.body.leases[0].lease.state, "closed");
    assert.equal(await balance(ESCROW), 0n, "nothing stays in escrow once the deployment and bid are closed");
    // To the micro-unit: what the tenant paid (beyond its tx fees) is what the provider received plus the take.
    const fees = (who: string) => (feesPaid.get(who) ?? 0n) - (feesBefore.get(who) ?? 0n);
    const tenantPaid = tenantStart - (await balance(tenant)) - fees(tenant);
    const providerGot = (await balance(provider)) - providerStart + fees(provider);
    const takeTotal = (await balance(POOL)) - poolStart;
    assert.equal(tenantPaid, providerGot + takeTotal, "every coin the lease paid is accounted for");
    assert.equal(tenantPaid % 800n, 0n, "whole blocks at 800 uakt");
    assert.ok(takeTotal <= (tenantPaid * 2n) / 100n && takeTotal >= (tenantPaid * 2n) / 100n - 1n, "2% take");
    assert.equal(
      (await balance(friend)) - friendStart + fees(friend),
      0n,
      "the friend's deposit came back whole",
    );
  });
});
