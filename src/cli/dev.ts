// `decloud dev`: the local devnet (a node, funded dev accounts, a faucet, REST and gRPC) in this process,
// until Ctrl-C. `decloud dev mine N` asks a running devnet for N blocks at once. Loaded only when `dev`
// runs, so that other commands do not pay for loading the node.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { formatCoins } from "../client/amount.js";
import { importDevAccounts } from "../client/dev-accounts.js";
import { DecloudError } from "../client/errors.js";
import { Keyring } from "../client/keyring.js";
import { formatBytes } from "../client/resources.js";
import type { DevProvider } from "../devnet/dev-provider.js";
import { devAuditorAddress } from "../devnet/provider-identity.js";
import { DEVNET_CHAIN_ID } from "../params/chain.js";
import { DEV_ACCOUNT_BALANCE, DEV_MNEMONIC, getDevAccounts, getFaucetAccount } from "../params/devnet.js";
import type { CliContext } from "./context.js";

/** `200ms`, `1s`, `0` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`"${text}" is not a duration; use e.g. 200ms, 1s or 0`);
  const value = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  return Math.round(value);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`${text} is not a port (0–65535; 0 picks a free one)`);
  }
  return port;
}

/** The image of examples/: BusyBox (httpd, sh, nc), imported locally. */
export const EXAMPLE_IMAGE = "decloud/busybox:latest";

interface DevOptions {
  blockTime: number;
  reset?: boolean;
  rpcPort: number;
  restPort: number;
  grpcPort: number;
  /** `--no-provider` sets it false. */
  provider: boolean;
  gatewayPort: number;
  ingressPort: number;
}

export async function runDev(args: readonly string[], ctx: CliContext): Promise<void> {
  const command = new Command("decloud dev")
    .description("Run a local devnet: a chain with funded dev accounts, a faucet, RPC, REST and gRPC.")
    .option(
      "--block-time <duration>",
      "time between blocks; 0 makes a block as soon as a tx is pending",
      parseDuration,
      200,
    )
    .option("--reset", "wipe the devnet's chain and start from genesis")
    .option("--rpc-port <port>", "CometBFT RPC port", parsePort, 26657)
    .option("--rest-port <port>", "REST (and faucet) port", parsePort, 1317)
    .option("--grpc-port <port>", "gRPC port", parsePort, 9090)
    .option("--no-provider", "run the chain without its provider (no Docker needed)")
    .option("--gateway-port <port>", "the provider's gateway port (HTTPS)", parsePort, 8443)
    .option("--ingress-port <port>", "the provider's HTTP ingress port", parsePort, 8080)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .addHelpText(
      "after",
      `
The devnet lives in <home>/dev and resumes where it stopped unless --reset. The dev accounts (alice … judy,
and the faucet) are put in the test keyring of <home>, so \`--from alice\` just works.

A provider runs on the local Docker Engine, registered, certified and audited in the genesis: deployments
get bids at once and their services answer on the ingress (http://<name>.localhost:8080). Ctrl-C stops its
containers; the next start resumes them. --reset also removes this devnet's containers, networks and volumes.
Without a Docker Engine the chain runs alone, and says how to get the provider.

Examples:
  $ decloud dev                          start (or resume) the devnet and its provider
  $ decloud dev --no-provider            the chain alone
  $ decloud dev --block-time 0 --reset   instant blocks, fresh chain
  $ decloud dev mine 100                 ask the running devnet for 100 blocks at once`,
    );
  command
    .command("mine <blocks>")
    .description("produce N blocks at once on the running devnet (escrow over time, in demos and tests)")
    .action(async (blocks: string) => mine(ctx, blocks));
  command.action(async (opts: DevOptions) => serve(ctx, opts));
  await command.parseAsync([...args], { from: "user" });
}

async function mine(ctx: CliContext, blocksText: string): Promise<void> {
  const blocks = Number(blocksText);
  if (!Number.isInteger(blocks) || blocks < 1)
    throw new DecloudError(`"${blocksText}" is not a number of blocks.`);
  const res = await fetch(ctx.node, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "dev_mine", params: { blocks } }),
  }).catch((e: Error) => {
    throw new DecloudError(`No devnet answers at ${ctx.node}: ${e.message}`, {
      hint: "Start one with `decloud dev`.",
    });
  });
  const body = (await res.json()) as {
    result?: { height?: string | number };
    error?: { message: string; data?: string };
  };
  if (body.error)
    throw new DecloudError(`The node refused dev_mine: ${body.error.data ?? body.error.message}`);
  const height = Number(body.result?.height ?? 0);
  ctx.output.result(
    { blocks, height },
    (c) =>
      `${c.green("✔")} Mined ${blocks.toLocaleString("en-US")} block${blocks === 1 ? "" : "s"}; height ${height.toLocaleString("en-US")}`,
  );
}

/** Whether a process with this id runs (one of another user's answers EPERM). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One devnet per home. A second `decloud dev` on the same home (with other ports, say) would run a second
 * chain on the same files, stop the first one's containers when it ends, and with --reset wipe the files
 * under it. The lock is <home>/dev.pid, beside the devnet's folder (which --reset removes); returns its
 * release.
 */
function lockDevHome(cliHome: string, home: string): () => void {
  mkdirSync(cliHome, { recursive: true });
  const file = join(cliHome, "dev.pid");
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
    }
    const pid = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && processRuns(pid)) {
      throw new DecloudError(`A devnet is already running in ${home} (process ${pid}).`, {
        hint:
          "Use that one, stop it (Ctrl-C in its terminal), or run another devnet with another --home. " +
          `If no devnet runs, delete ${file}.`,
      });
    }
    // Left by a devnet that did not stop (killed, or the machine went down).
    rmSync(file, { force: true });
  }
}

async function serve(ctx: CliContext, opts: DevOptions): Promise<void> {
  const started = performance.now();
  const home = join(ctx.home, "dev");
  const unlock = lockDevHome(ctx.home, home);
  try {
    await serveLocked(ctx, opts, home, started);
  } finally {
    unlock();
  }
}

async function serveLocked(ctx: CliContext, opts: DevOptions, home: string, started: number): Promise<void> {
  const progress = ctx.output.progress(
    opts.provider ? "Starting the devnet and its provider…" : "Starting the devnet…",
  );
  // The dev accounts go into the CLI's keyring while the devnet starts: that work (key derivations, a file
  // per key) fills the devnet's waits on its files, Docker and its own node. A failure (a key of the same name
  // that is another key) is reported once the devnet is up, as when the accounts were imported afterwards.
  const devAccountsImported = importDevAccounts(new Keyring({ home: ctx.home, backend: "test" }));
  devAccountsImported.catch(() => undefined);
  const { Devnet } = await import("../devnet/devnet.js");
  let devnet: Awaited<ReturnType<typeof Devnet.start>>;
  try {
    devnet = await Devnet.start({
      home,
      blockTimeMs: opts.blockTime,
      reset: opts.reset,
      rpcPort: opts.rpcPort,
      restPort: opts.restPort,
      grpcPort: opts.grpcPort,
      provider: {
        run: opts.provider,
        gatewayPort: opts.gatewayPort,
        ingressPort: opts.ingressPort,
        dockerSocket: ctx.io.env.DOCKER_HOST?.replace(/^unix:\/\//, ""),
      },
    });
  } catch (e) {
    progress.fail("The devnet did not start");
    const message = (e as Error).message;
    if (/EADDRINUSE/.test(message)) {
      throw new DecloudError(`A port is taken: ${message}`, {
        hint: "Is another devnet running? Stop it, or pick other ports with --rpc-port/--rest-port/--grpc-port.",
      });
    }
    throw e;
  }
  await devAccountsImported;
  const accounts = await getDevAccounts();
  const faucet = await getFaucetAccount();
  const running = devnet.provider?.state === "running" ? devnet.provider.provider : undefined;
  const provider = devnet.provider?.state === "off" ? devnet.provider : undefined;
  const examples = running ? await ensureExampleImage(running) : undefined;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  progress.succeed(
    `Devnet ${devnet.resumed ? "resumed" : "started"} at height ${devnet.height.toLocaleString("en-US")}`,
  );
  const balance = Object.entries(DEV_ACCOUNT_BALANCE).map(([denom, amount]) => ({
    denom,
    amount: amount.toString(),
  }));
  const capacity = running?.capacity();
  const ingress = running ? `http://*.localhost:${running.ingressPort}` : undefined;
  const auditor = await devAuditorAddress();
  ctx.output.result(
    {
      chainId: DEVNET_CHAIN_ID,
      home,
      blockTimeMs: opts.blockTime,
      rpc: devnet.rpcUrl,
      rest: devnet.restUrl,
      grpc: devnet.grpcAddress,
      faucet: { url: `${devnet.restUrl}/faucet`, address: faucet.address },
      provider: running
        ? {
            address: running.address,
            gateway: running.gatewayUrl,
            ingress,
            ingressPort: running.ingressPort,
            attributes: running.attributes,
            auditor,
            cpuMillis: capacity?.cpuMillis.toString(),
            memoryBytes: capacity?.memoryBytes.toString(),
          }
        : provider && { address: provider.address, off: provider.reason, hint: provider.hint },
      exampleImage: examples,
      mnemonic: DEV_MNEMONIC,
      accounts: accounts.map((a) => ({ name: a.name, index: a.index, address: a.address, balance })),
    },
    (c) => [
      `${c.bold("DeCloud devnet")}  chain ${DEVNET_CHAIN_ID}  ·  block time ${opts.blockTime}ms  ·  home ${home}`,
      "",
      `  RPC        ${devnet.rpcUrl}`,
      `  REST       ${devnet.restUrl}`,
      `  gRPC       ${devnet.grpcAddress}`,
      `  Faucet     POST ${devnet.restUrl}/faucet   (or: decloud faucet ADDRESS)`,
      ...(running
        ? [
            `  Provider   ${running.gatewayUrl}  ${running.address}  docker · ${Number(capacity!.cpuMillis) / 1000} CPU · ${formatBytes(capacity!.memoryBytes)} · ${running.attributes
              .filter((a) => a.key === "region")
              .map((a) => `region=${a.value}`)
              .join("")}  ${c.green("audited")}`,
            `  Ingress    ${ingress}`,
            `  Auditor    ${auditor}   (signedBy it in an SDL to ask for audited providers)`,
          ]
        : provider
          ? [`  Provider   ${c.yellow("off")}: ${provider.reason}`, `             ${provider.hint}`]
          : []),
      ...(examples && "error" in examples ? [`  Examples   ${c.yellow(examples.error)}`] : []),
      "",
      `Accounts (mnemonic: "${DEV_MNEMONIC}" — for this devnet only)`,
      ...accounts.map(
        (a) => `  ${String(a.index).padStart(2)} ${a.name.padEnd(7)} ${a.address}  ${formatCoins(balance)}`,
      ),
      "",
      running
        ? `Ready in ${seconds} s. Try:  decloud deploy examples/web/deploy.yaml   ·   Ctrl-C stops the devnet.`
        : `Ready in ${seconds} s. Try:  decloud tx bank send alice bob 5akt   ·   Ctrl-C stops the devnet.`,
    ],
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  const stopping = ctx.output.progress(
    running ? "Stopping the devnet and its containers…" : "Stopping the devnet…",
  );
  await devnet.stop();
  stopping.succeed(
    `Devnet stopped at height ${devnet.height.toLocaleString("en-US")}; \`decloud dev\` resumes it.`,
  );
}

/** The image the examples run (BusyBox, built locally by the provider's image script: no registry needed). */
async function ensureExampleImage(provider: DevProvider): Promise<{ image: string } | { error: string }> {
  const { ensureBusyboxImage } = await import("../provider/cluster/docker/busybox-image.js");
  try {
    return { image: await ensureBusyboxImage(provider.docker, EXAMPLE_IMAGE) };
  } catch (e) {
    return { error: `the examples' image ${EXAMPLE_IMAGE} could not be built: ${(e as Error).message}` };
  }
}
