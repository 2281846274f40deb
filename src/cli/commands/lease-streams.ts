// `decloud logs`, `decloud events`, `decloud shell`: a deployment's containers through its providers'
// gateway websockets (reference: akash-provider.md §5.4). With --json, logs and events are one JSON object
// per line (NDJSON), so that `-f` streams stay parseable. A followed stream outlives a provider restart or a
// dropped connection: it says so on stderr, reconnects, and goes on without repeating a line.
import type { Command } from "commander";
import { DecloudError, DeploymentClosedError, LeaseClosedError } from "../../client/errors.js";
import type { GatewayAuth } from "../../client/gateway/auth.js";
import { getLeaseStatus } from "../../client/gateway/lease.js";
import {
  type ReconnectOptions,
  runLeaseShell,
  type Subscription,
  streamLeaseEvents,
  streamLeaseLogs,
} from "../../client/gateway/streams.js";
import type { CliContext } from "../context.js";
import type { Output } from "../output.js";
import { shortAddress } from "../table.js";
import { activeLeases, type Ctx, connectTenant, parseDseq, type Tenant, tenantAuth } from "../tenant.js";

/** One line of a stream: `name  text` for people, an object per line with --json. */
function emit(ctx: CliContext, record: Record<string, unknown>, human: string): void {
  ctx.io.stdout.write(ctx.json ? `${JSON.stringify(record)}\n` : `${human}\n`);
}

type Leases = Awaited<ReturnType<typeof activeLeases>>["leases"];

/**
 * Opens one stream per active lease of the deployment and prints what each yields until it ends (or Ctrl-C
 * ends it): the part `logs` and `events` share. Followed, each reconnects when its connection drops, until
 * the lease is found closed on chain or the provider stays away too long; one that fails ends the others.
 */
async function printLeaseStreams<T>(
  ctx: CliContext,
  dseqText: string,
  opts: { from?: string; follow?: boolean },
  open: (
    lease: Leases[number],
    owner: string,
    auth: GatewayAuth,
    reconnect: ReconnectOptions | undefined,
  ) => Promise<Subscription<T>>,
  print: (item: T, lease: Leases[number]) => void,
): Promise<void> {
  const dseq = parseDseq(dseqText);
  const tenant = await connectTenant(ctx, opts.from);
  const { leases } = await activeLeases(tenant, dseq);
  const auth = await tenantAuth(ctx, tenant);
  const streams = new Set<Subscription<T>>();
  const notices: { stop(): void }[] = [];
  try {
    await Promise.all(
      leases.map(async (lease) => {
        let reconnect: ReconnectOptions | undefined;
        if (opts.follow) {
          const notice = reconnectNotices(ctx.output, ctx.io.stderr.isTTY === true, lease.lease.id.provider);
          notices.push(notice);
          reconnect = { ...notice, leaseGone: () => leaseGone(tenant, dseq, lease) };
        }
        const stream = await open(lease, tenant.address, auth, reconnect);
        streams.add(stream);
        const release = stopOnSignal(() => stream.close());
        try {
          for await (const item of stream) print(item, lease);
        } finally {
          release();
          streams.delete(stream);
        }
      }),
    );
  } finally {
    for (const s of streams) s.close();
    for (const n of notices) n.stop();
  }
}

/**
 * What a follower says while its provider is away: a spinner on a terminal ("reconnecting…", then
 * "Reconnected"), else a dim line for each; once per outage, however many attempts it takes.
 */
export function reconnectNotices(
  output: Output,
  live: boolean,
  provider: string,
): Required<Pick<ReconnectOptions, "onInterrupted" | "onResumed">> & { stop(): void } {
  const who = `Provider ${shortAddress(provider)}`;
  let spinner: ReturnType<Output["progress"]> | undefined;
  return {
    onInterrupted: () => {
      const text = `${who} unreachable, reconnecting…`;
      if (live) spinner = output.progress(text);
      else output.note(output.ce.dim(text));
    },
    onResumed: () => {
      if (spinner) spinner.succeed(`Reconnected to ${shortAddress(provider)}`);
      else output.note(output.ce.dim(`Reconnected to ${shortAddress(provider)}`));
      spinner = undefined;
    },
    stop: () => {
      spinner?.fail();
      spinner = undefined;
    },
  };
}

/** An error when the chain no longer shows this lease active (the follower then stops); else undefined. */
async function leaseGone(
  tenant: Tenant,
  dseq: string,
  lease: Leases[number],
): Promise<DecloudError | undefined> {
  const id = lease.lease.id;
  try {
    const { leases } = await activeLeases(tenant, dseq);
    const same = leases.some(
      ({ lease: l }) => l.id.provider === id.provider && l.id.gseq === id.gseq && l.id.oseq === id.oseq,
    );
    if (same) return undefined;
    return new DecloudError(`The lease of deployment ${dseq} with ${id.provider} is no longer active.`, {
      hint: "`decloud status DSEQ` shows what the chain says.",
    });
  } catch (e) {
    // Only what the chain says ends the stream; a node that does not answer is no reason to stop.
    return e instanceof LeaseClosedError || e instanceof DeploymentClosedError ? e : undefined;
  }
}

export async function logsAction(
  ctxOf: Ctx,
  dseqText: string,
  service: string | undefined,
  opts: { follow?: boolean; tail?: number; from?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const c = ctx.output.c;
  await printLeaseStreams(
    ctx,
    dseqText,
    opts,
    ({ lease, target }, owner, auth, reconnect) =>
      streamLeaseLogs(target, {
        owner,
        lease: lease.id,
        auth,
        follow: opts.follow,
        tail: opts.tail,
        services: service ? [service] : undefined,
        reconnect,
      }),
    (line, { lease }) =>
      emit(
        ctx,
        { ...line, provider: lease.id.provider, gseq: lease.id.gseq },
        `${c.cyan(line.name)}  ${line.message}`,
      ),
  );
}

export async function eventsAction(
  ctxOf: Ctx,
  dseqText: string,
  service: string | undefined,
  opts: { follow?: boolean; from?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const c = ctx.output.c;
  await printLeaseStreams(
    ctx,
    dseqText,
    opts,
    ({ lease, target }, owner, auth, reconnect) =>
      streamLeaseEvents(target, {
        owner,
        lease: lease.id,
        auth,
        follow: opts.follow,
        services: service ? [service] : undefined,
        reconnect,
      }),
    (e, { lease }) => {
      const type = e.type === "Warning" ? c.yellow(e.type.padEnd(7)) : c.dim(e.type.padEnd(7));
      emit(
        ctx,
        { ...e, provider: lease.id.provider },
        `${type}  ${c.cyan(e.object.name)}  ${e.reason}: ${e.note}`,
      );
    },
  );
}

export async function shellAction(
  ctxOf: Ctx,
  dseqText: string,
  service: string,
  commandLine: string[],
  opts: { replica: number; from?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const dseq = parseDseq(dseqText);
  const tenant = await connectTenant(ctx, opts.from);
  const { leases } = await activeLeases(tenant, dseq);
  const auth = await tenantAuth(ctx, tenant);
  const found = await leaseRunning(leases, service, tenant.address, auth);
  const stdin = ctx.io.stdin as NodeJS.ReadStream;
  const interactive = stdin.isTTY === true && (ctx.io.stdout as NodeJS.WriteStream).isTTY === true;
  // Input that is piped in (`echo … | decloud shell …`, `< file`) goes to the command, as with `docker
  // exec -i`; its end closes the command's stdin. A terminal's keys go only to an interactive shell:
  // with output redirected, a command that reads no input would otherwise wait for the terminal.
  const forwardStdin = interactive || stdin.isTTY !== true;
  const stdout = ctx.io.stdout as NodeJS.WriteStream;
  if (interactive) stdin.setRawMode(true);
  try {
    ctx.exitCode = await runLeaseShell(found.target, {
      owner: tenant.address,
      lease: found.lease.id,
      auth,
      service,
      command: commandLine,
      replica: opts.replica,
      tty: interactive,
      stdin: forwardStdin ? stdin : undefined,
      onStdout: (d) => ctx.io.stdout.write(d.toString("utf8")),
      onStderr: (d) => ctx.io.stderr.write(d.toString("utf8")),
      onResizer: interactive
        ? (resize) => {
            resize(stdout.columns, stdout.rows);
            stdout.on("resize", () => resize(stdout.columns, stdout.rows));
          }
        : undefined,
    });
  } finally {
    if (interactive) stdin.setRawMode(false);
    if (forwardStdin) {
      stdin.pause?.();
      // The input pump may still await the next keystroke or chunk of a pipe (the remote command exited
      // without reading it all), which would keep the process alive after the command has exited.
      stdin.unref?.();
    }
  }
}

/** Ctrl-C ends a followed stream cleanly (the command then exits 0); returns the undo. */
function stopOnSignal(stop: () => void): () => void {
  process.once("SIGINT", stop);
  return () => process.off("SIGINT", stop);
}

/** The lease whose group runs `service` (a deployment with several groups has a lease per group). */
async function leaseRunning(leases: Leases, service: string, owner: string, auth: GatewayAuth) {
  if (leases.length === 1) return leases[0]!;
  for (const l of leases) {
    const status = await getLeaseStatus(l.target, { owner, lease: l.lease.id, auth }).catch(() => undefined);
    if (status?.services[service]) return l;
  }
  throw new DecloudError(`No lease of this deployment runs a service named "${service}".`, {
    hint: "`decloud status DSEQ` lists the services.",
  });
}
