// `decloud deployments`, `decloud status DSEQ`, `decloud deposit DSEQ AMOUNT`, `decloud close DSEQ`: looking
// after deployments — their state, escrow and the time it buys at the current rate, their services as the
// provider reports them, top-ups, and closing with the rest of the deposit returned.
import type { Command } from "commander";
import { formatCoin, formatRate, parseAmount, typedAmount } from "../../client/amount.js";
import type { WalletClient } from "../../client/connect.js";
import { DecloudError } from "../../client/errors.js";
import type { GatewayAuth } from "../../client/gateway/auth.js";
import { getLeaseStatus } from "../../client/gateway/lease.js";
import { type GatewayTarget, resolveGateway } from "../../client/gateway/provider.js";
import type { LeaseStatus } from "../../client/gateway/types.js";
import { getBalance } from "../../client/modules/bank/queries.js";
import { closeDeployment, depositDeployment } from "../../client/modules/deployment/messages.js";
import { type DeploymentInfo, listDeployments } from "../../client/modules/deployment/queries.js";
import type { DecCoin } from "../../client/modules/escrow/types.js";
import { type LeaseInfo, listLeases } from "../../client/modules/market/queries.js";
import { estimateBlockSeconds, getStatus } from "../../client/node.js";
import type { CliContext } from "../context.js";
import { shortAddress, table } from "../table.js";
import {
  type Ctx,
  connectTenant,
  deploymentLeases,
  formatDec,
  formatDuration,
  leaseClosedText,
  parseDseq,
  type Tenant,
  tenantAuth,
  withFrom,
} from "../tenant.js";
import { serviceUrls } from "./deploy.js";
import { txProgress } from "./tx-progress.js";

const SCALE = 10n ** 18n;

function dec(text: string): bigint {
  const [w, f = ""] = text.split(".");
  return BigInt(w || "0") * SCALE + BigInt(f.padEnd(18, "0").slice(0, 18) || "0");
}

function decText(v: bigint): string {
  const frac = (v % SCALE).toString().padStart(18, "0").replace(/0+$/, "");
  return `${v / SCALE}${frac ? `.${frac}` : ""}`;
}

/** What escrow holds now, what the active leases cost per block, and how long that lasts. */
export interface EscrowView {
  /** Left after paying the blocks since the last settlement. */
  readonly left: DecCoin;
  readonly ratePerBlock: DecCoin | undefined;
  /** Seconds at the current rate; undefined without active leases or a known block time. */
  readonly secondsLeft: number | undefined;
  readonly blocksLeft: number | undefined;
  /** What a deposit of a day more at the current rate is, as typed (`13akt`); set when time runs short. */
  readonly topUp: string | undefined;
}

/** Less time than this left: the time shows in yellow and a hint says how to top up (landscape.md T3). */
const LOW_FUNDS_SECONDS = 24 * 3600;
/** Less than this: in red. */
const CRITICAL_FUNDS_SECONDS = 3600;

/** The time the escrow buys, coloured when it runs short. */
function timeLeftText(c: { yellow(s: string): string; red(s: string): string }, seconds: number): string {
  const text = formatDuration(seconds);
  return seconds < CRITICAL_FUNDS_SECONDS ? c.red(text) : seconds < LOW_FUNDS_SECONDS ? c.yellow(text) : text;
}

/** The warning for a deployment whose escrow runs out within a day, with the command that buys a day more. */
function lowFundsWarning(dseq: string, view: EscrowView | undefined): string | undefined {
  if (view?.secondsLeft === undefined || view.topUp === undefined) return undefined;
  return `Deployment ${dseq} runs out of funds in ${formatDuration(view.secondsLeft)}: \`decloud deposit ${dseq} ${view.topUp}\` buys about a day more.`;
}

export function escrowView(
  deployment: DeploymentInfo,
  leases: readonly LeaseInfo[],
  height: number,
  blockSeconds: number | undefined,
): EscrowView | undefined {
  const funds = deployment.escrow?.funds[0];
  if (!funds || deployment.state !== "active") return undefined;
  const active = leases.filter((l) => l.state === "active" && l.price.denom === funds.denom);
  const rate = active.reduce((sum, l) => sum + dec(l.price.amount), 0n);
  const owed = rate * BigInt(Math.max(0, height - (deployment.escrow?.settledAt ?? height)));
  const leftValue = dec(funds.amount) > owed ? dec(funds.amount) - owed : 0n;
  const blocksLeft = rate > 0n ? Number(leftValue / rate) : undefined;
  const secondsLeft =
    blocksLeft !== undefined && blockSeconds !== undefined ? blocksLeft * blockSeconds : undefined;
  const dayOfBlocks = blockSeconds ? BigInt(Math.ceil(LOW_FUNDS_SECONDS / blockSeconds)) : 0n;
  return {
    left: { denom: funds.denom, amount: decText(leftValue) },
    ratePerBlock: rate > 0n ? { denom: funds.denom, amount: decText(rate) } : undefined,
    blocksLeft,
    secondsLeft,
    topUp:
      secondsLeft !== undefined && secondsLeft < LOW_FUNDS_SECONDS && dayOfBlocks > 0n
        ? typedAmount({ denom: funds.denom, amount: ((rate * dayOfBlocks + SCALE - 1n) / SCALE).toString() })
        : undefined,
  };
}

/** Each provider's gateway, looked up on chain once per command however many leases it has. */
const gateways = new WeakMap<WalletClient, Map<string, Promise<GatewayTarget>>>();

function gatewayOf(client: WalletClient, provider: string): Promise<GatewayTarget> {
  const known = gateways.get(client) ?? new Map<string, Promise<GatewayTarget>>();
  gateways.set(client, known);
  const target = known.get(provider) ?? resolveGateway(client, provider);
  known.set(provider, target);
  return target;
}

/** The lease's status from its provider, or why it could not be had (shown, never fatal here). */
async function providerStatus(
  client: WalletClient,
  tenant: Tenant,
  lease: LeaseInfo,
  auth: GatewayAuth,
): Promise<{ status?: LeaseStatus; error?: string }> {
  try {
    const target = await gatewayOf(client, lease.id.provider);
    return { status: await getLeaseStatus(target, { owner: tenant.address, lease: lease.id, auth }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export async function deploymentsAction(
  ctxOf: Ctx,
  opts: { from?: string; all?: boolean },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const tenant = await connectTenant(ctx, opts.from);
  await listCommand(ctx, tenant, opts.all === true);
}

export async function depositAction(
  ctxOf: Ctx,
  dseqText: string,
  amountText: string,
  opts: { from?: string; owner?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const dseq = parseDseq(dseqText);
  const amount = parseAmount(amountText);
  const tenant = await connectTenant(ctx, opts.from);
  const owner = opts.owner ?? tenant.address;
  const spinner = ctx.output.progress(`Depositing ${formatCoin(amount)} into deployment ${dseq}…`);
  const tx = await depositDeployment(tenant.client, {
    from: tenant.address,
    fromLabel: tenant.name,
    owner,
    dseq,
    amount,
    onProgress: txProgress(spinner),
  }).catch((e) => {
    spinner.fail();
    throw e;
  });
  spinner.succeed(`Deposited ${formatCoin(amount)} into deployment ${dseq} · tx ${tx.hash.slice(0, 8)}…`);
  const { deployment, leases } = await deploymentLeases(tenant.client, owner, dseq);
  const [height, blockSeconds] = await Promise.all([
    getStatus(tenant.client).then((s) => s.latestBlockHeight),
    estimateBlockSeconds(tenant.client),
  ]);
  const view = escrowView(deployment, leases, height, blockSeconds);
  ctx.output.result({ dseq, owner, amount, tx: tx.hash, height: tx.height, escrow: view }, () =>
    view
      ? `  Escrow ${formatDec(view.left)}${view.secondsLeft !== undefined ? ` · ${formatDuration(view.secondsLeft)} left at ${formatRate(view.ratePerBlock!)}` : ""}`
      : `  Deployment ${dseq} is ${deployment.state}.`,
  );
}

export async function closeAction(
  ctxOf: Ctx,
  dseqText: string,
  opts: { from?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const dseq = parseDseq(dseqText);
  const tenant = await connectTenant(ctx, opts.from);
  const { deployment, leases } = await deploymentLeases(tenant.client, tenant.address, dseq);
  const leased = leases.some((l) => l.state === "active");
  if (deployment.state === "closed") {
    throw new DecloudError(`Deployment ${dseq} is already closed.`, {
      hint: `\`${withFrom("decloud deployments --all", opts.from)}\` lists it.`,
    });
  }
  const denom = deployment.escrow?.funds[0]?.denom ?? "uakt";
  const before = await getBalance(tenant.client, { address: tenant.address, denom });
  const spinner = ctx.output.progress(`Closing deployment ${dseq}…`);
  const tx = await closeDeployment(tenant.client, {
    from: tenant.address,
    fromLabel: tenant.name,
    dseq,
    onProgress: txProgress(spinner),
  }).catch((e) => {
    spinner.fail();
    throw e;
  });
  const after = await getBalance(tenant.client, { address: tenant.address, denom });
  const fee = BigInt(tx.fee.amount.find((c) => c.denom === denom)?.amount ?? "0");
  const refunded = { denom, amount: (BigInt(after.amount) - BigInt(before.amount) + fee).toString() };
  spinner.succeed(
    `Deployment ${dseq} closed · tx ${tx.hash.slice(0, 8)}… (block ${tx.height.toLocaleString("en-US")})`,
  );
  ctx.output.result(
    { dseq, tx: tx.hash, height: tx.height, refunded },
    () =>
      `  ${formatCoin(refunded)} returned to ${tenant.name}${leased ? "; the provider removes the containers" : " (it had no lease: nothing ran)"}.`,
  );
}

async function listCommand(ctx: CliContext, tenant: Tenant, all: boolean): Promise<void> {
  const { client } = tenant;
  const [deployments, leases, height, blockSeconds] = await Promise.all([
    listDeployments(client, { owner: tenant.address, state: all ? undefined : "active" }),
    listLeases(client, { owner: tenant.address }),
    getStatus(client).then((s) => s.latestBlockHeight),
    estimateBlockSeconds(client),
  ]);
  const active = leases.filter((l) => l.state === "active");
  const auth = active.length > 0 ? await tenantAuth(ctx, tenant) : undefined;
  const statuses = new Map(
    await Promise.all(
      active.map(
        async (l) =>
          [`${l.id.dseq}/${l.id.gseq}/${l.id.oseq}`, await providerStatus(client, tenant, l, auth!)] as const,
      ),
    ),
  );
  const rows = deployments.map((d) => {
    const own = leases.filter((l) => l.id.dseq === d.dseq);
    const live = own.filter((l) => l.state === "active");
    const view = escrowView(d, own, height, blockSeconds);
    const services = live.flatMap((l) => {
      const s = statuses.get(`${l.id.dseq}/${l.id.gseq}/${l.id.oseq}`);
      return s?.status
        ? Object.values(s.status.services).map((x) => ({
            name: x.name,
            available: x.available,
            total: x.total,
          }))
        : [];
    });
    const closedLease =
      d.state === "closed" ? [...own].sort((a, b) => b.closedOn - a.closedOn)[0] : undefined;
    return {
      d,
      live,
      view,
      services,
      closedLease,
      unreachable: live.some((l) => statuses.get(`${l.id.dseq}/${l.id.gseq}/${l.id.oseq}`)?.error),
    };
  });
  ctx.output.result(
    rows.map((r) => ({
      dseq: r.d.dseq,
      state: r.d.state,
      leases: r.live.map((l) => ({ ...l.id, price: l.price })),
      services: r.services,
      escrow: r.view,
      closed: r.closedLease ? { reason: r.closedLease.reason, closed_on: r.closedLease.closedOn } : undefined,
    })),
    (c) =>
      rows.length === 0
        ? [
            `No ${all ? "" : "active "}deployments for ${tenant.name}. Deploy one: decloud deploy examples/web/deploy.yaml`,
          ]
        : table(
            ["DSEQ", "STATE", "SERVICES", "PROVIDER", "RATE", "ESCROW", "TIME LEFT"],
            rows.map((r) => [
              r.d.dseq,
              r.d.state === "active"
                ? c.green("active")
                : c.dim(r.closedLease?.reason === "insufficient_funds" ? "closed (out of funds)" : "closed"),
              r.services.length > 0
                ? r.services.map((s) => `${s.name} ${s.available}/${s.total}`).join(", ")
                : r.unreachable
                  ? c.yellow("provider down")
                  : "—",
              r.live.map((l) => shortAddress(l.id.provider)).join(", ") || "—",
              r.view?.ratePerBlock ? formatRate(r.view.ratePerBlock) : "—",
              r.view ? formatDec(r.view.left) : "—",
              r.view?.secondsLeft !== undefined ? timeLeftText(c, r.view.secondsLeft) : "—",
            ]),
          ).concat(
            rows
              .map((r) => lowFundsWarning(r.d.dseq, r.view))
              .filter((w) => w !== undefined)
              .map((w) => c.yellow(w)),
          ),
  );
}

/** `decloud status DSEQ`: the deployment as the chain and its providers see it. */
export async function deploymentStatus(
  ctx: CliContext,
  dseqText: string,
  from: string | undefined,
): Promise<void> {
  const dseq = parseDseq(dseqText);
  const tenant = await connectTenant(ctx, from);
  const { client } = tenant;
  const [{ deployment, leases }, height, blockSeconds] = await Promise.all([
    deploymentLeases(client, tenant.address, dseq),
    getStatus(client).then((s) => s.latestBlockHeight),
    estimateBlockSeconds(client),
  ]);
  const active = leases.filter((l) => l.state === "active");
  const auth = active.length > 0 ? await tenantAuth(ctx, tenant) : undefined;
  const statuses = await Promise.all(active.map((l) => providerStatus(client, tenant, l, auth!)));
  const view = escrowView(deployment, leases, height, blockSeconds);
  const outOfFunds = leases.find(
    (l) => l.reason === "insufficient_funds" || l.state === "insufficient_funds",
  );
  ctx.output.result(
    {
      dseq,
      owner: tenant.address,
      state: deployment.state,
      created_at: deployment.createdAt,
      escrow: view,
      leases: leases.map((l) => {
        const at = active.indexOf(l);
        return {
          ...l.id,
          state: l.state,
          price: l.price,
          created_at: l.createdAt,
          closed_on: l.closedOn,
          reason: l.reason,
          status: at >= 0 ? statuses[at]?.status : undefined,
          error: at >= 0 ? statuses[at]?.error : undefined,
        };
      }),
    },
    (c) => {
      const lines = [
        `${c.bold(`Deployment ${dseq}`)}  ${deployment.state === "active" ? c.green("active") : c.dim("closed")}  ${c.dim(`· created at block ${deployment.createdAt.toLocaleString("en-US")} · owner ${tenant.name}`)}`,
      ];
      if (view) {
        lines.push(
          `  Escrow   ${formatDec(view.left)} left${view.ratePerBlock ? ` · ${formatRate(view.ratePerBlock)}` : ""}${view.secondsLeft !== undefined ? ` · ${timeLeftText(c, view.secondsLeft)} left` : ""}`,
        );
        const warning = lowFundsWarning(dseq, view);
        if (warning) lines.push(`  ${c.yellow(warning)}`);
      }
      if (leases.length === 0) lines.push(c.dim("  No lease."));
      for (const l of leases) {
        const at = active.indexOf(l);
        if (at < 0) {
          lines.push(`  Lease    ${l.id.provider}  ${c.yellow(leaseClosedText(l))}`);
          continue;
        }
        lines.push(
          `  Lease    ${l.id.provider}  ${c.green("active")} · ${formatRate(l.price)} · since block ${l.createdAt.toLocaleString("en-US")}`,
        );
        const { status, error } = statuses[at]!;
        if (error) {
          lines.push(`    ${c.yellow(error)}`);
          continue;
        }
        const urls = status ? serviceUrls(status) : [];
        for (const s of Object.values(status?.services ?? {})) {
          const ready =
            s.available >= s.total
              ? c.green(`${s.available}/${s.total} ready`)
              : c.yellow(`${s.available}/${s.total} ready`);
          const own = urls.filter((u) => u.service === s.name).map((u) => u.url);
          lines.push(`    ${s.name.padEnd(10)} ${ready}  ${own.join("  ")}`.trimEnd());
        }
        for (const [service, ports] of Object.entries(status?.forwarded_ports ?? {})) {
          for (const p of ports)
            lines.push(
              `    ${service.padEnd(10)} ${p.host}:${p.externalPort} ${c.dim(`→ ${p.port}/${p.proto.toLowerCase()}`)}`,
            );
        }
        for (const e of status?.errors ?? []) lines.push(`    ${c.red(e)}`);
        for (const w of status?.withheld_hostnames ?? []) lines.push(`    ${c.yellow(w.message)}`);
      }
      if (outOfFunds && deployment.state === "closed") {
        lines.push(
          "",
          `  The escrow ran out at block ${outOfFunds.closedOn.toLocaleString("en-US")}; the chain closed the lease and the provider removed its containers.`,
          "  Deploy again with a larger --deposit, and top up in time with `decloud deposit DSEQ AMOUNT`.",
        );
      }
      return lines;
    },
  );
}
