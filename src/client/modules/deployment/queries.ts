// Deployment queries (akash.deployment.v1beta4.Query): one deployment with its groups and escrow account,
// an owner's deployments, and the module's params (the minimum deposit per denom).

import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  QueryDeploymentRequest,
  QueryDeploymentResponse,
  QueryDeploymentsRequest,
  QueryDeploymentsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { assertAddress } from "../../address.js";
import type { Coin } from "../../amount.js";
import type { PublicClient } from "../../connect.js";
import { DeploymentNotFoundError } from "../../errors.js";
import { queryAbci, queryAbciOptional, queryAllPages } from "../../query.js";
import { type DecCoin, decCoin, type EscrowState, escrowState } from "../escrow/types.js";

export type DeploymentState = "active" | "closed";
export type GroupState = "open" | "paused" | "insufficient_funds" | "closed";

export interface DeploymentGroup {
  readonly gseq: number;
  /** The placement's name in the SDL. */
  readonly name: string;
  readonly state: GroupState;
  readonly spec: GroupSpec;
  readonly createdAt: number;
}

export interface DeploymentEscrow {
  readonly state: EscrowState;
  /** What is left to pay leases from. */
  readonly funds: readonly DecCoin[];
  /** What leases have been paid so far. */
  readonly transferred: readonly DecCoin[];
  /** The height escrow was last settled at: blocks since then are owed but not yet paid. */
  readonly settledAt: number;
}

export interface DeploymentInfo {
  readonly owner: string;
  readonly dseq: string;
  readonly state: DeploymentState;
  /** The manifest version on chain (32 bytes). */
  readonly hash: Uint8Array;
  readonly createdAt: number;
  readonly groups: readonly DeploymentGroup[];
  readonly escrow: DeploymentEscrow | undefined;
}

const DEPLOYMENT_STATES: Record<number, DeploymentState> = { 1: "active", 2: "closed" };
const GROUP_STATES: Record<number, GroupState> = {
  1: "open",
  2: "paused",
  3: "insufficient_funds",
  4: "closed",
};

const num = (v: { toString(): string } | undefined): number => Number((v ?? 0).toString());

function deploymentInfo(r: QueryDeploymentResponse): DeploymentInfo {
  const d = r.deployment!;
  const account = r.escrowAccount?.state;
  return {
    owner: d.id!.owner,
    dseq: d.id!.dseq.toString(),
    state: DEPLOYMENT_STATES[d.state] ?? "closed",
    hash: d.hash,
    createdAt: num(d.createdAt),
    groups: r.groups.map((g) => ({
      gseq: g.id?.gseq ?? 0,
      name: g.groupSpec?.name ?? "",
      state: GROUP_STATES[g.state] ?? "closed",
      spec: g.groupSpec!,
      createdAt: num(g.createdAt),
    })),
    escrow: account && {
      state: escrowState(account.state),
      funds: account.funds.map(decCoin),
      transferred: account.transferred.map(decCoin),
      settledAt: num(account.settledAt),
    },
  };
}

export interface GetDeploymentParameters {
  readonly owner: string;
  readonly dseq: string | bigint;
}

/** One deployment; DeploymentNotFoundError when the chain has none with that owner and dseq. */
export async function getDeployment(
  client: PublicClient,
  params: GetDeploymentParameters,
): Promise<DeploymentInfo> {
  assertAddress(params.owner);
  const r = await queryAbciOptional(
    client,
    "/akash.deployment.v1beta4.Query/Deployment",
    QueryDeploymentRequest,
    QueryDeploymentResponse,
    { id: { owner: params.owner, dseq: params.dseq.toString() } },
  );
  if (!r?.deployment) throw new DeploymentNotFoundError(params.owner, params.dseq.toString());
  return deploymentInfo(r);
}

export interface ListDeploymentsParameters {
  readonly owner: string;
  readonly state?: DeploymentState;
}

/** An owner's deployments (all pages), oldest first. */
export async function listDeployments(
  client: PublicClient,
  params: ListDeploymentsParameters,
): Promise<DeploymentInfo[]> {
  assertAddress(params.owner);
  const pages = await queryAllPages(
    client,
    "/akash.deployment.v1beta4.Query/Deployments",
    QueryDeploymentsRequest,
    QueryDeploymentsResponse,
    { filters: { owner: params.owner, dseq: "0", state: params.state ?? "" } },
  );
  return pages
    .flatMap((p) => p.deployments.map(deploymentInfo))
    .sort((a, b) => (BigInt(a.dseq) < BigInt(b.dseq) ? -1 : 1));
}

/** The smallest deposit a deployment may be created with, per denom. */
export async function getMinDeposits(client: PublicClient): Promise<Coin[]> {
  const r = await queryAbci(
    client,
    "/akash.deployment.v1beta4.Query/Params",
    QueryParamsRequest,
    QueryParamsResponse,
    {},
  );
  return (r.params?.minDeposits ?? []).map((c) => ({ denom: c.denom, amount: c.amount }));
}
