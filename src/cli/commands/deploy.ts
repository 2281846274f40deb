// `decloud deploy FILE` and `decloud update DSEQ FILE`: the tenant flow of reference akash-provider.md §7.2
// as one command — SDL checked (errors at their line), funds checked, client certificate published on first
// use, deployment created, bids shown as they arrive, the cheapest (or the chosen) accepted, the manifest
// sent, the services waited for, the URLs printed. Every wait shows progress; every failure says what next.
import { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Command } from "commander";
import type { Coin } from "../../client/amount.js";
import { formatCoin, formatRate, parseAmount } from "../../client/amount.js";
import { DecloudError, InsufficientFundsError, NoBidsError } from "../../client/errors.js";
import type { GatewayAuth } from "../../client/gateway/auth.js";
import { sendManifest } from "../../client/gateway/lease.js";
import { type GatewayTarget, resolveGateway } from "../../client/gateway/provider.js";
import { waitForLeaseReady } from "../../client/gateway/ready.js";
import type { LeaseStatus } from "../../client/gateway/types.js";
import { getBalance } from "../../client/modules/bank/queries.js";
import {
  closeDeployment,
  createDeployment,
  updateDeployment,
} from "../../client/modules/deployment/messages.js";
import { getMinDeposits } from "../../client/modules/deployment/queries.js";
import { createLease } from "../../client/modules/market/messages.js";
import type { BidInfo, LeaseId } from "../../client/modules/market/queries.js";
import { cheapestBids } from "../../client/modules/market/wait.js";
import { explainNoBids } from "../../client/no-bids.js";
import { readSdl, type Sdl } from "../../client/sdl.js";
import { waitForServing } from "../../client/serving.js";
import { BOND_DENOM, DEVNET_CHAIN_ID } from "../../params/chain.js";
import type { CliContext } from "../context.js";
import { CancelledError, isInteractive } from "../prompt.js";
import { shortAddress } from "../table.js";
import {
  activeLeases,
  type Ctx,
  connectTenant,
  parseDseq,
  type Tenant,
  tenantAuth,
  withFrom,
} from "../tenant.js";
import { askBid, BidFactsLookup, bidTable, collectBids, sortBids } from "./bids.js";
import { BID_WINDOW_CHOOSING_SECONDS, BID_WINDOW_SECONDS } from "./deploy-command.js";
import { txProgress } from "./tx-progress.js";

interface DeployOptions {
  from?: string;
  deposit?: string;
  provider?: string;
  yes?: boolean;
  bidTimeout: number;
  bidWindow?: number;
  readyTimeout: number;
  dryRun?: boolean;
}

/** A step done: a ✔ line on stderr (progress, never part of the result). */
function done(ctx: CliContext, text: string): void {
  ctx.output.progress(text).succeed(text);
}

/** The default deposit: 5 of the SDL's pricing denom's display unit (5 AKT, 5 USDC). */
const DEFAULT_DEPOSIT_UNITS = 5_000_000n;

export async function deployAction(
  ctxOf: Ctx,
  file: string,
  opts: DeployOptions,
  command: Command,
): Promise<void> {
  await deploy(ctxOf(command), file, opts);
}

export async function updateAction(
  ctxOf: Ctx,
  dseqText: string,
  file: string,
  opts: DeployOptions,
  command: Command,
): Promise<void> {
  await update(ctxOf(command), parseDseq(dseqText), file, opts);
}

async function deploy(ctx: CliContext, file: string, opts: DeployOptions): Promise<void> {
  const started = performance.now();
  const sdl = await readSdl(file);
  const denom = sdl.maxPricePerBlock[0]?.denom ?? BOND_DENOM;
  const deposit: Coin = opts.deposit
    ? parseAmount(opts.deposit)
    : { denom, amount: DEFAULT_DEPOSIT_UNITS.toString() };
  if (deposit.denom !== denom) {
    throw new DecloudError(`The deposit is in ${deposit.denom} but the SDL prices in ${denom}.`, {
      hint: `Deposit in the SDL's denom, e.g. --deposit 5${denom === BOND_DENOM ? "akt" : "usdc"}.`,
    });
  }
  const groups = sdl.groupSpecs.length;
  done(
    ctx,
    `SDL valid: ${sdl.services.length} service${sdl.services.length === 1 ? "" : "s"} (${sdl.services.join(", ")}), ${groups} placement${groups === 1 ? "" : "s"}, max ${sdl.maxPricePerBlock.map(formatRate).join(" + ")}`,
  );
  if (opts.dryRun) {
    await (await import("./providers.js")).dryRun(ctx, sdl, opts.from);
    return;
  }
  if (!opts.yes && !opts.provider && !isInteractive(ctx.io)) {
    throw new DecloudError("Which bid to accept? No terminal is attached to ask.", {
      hint: "Pass --yes to lease the cheapest bid, or --provider ADDRESS. Nothing was sent.",
    });
  }

  const tenant = await connectTenant(ctx, opts.from);
  const { client, address } = tenant;
  await checkDeposit(tenant, deposit);
  const auth = await tenantAuth(ctx, tenant);

  // From here until the bids are chosen, a stop signal (Ctrl-C, `kill`, a closed terminal) cancels rather than
  // ending the process, so that the deployment is closed and its deposit comes back instead of staying locked.
  const cancel = new AbortController();
  const releaseSignals = cancelOnSignals(ctx, cancel);
  let spinner = ctx.output.progress("Creating the deployment…");
  const created = await createDeployment(client, {
    from: address,
    fromLabel: tenant.name,
    groups: sdl.groupSpecs,
    hash: sdl.version,
    deposit,
    onProgress: txProgress(spinner),
  }).catch((e) => {
    releaseSignals();
    spinner.fail();
    throw e;
  });
  const dseq = created.dseq;
  spinner.succeed(
    `Deployment ${dseq} created · deposit ${formatCoin(deposit)} · tx ${created.hash.slice(0, 8)}… (block ${created.height.toLocaleString("en-US")})`,
  );

  try {
    const chosen = await chooseBids(ctx, tenant, sdl, dseq, opts, cancel.signal)
      .catch(async (e) => {
        // Stopped while the bids came in or at the question: nothing is leased, so the deposit comes back.
        if (e instanceof CancelledError) await closeUnleased(ctx, tenant, dseq, opts.from);
        throw e;
      })
      .finally(releaseSignals);
    const leases: LeaseId[] = [];
    for (const bid of chosen) {
      spinner = ctx.output.progress(`Leasing from ${shortAddress(bid.id.provider)}…`);
      await createLease(client, {
        from: address,
        fromLabel: tenant.name,
        bid: bid.id,
        onProgress: txProgress(spinner),
      }).catch((e) => {
        spinner.fail();
        throw e;
      });
      spinner.succeed(`Lease with ${bid.id.provider} · ${formatRate(bid.price)}`);
      leases.push(bid.id);
    }
    const served = await sendAndWait(ctx, tenant, auth, sdl, dseq, leases, opts.readyTimeout);
    const elapsed = (performance.now() - started) / 1000;
    printServed(ctx, dseq, address, served, chosen, elapsed, "Deployed", opts.from);
  } catch (e) {
    if (e instanceof NoBidsError || e instanceof CancelledError) throw e;
    ctx.output.note(
      `  Deployment ${dseq} is still open, and its leases are paid while they last: \`${withFrom(`decloud status ${dseq}`, opts.from)}\`, or \`${withFrom(`decloud close ${dseq}`, opts.from)}\`.`,
    );
    throw e;
  }
}

/** The deposit's denom is accepted, the amount is at least the chain's minimum, and the tenant has it. */
async function checkDeposit(tenant: Tenant, deposit: Coin): Promise<void> {
  const { client, address } = tenant;
  const [mins, balance] = await Promise.all([
    getMinDeposits(client),
    getBalance(client, { address, denom: deposit.denom }),
  ]);
  const min = mins.find((m) => m.denom === deposit.denom);
  if (!min) {
    throw new DecloudError(
      `This chain takes deposits in ${mins.map((m) => formatCoin(m)).join(" or ")}, not ${deposit.denom}.`,
      {
        hint: "Price the SDL and deposit in one of those denoms.",
      },
    );
  }
  if (BigInt(deposit.amount) < BigInt(min.amount)) {
    throw new DecloudError(
      `A deposit of ${formatCoin(deposit)} is below the chain's minimum of ${formatCoin(min)}.`,
      {
        hint: `Pass --deposit ${formatCoin(min).replace(" ", "").toLowerCase()} or more.`,
      },
    );
  }
  if (BigInt(balance.amount) < BigInt(deposit.amount)) {
    const missing = {
      denom: deposit.denom,
      amount: (BigInt(deposit.amount) - BigInt(balance.amount)).toString(),
    };
    throw new InsufficientFundsError(
      address,
      formatCoin(missing),
      `${tenant.name} has ${formatCoin(balance)}; the deposit needs ${formatCoin(deposit)} plus fees (${formatCoin(missing)} more).`,
      client.chainId === DEVNET_CHAIN_ID,
    );
  }
}

/** Waits for bids (showing them), then picks one per group: the wanted provider's, the cheapest, or the person's choice. */
async function chooseBids(
  ctx: CliContext,
  tenant: Tenant,
  sdl: Sdl,
  dseq: string,
  opts: DeployOptions,
  cancel: AbortSignal,
): Promise<BidInfo[]> {
  if (cancel.aborted) throw new CancelledError();
  const { client, address } = tenant;
  const gseqs = sdl.groupSpecs.map((_, i) => i + 1);
  const wanted = opts.provider;
  const asking = !wanted && !opts.yes;
  const live = ctx.io.stderr.isTTY === true && !ctx.json;
  const lookup = new BidFactsLookup(client);
  const bids = await collectBids(ctx, client, lookup, {
    owner: address,
    dseq,
    groups: gseqs,
    provider: wanted,
    timeoutSeconds: opts.bidTimeout,
    windowSeconds: opts.bidWindow ?? (live && asking ? BID_WINDOW_CHOOSING_SECONDS : BID_WINDOW_SECONDS),
    live,
    enterToChoose: asking,
    cancel,
  });
  const missing = gseqs.filter(
    (g) => !bids.some((x) => x.id.gseq === g && (!wanted || x.id.provider === wanted)),
  );
  if (missing.length > 0) {
    const text = `No ${wanted ? `bid from ${shortAddress(wanted)}` : "bids"} in ${opts.bidTimeout} s`;
    ctx.output.progress(text).fail(text);
    const group = sdl.groupSpecs[missing[0]! - 1]!;
    const others = bids.filter((b) => b.id.gseq === missing[0]);
    const why =
      wanted && others.length > 0
        ? {
            reason: `Provider ${wanted} did not bid; ${others.length} other${others.length === 1 ? "" : "s"} did (${others.map((o) => o.id.provider).join(", ")}).`,
            hint: "Deploy again without --provider to choose among them.",
          }
        : await explainNoBids(client, { group });
    await closeUnleased(ctx, tenant, dseq, opts.from);
    throw new NoBidsError(dseq, opts.bidTimeout, why.reason, why.hint);
  }
  done(ctx, `${bids.length} bid${bids.length === 1 ? "" : "s"} received`);
  const candidates = wanted ? bids.filter((b) => b.id.provider === wanted) : bids;
  // With --json the table is left out, unless a person has to choose from it (it goes to stderr).
  if (!ctx.json || asking) {
    const facts = await lookup.complete(candidates);
    for (const line of bidTable(candidates, facts, ctx.output.ce, gseqs.length > 1)) {
      ctx.io.stderr.write(`${line}\n`);
    }
  }
  if (!asking) return cheapestBids(candidates);
  const chosen: BidInfo[] = [];
  for (const g of gseqs) {
    const options = sortBids(candidates.filter((b) => b.id.gseq === g));
    chosen.push(await askBid(ctx.io, options, gseqs.length > 1 ? g : undefined, cancel));
  }
  return chosen;
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Until the returned function is called, SIGINT, SIGTERM and SIGHUP abort `cancel` instead of ending the
 * process (the deploy then closes what it opened). A second signal ends the process as the signal would.
 */
function cancelOnSignals(ctx: CliContext, cancel: AbortController): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancel.signal.aborted) {
      release();
      process.kill(process.pid, signal);
      return;
    }
    // A closed terminal fails every write to it: what is left to say must not crash the closing.
    if (signal === "SIGHUP") {
      for (const stream of [ctx.io.stdout, ctx.io.stderr]) {
        (stream as Partial<NodeJS.WriteStream>).on?.("error", () => undefined);
      }
    }
    cancel.abort();
  };
  const release = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return release;
}

/** Closes a deployment that got no lease, so that its deposit comes back; says how if it cannot. */
async function closeUnleased(
  ctx: CliContext,
  tenant: Tenant,
  dseq: string,
  from: string | undefined,
): Promise<void> {
  const closing = ctx.output.progress(`Closing deployment ${dseq}…`);
  try {
    await closeDeployment(tenant.client, { from: tenant.address, fromLabel: tenant.name, dseq });
    closing.succeed(`Deployment ${dseq} closed; its deposit is back in ${tenant.name}'s account`);
  } catch {
    closing.fail(`Deployment ${dseq} could not be closed: \`${withFrom(`decloud close ${dseq}`, from)}\``);
  }
}

interface Served {
  readonly lease: LeaseId;
  readonly status: LeaseStatus;
}

/** Sends the whole manifest to every provider of the leases, then waits until their services run. */
async function sendAndWait(
  ctx: CliContext,
  tenant: Tenant,
  auth: GatewayAuth,
  sdl: Sdl,
  dseq: string,
  leases: readonly LeaseId[],
  readyTimeout: number,
): Promise<Served[]> {
  const targets = new Map<string, GatewayTarget>();
  for (const l of leases) {
    if (targets.has(l.provider)) continue;
    const target = await resolveGateway(tenant.client, l.provider);
    targets.set(l.provider, target);
    const spinner = ctx.output.progress(`Sending the manifest to ${target.hostUri}…`);
    try {
      await sendManifest(target, { owner: tenant.address, dseq, manifestJson: sdl.manifestJson, auth });
    } catch (e) {
      spinner.fail(`The manifest was refused by ${shortAddress(l.provider)}`);
      throw e;
    }
    spinner.succeed(`Manifest accepted by ${shortAddress(l.provider)}`);
  }
  const served: Served[] = [];
  for (const lease of leases) {
    const spinner = ctx.output.progress("Starting the services…");
    const reported = new Set<string>();
    const summary = (s: LeaseStatus) =>
      Object.values(s.services)
        .map((x) => `${x.name} ${x.available}/${x.total}`)
        .join(", ");
    try {
      const status = await waitForLeaseReady(targets.get(lease.provider)!, {
        owner: tenant.address,
        lease,
        auth,
        timeoutMs: readyTimeout * 1000,
        onStatus: (s) => {
          spinner.update(`Starting the services… ${summary(s)}`);
          // What the provider reports going wrong (a failed image pull, a container that cannot start) is
          // shown as it happens, not only when the wait gives up.
          for (const e of s.errors ?? []) {
            if (reported.has(e)) continue;
            reported.add(e);
            ctx.output.note(`  ${ctx.output.ce.yellow("!")} ${e}`);
          }
        },
      });
      const urls = serviceUrls(status).map((u) => u.url);
      spinner.update(`Waiting for ${urls.join(", ")} to answer…`);
      await waitForServing(urls, readyTimeout * 1000);
      spinner.succeed(`${summary(status).replaceAll(", ", " ready, ")} ready`);
      served.push({ lease, status });
    } catch (e) {
      spinner.fail();
      throw e;
    }
  }
  return served;
}

/**
 * An update changes the manifest only: the groups (placement, resources, prices, counts) are fixed on chain
 * when the deployment is created (reference: akash-provider.md §4.5). Checked before the new version goes on
 * chain, where no provider would accept its manifest.
 */
function assertSameGroups(
  dseq: string,
  sdl: Sdl,
  onChain: readonly GroupSpec[],
  from: string | undefined,
): void {
  const bytes = (specs: readonly GroupSpec[]) =>
    specs.map((g) => Buffer.from(GroupSpec.encode(g).finish()).toString("hex"));
  const local = bytes(sdl.groupSpecs);
  const chain = bytes(onChain);
  const changed = local.findIndex((hex, i) => hex !== chain[i]);
  if (local.length === chain.length && changed === -1) return;
  const name = sdl.groupSpecs[changed]?.name ?? onChain[changed]?.name ?? "";
  throw new DecloudError(
    local.length !== chain.length
      ? `The SDL has ${local.length} placement${local.length === 1 ? "" : "s"}; deployment ${dseq} has ${chain.length}.`
      : `The SDL changes placement "${name}" (its attributes, resources, prices or counts), which deployment ${dseq} fixed on chain.`,
    {
      hint: `An update may change images, commands, env and ports. For the rest, deploy the new SDL (\`decloud deploy FILE\`) and close this one (\`${withFrom(`decloud close ${dseq}`, from)}\`). Nothing was sent.`,
    },
  );
}

/** http:// URLs of the services (uris carry the ingress port when it is not 80). */
export function serviceUrls(status: LeaseStatus): { service: string; url: string }[] {
  return Object.values(status.services).flatMap((s) =>
    (s.uris ?? []).map((u) => ({ service: s.name, url: `http://${u}` })),
  );
}

function printServed(
  ctx: CliContext,
  dseq: string,
  owner: string,
  served: readonly Served[],
  bids: readonly BidInfo[],
  elapsed: number,
  verb: string,
  from: string | undefined,
): void {
  const urls = served.flatMap((s) => serviceUrls(s.status));
  const forwarded = served.flatMap((s) =>
    Object.values(s.status.forwarded_ports ?? {}).flatMap((ports) =>
      ports.map((p) => ({
        service: p.name,
        port: p.port,
        address: `${p.host}:${p.externalPort}`,
        proto: p.proto,
      })),
    ),
  );
  ctx.output.result(
    {
      dseq,
      owner,
      seconds: Number(elapsed.toFixed(3)),
      leases: served.map((s) => ({
        ...s.lease,
        price: bids.find((b) => b.id.gseq === s.lease.gseq && b.id.provider === s.lease.provider)?.price,
        services: s.status.services,
        forwarded_ports: s.status.forwarded_ports,
      })),
      urls,
      forwarded_ports: forwarded,
    },
    (c) => [
      ...urls.map((u) => `  ${c.bold(u.url)}${urls.length > 1 ? c.dim(`  (${u.service})`) : ""}`),
      ...forwarded.map((f) => `  ${f.address} ${c.dim(`→ ${f.service}:${f.port}/${f.proto.toLowerCase()}`)}`),
      "",
      `${verb} in ${elapsed.toFixed(1)} s.  Logs: ${withFrom(`decloud logs ${dseq} -f`, from)}   ·   Close: ${withFrom(`decloud close ${dseq}`, from)}`,
    ],
  );
}

async function update(ctx: CliContext, dseq: string, file: string, opts: DeployOptions): Promise<void> {
  const started = performance.now();
  const sdl = await readSdl(file);
  done(
    ctx,
    `SDL valid: ${sdl.services.length} service${sdl.services.length === 1 ? "" : "s"} (${sdl.services.join(", ")})`,
  );
  const tenant = await connectTenant(ctx, opts.from);
  const auth = await tenantAuth(ctx, tenant);
  const { deployment, leases } = await activeLeases(tenant, dseq);
  assertSameGroups(
    dseq,
    sdl,
    deployment.groups.map((g) => g.spec),
    opts.from,
  );
  if (Buffer.from(deployment.hash).equals(Buffer.from(sdl.version))) {
    done(ctx, `Deployment ${dseq} already has this version on chain`);
  } else {
    const spinner = ctx.output.progress(`Updating deployment ${dseq}…`);
    const tx = await updateDeployment(tenant.client, {
      from: tenant.address,
      fromLabel: tenant.name,
      dseq,
      hash: sdl.version,
      onProgress: txProgress(spinner),
    }).catch((e) => {
      spinner.fail();
      throw e;
    });
    spinner.succeed(
      `Deployment ${dseq} updated on chain · tx ${tx.hash.slice(0, 8)}… (block ${tx.height.toLocaleString("en-US")})`,
    );
  }
  const served = await sendAndWait(
    ctx,
    tenant,
    auth,
    sdl,
    dseq,
    leases.map((l) => l.lease.id),
    opts.readyTimeout,
  );
  const bids = leases.map((l) => ({
    id: { ...l.lease.id, bseq: 0 },
    state: "active" as const,
    price: l.lease.price,
    createdAt: l.lease.createdAt,
  }));
  printServed(
    ctx,
    dseq,
    tenant.address,
    served,
    bids,
    (performance.now() - started) / 1000,
    "Updated",
    opts.from,
  );
}
