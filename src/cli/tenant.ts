// What the tenant commands (deploy, deployments, status, logs, events, shell, update, deposit, close) share:
// who signs (--from, else the configured key, else alice on a devnet), the mTLS credentials (the client
// certificate, published on first use), a deployment's leases with their providers' gateways, and the
// chain's own account of a lease that is gone (closed for lack of funds, by the provider, by the owner).
import type { Command } from "commander";
import { formatCoin } from "../client/amount.js";
import { ensureCertificate } from "../client/certificate.js";
import type { WalletClient } from "../client/connect.js";
import { DecloudError, DeploymentClosedError, LeaseClosedError } from "../client/errors.js";
import type { GatewayAuth } from "../client/gateway/auth.js";
import { jwtAuth } from "../client/gateway/jwt.js";
import { type GatewayTarget, resolveGateway } from "../client/gateway/provider.js";
import { type DeploymentInfo, getDeployment } from "../client/modules/deployment/queries.js";
import type { DecCoin } from "../client/modules/escrow/types.js";
import { type LeaseInfo, listLeases } from "../client/modules/market/queries.js";
import { DEVNET_CHAIN_ID } from "../params/chain.js";
import { txProgress } from "./commands/tx-progress.js";
import type { CliContext } from "./context.js";

export type Ctx = (command: Command) => CliContext;

/** The devnet's first dev account: the signer when nothing else is said, on a devnet only. */
const DEVNET_DEFAULT_KEY = "alice";

export interface Tenant {
  readonly client: WalletClient;
  readonly address: string;
  readonly name: string;
}

/** Connects as `--from`, else the configured key, else `alice` on a devnet; otherwise asks for --from. */
export async function connectTenant(ctx: CliContext, from: string | undefined): Promise<Tenant> {
  const chosen = from ?? ctx.config.from;
  if (chosen !== undefined) return ctx.connectAs(chosen);
  const client = await ctx.connect();
  if (client.chainId === DEVNET_CHAIN_ID && (await ctx.keyring().has(DEVNET_DEFAULT_KEY))) {
    return ctx.connectAs(DEVNET_DEFAULT_KEY);
  }
  throw new DecloudError("Which key signs? Nothing says.", {
    hint: "Pass --from KEY, or set a default with `decloud config set from KEY`.",
  });
}

/**
 * Credentials for providers: with `decloud config set auth jwt`, a JWT signed with the account key; by default
 * the client certificate (mTLS), made and published on first use (a spinner while it is).
 */
export async function tenantAuth(ctx: CliContext, tenant: Tenant): Promise<GatewayAuth> {
  if (ctx.config.auth === "jwt") {
    return jwtAuth({ signer: await ctx.keyring().getAminoSigner(tenant.name), address: tenant.address });
  }
  const spinner = ctx.output.progress("Checking your client certificate…");
  try {
    const r = await ensureCertificate(tenant.client, {
      home: ctx.home,
      owner: tenant.address,
      fromLabel: tenant.name,
      onProgress: txProgress(spinner),
    });
    if (r.published)
      spinner.succeed(
        `Certificate ${r.certificate.serial} of ${tenant.name} published · tx ${r.published.hash.slice(0, 8)}`,
      );
    else spinner.fail();
    return { type: "mtls", cert: r.certificate.cert, key: r.certificate.key };
  } catch (e) {
    spinner.fail();
    throw e;
  }
}

export interface DeploymentLeases {
  readonly deployment: DeploymentInfo;
  readonly leases: readonly LeaseInfo[];
}

export async function deploymentLeases(
  client: WalletClient,
  owner: string,
  dseq: string,
): Promise<DeploymentLeases> {
  const [deployment, leases] = await Promise.all([
    getDeployment(client, { owner, dseq }),
    listLeases(client, { owner, dseq }),
  ]);
  return { deployment, leases };
}

/** A suggested next command, with ` --from KEY` when this one was given --from (so that it acts for the same key). */
export function withFrom(command: string, from: string | undefined): string {
  return from === undefined ? command : `${command} --from ${from}`;
}

/** A decimal amount of base units for people (`4.1 AKT`), rounded down to whole base units. */
export function formatDec(coin: DecCoin): string {
  return formatCoin({ denom: coin.denom, amount: coin.amount.split(".")[0] || "0" });
}

/** `~8.6 h`, `~3 d`, `~40 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds < 90) return `~${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `~${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `~${(seconds / 3600).toFixed(1)} h`;
  return `~${(seconds / 86400).toFixed(1)} d`;
}

/** Why a lease is not active, as a person reads it. */
export function leaseClosedText(lease: LeaseInfo): string {
  switch (lease.reason) {
    case "insufficient_funds":
      return `closed at block ${lease.closedOn.toLocaleString("en-US")}: the escrow ran out of funds`;
    case "owner":
      return `closed by you at block ${lease.closedOn.toLocaleString("en-US")}`;
    case "manifest_timeout":
      return `closed by the provider at block ${lease.closedOn.toLocaleString("en-US")}: no manifest arrived in time`;
    case "unstable":
      return `closed by the provider at block ${lease.closedOn.toLocaleString("en-US")}: its workloads were unstable`;
    case "decommission":
      return `closed by the provider at block ${lease.closedOn.toLocaleString("en-US")}: it is being decommissioned`;
    default:
      return lease.state === "insufficient_funds"
        ? "out of funds"
        : `closed at block ${lease.closedOn.toLocaleString("en-US")}${lease.reason ? ` (${lease.reason})` : ""}`;
  }
}

/**
 * The active leases of a deployment, each with its provider's gateway; when none is active, the error that
 * says why (the deployment is closed, a lease ran out of funds, or no lease was ever made).
 */
export async function activeLeases(
  tenant: Tenant,
  dseq: string,
): Promise<{ deployment: DeploymentInfo; leases: { lease: LeaseInfo; target: GatewayTarget }[] }> {
  const { deployment, leases } = await deploymentLeases(tenant.client, tenant.address, dseq);
  const active = leases.filter((l) => l.state === "active");
  if (active.length === 0) {
    const closed = [...leases].sort((a, b) => b.closedOn - a.closedOn)[0];
    if (closed?.reason === "insufficient_funds" || closed?.state === "insufficient_funds") {
      throw new LeaseClosedError(
        dseq,
        "insufficient_funds",
        closed.closedOn,
        `The lease of deployment ${dseq} was ${leaseClosedText(closed)}; the provider has removed its containers.`,
        `Deploy again with a larger --deposit, and top up in time with \`decloud deposit DSEQ AMOUNT\` (\`decloud deployments\` shows the time left).`,
      );
    }
    if (closed) {
      throw new LeaseClosedError(
        dseq,
        closed.reason,
        closed.closedOn,
        `The lease of deployment ${dseq} was ${leaseClosedText(closed)}.`,
        "Deploy again with `decloud deploy FILE`.",
      );
    }
    if (deployment.state === "closed") throw new DeploymentClosedError(dseq, "");
    throw new DecloudError(`Deployment ${dseq} has no lease yet.`, {
      hint: "Bids may still come in: `decloud query market bids --owner ADDRESS --dseq DSEQ`, or close it with `decloud close DSEQ`.",
    });
  }
  const targets = new Map<string, GatewayTarget>();
  for (const l of active) {
    if (!targets.has(l.id.provider))
      targets.set(l.id.provider, await resolveGateway(tenant.client, l.id.provider));
  }
  return { deployment, leases: active.map((lease) => ({ lease, target: targets.get(lease.id.provider)! })) };
}

/** `12` or `012` → `12`; anything else is refused before anything is sent. */
export function parseDseq(text: string): string {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) === 0n) {
    throw new DecloudError(`"${text}" is not a deployment sequence number (DSEQ).`, {
      hint: "`decloud deployments` lists yours.",
    });
  }
  return BigInt(text).toString();
}
