// `decloud logs`, `decloud events`, `decloud shell`: a deployment's containers through its providers'
// gateway websockets (reference: akash-provider.md §5.4). With --json, logs and events are one JSON object
// per line (NDJSON), so that `-f` streams stay parseable.
import type { Command } from "commander";
import { DecloudError } from "../../client/errors.js";
import type { GatewayAuth } from "../../client/gateway/auth.js";
import { getLeaseStatus } from "../../client/gateway/lease.js";
import {
  runLeaseShell,
  type Subscription,
  streamLeaseEvents,
  streamLeaseLogs,
} from "../../client/gateway/streams.js";
import type { CliContext } from "../context.js";
import { activeLeases, type Ctx, connectTenant, parseDseq, tenantAuth } from "../tenant.js";

/** One line of a stream: `name  text` for people, an object per line with --json. */
function emit(ctx: CliContext, record: Record<string, unknown>, human: string): void {
  ctx.io.stdout.write(ctx.json ? `${JSON.stringify(record)}\n` : `${human}\n`);
}

type Leases = Awaited<ReturnType<typeof activeLeases>>["leases"];

/**
 * Opens one stream per active lease of the deployment and prints what each yields until it ends (or Ctrl-C
 * ends it): the part `logs` and `events` share.
 */
async function printLeaseStreams<T>(
  ctx: CliContext,
  dseqText: string,
  from: string | undefined,
  open: (lease: Leases[number], owner: string, auth: GatewayAuth) => Promise<Subscription<T>>,
  print: (item: T, lease: Leases[number]) => void,
): Promise<void> {
  const dseq = parseDseq(dseqText);
  const tenant = await connectTenant(ctx, from);
  const { leases } = await activeLeases(tenant, dseq);
  const auth = await tenantAuth(ctx, tenant);
  await Promise.all(
    leases.map(async (lease) => {
      const stream = await open(lease, tenant.address, auth);
      const release = stopOnSignal(() => stream.close());
      try {
        for await (const item of stream) print(item, lease);
      } finally {
        release();
      }
    }),
  );
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
    opts.from,
    ({ lease, target }, owner, auth) =>
      streamLeaseLogs(target, {
        owner,
        lease: lease.id,
        auth,
        follow: opts.follow,
        tail: opts.tail,
        services: service ? [service] : undefined,
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
    opts.from,
    ({ lease, target }, owner, auth) =>
      streamLeaseEvents(target, {
        owner,
        lease: lease.id,
        auth,
        follow: opts.follow,
        services: service ? [service] : undefined,
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
