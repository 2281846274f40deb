// The `decloud` command tree. `run` is the whole CLI as a function of argv and streams, returning the exit
// code, so that tests drive it in-process; main.ts binds it to the real process.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { registerAutocli } from "./autocli/register.js";
import { registerCert } from "./commands/cert-command.js";
import { registerConfig } from "./commands/config.js";
import { registerDeploy } from "./commands/deploy-command.js";
import { registerDeployments } from "./commands/deployments-command.js";
import { registerFaucet } from "./commands/faucet.js";
import { registerHostnames } from "./commands/hostnames-command.js";
import { registerKeys } from "./commands/keys.js";
import { registerLeaseStreams } from "./commands/lease-streams-command.js";
import { registerLocalnet } from "./commands/localnet.js";
import { registerNode } from "./commands/node.js";
import { registerProvider } from "./commands/provider-command.js";
import { registerProviders } from "./commands/providers-command.js";
import { registerQuery } from "./commands/query.js";
import { registerStatus } from "./commands/status.js";
import { registerTx } from "./commands/tx.js";
import type { CliContext, GlobalOptions } from "./context.js";
import { DEFAULT_NODE, KEYRING_BACKEND_CHOICES } from "./defaults.js";
import { type CliIO, processIO } from "./io.js";
import { Output } from "./output.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the program; `onContext` sees every context a command opens, so that `run` can close them. */
export function buildProgram(io: CliIO, onContext: (ctx: CliContext) => void = () => {}): Command {
  const program = new Command("decloud");
  const errorColors = new Output(io, false).ce;
  // Settings made before adding commands are inherited by every subcommand.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(errorColors.red(s.replace(/^error: /, "✖ "))),
    })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .showHelpAfterError("  Run `decloud --help` (or `decloud COMMAND --help`) to see what is possible.");

  program
    .description(
      "DeCloud: an open cloud marketplace on a Cosmos chain. A local cloud in one command, a deployment in another.",
    )
    .version(version(), "-v, --version")
    .option("--home <dir>", "where keys and local data live (default: $DECLOUD_HOME or ~/.decloud)")
    .option(
      "--node <url>",
      `CometBFT RPC endpoint of the node (default: \`decloud config get node\`, else ${DEFAULT_NODE})`,
    )
    .option("--json", "print one JSON document on stdout, for scripts")
    .addOption(
      new Option(
        "--keyring-backend <backend>",
        "keyring backend (default: see `decloud keys --help`)",
      ).choices(KEYRING_BACKEND_CHOICES),
    )
    .option("--chain-id <id>", "refuse to talk to a node of another chain")
    .option("--rest <port|url>", "REST endpoint for the faucet (default: port 1317 on the --node host)")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud dev                                   start a local devnet: funded accounts, a faucet, a provider
  $ decloud deploy examples/web/deploy.yaml       deploy an app on it and print its URL
  $ decloud deployments                           your deployments, their escrow and time left
  $ decloud status                                is the node up, which chain, which height
  $ decloud keys add me                           create a key (prints its mnemonic once)
  $ decloud faucet me 100akt                      fund it on the devnet
  $ decloud query bank balances me
  $ decloud tx bank send alice bob 5akt           send tokens, wait for the block
  $ decloud query tx <hash> --json | jq .

Environment:
  DECLOUD_HOME                  default for --home
  DECLOUD_KEYRING_BACKEND       default for --keyring-backend
  DECLOUD_KEYRING_PASSPHRASE    passphrase of the file keyring when no terminal can ask for it
  DECLOUD_DEBUG=1               print stack traces with errors
  NO_COLOR                      plain output`,
    );

  // The context (keyring, node client) is loaded once a command is about to run, not to print help.
  let contextModule: typeof import("./context.js") | undefined;
  program.hook("preAction", async () => {
    contextModule ??= await import("./context.js");
  });
  const ctxOf = (command: Command): CliContext => {
    if (!contextModule) throw new Error("a command asked for its context before its action ran");
    const ctx = new contextModule.CliContext(command.optsWithGlobals<GlobalOptions>(), io);
    onContext(ctx);
    return ctx;
  };

  program
    .command("dev")
    .description(
      "run a local devnet: a node, funded dev accounts, a faucet, a provider on Docker (see `decloud dev --help`)",
    )
    .argument("[args...]", "options of the devnet")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[], _opts: unknown, command: Command) => {
      // Loaded on demand: the devnet brings the whole node with it.
      const { runDev } = await import("./dev.js");
      await runDev(args, ctxOf(command));
    });
  registerKeys(program, ctxOf);
  registerTx(program, ctxOf);
  registerQuery(program, ctxOf);
  registerAutocli(program, ctxOf);
  registerStatus(program, ctxOf);
  registerFaucet(program, ctxOf);
  registerNode(program, ctxOf);
  registerLocalnet(program, ctxOf);
  registerProvider(program, ctxOf);
  registerDeploy(program, ctxOf);
  registerDeployments(program, ctxOf);
  registerProviders(program, ctxOf);
  registerLeaseStreams(program, ctxOf);
  registerHostnames(program, ctxOf);
  registerCert(program, ctxOf);
  registerConfig(program, ctxOf);
  return program;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 error). Errors are printed, never thrown. */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const contexts: CliContext[] = [];
  const program = buildProgram(io, (ctx) => contexts.push(ctx));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return contexts.find((c) => c.exitCode !== 0)?.exitCode ?? 0;
  } catch (e) {
    // Commander has already printed its own errors (and help, and the version).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    const json = contexts[0]?.json ?? argv.includes("--json");
    new Output(io, json).error(e);
    return 1;
  } finally {
    for (const ctx of contexts) ctx.close();
  }
}
