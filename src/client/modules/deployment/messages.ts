// Deployment messages (akash.deployment.v1beta4.Msg) and the escrow top-up of a deployment
// (akash.escrow.v1.MsgAccountDeposit): create, update, close, deposit (reference: akash-provider.md §7.1).
import { MsgAccountDeposit, Scope, Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  type GroupSpec,
  MsgCloseDeployment,
  MsgCreateDeployment,
  MsgUpdateDeployment,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { assertAddress } from "../../address.js";
import type { Coin } from "../../amount.js";
import type { WalletClient } from "../../connect.js";
import { getStatus } from "../../node.js";
import { type SignAndBroadcastParameters, signAndBroadcast, type TxResult } from "../../tx.js";

type TxParameters = Omit<SignAndBroadcastParameters, "messages" | "spend" | "spendLabel">;

export interface CreateDeploymentParameters extends TxParameters {
  /** The deployment's sequence number; the latest block height by default (as Akash's CLI does). */
  readonly dseq?: bigint;
  /** The SDL's groups (`generateManifest(...).groupSpecs`). */
  readonly groups: readonly GroupSpec[];
  /** The manifest version (`generateManifestVersion`), 32 bytes. */
  readonly hash: Uint8Array;
  /** Escrowed from the sender's balance; leases are paid from it block by block. */
  readonly deposit: Coin;
}

export interface CreateDeploymentReturnType extends TxResult {
  readonly dseq: string;
}

export async function createDeployment(
  client: WalletClient,
  params: CreateDeploymentParameters,
): Promise<CreateDeploymentReturnType> {
  const { dseq: wanted, groups, hash, deposit, ...rest } = params;
  assertAddress(rest.from);
  const dseq = wanted ?? BigInt((await getStatus(client)).latestBlockHeight);
  const value = MsgCreateDeployment.fromPartial({
    id: { owner: rest.from, dseq: dseq.toString() as never },
    groups: [...groups],
    hash,
    deposit: { amount: deposit, sources: [Source.balance] },
  });
  const tx = await signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.deployment.v1beta4.MsgCreateDeployment", value }],
    spend: [deposit],
    spendLabel: "the deposit",
  });
  return { ...tx, dseq: dseq.toString() };
}

export interface UpdateDeploymentParameters extends TxParameters {
  readonly dseq: string | bigint;
  /** The new manifest version. Only the manifest may change: groups are fixed once on chain. */
  readonly hash: Uint8Array;
}

export function updateDeployment(
  client: WalletClient,
  params: UpdateDeploymentParameters,
): Promise<TxResult> {
  const { dseq, hash, ...rest } = params;
  const value = MsgUpdateDeployment.fromPartial({
    id: { owner: rest.from, dseq: dseq.toString() as never },
    hash,
  });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.deployment.v1beta4.MsgUpdateDeployment", value }],
  });
}

export interface CloseDeploymentParameters extends TxParameters {
  readonly dseq: string | bigint;
}

/** Closes the deployment, its orders, bids and leases; what is left in escrow returns to the depositors. */
export function closeDeployment(client: WalletClient, params: CloseDeploymentParameters): Promise<TxResult> {
  const { dseq, ...rest } = params;
  const value = MsgCloseDeployment.fromPartial({ id: { owner: rest.from, dseq: dseq.toString() as never } });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.deployment.v1beta4.MsgCloseDeployment", value }],
  });
}

export interface DepositDeploymentParameters extends TxParameters {
  /** The deployment's owner; the sender by default (anyone may top up anyone's deployment). */
  readonly owner?: string;
  readonly dseq: string | bigint;
  readonly amount: Coin;
}

/** Tops up a deployment's escrow (`MsgAccountDeposit` on the deployment's account `owner/dseq`). */
export function depositDeployment(
  client: WalletClient,
  params: DepositDeploymentParameters,
): Promise<TxResult> {
  const { owner, dseq, amount, ...rest } = params;
  const value = MsgAccountDeposit.fromPartial({
    signer: rest.from,
    id: { scope: Scope.deployment, xid: `${assertAddress(owner ?? rest.from)}/${dseq}` },
    deposit: { amount, sources: [Source.balance] },
  });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.escrow.v1.MsgAccountDeposit", value }],
    spend: [amount],
    spendLabel: "the deposit",
  });
}
