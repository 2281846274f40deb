// `decloud query|tx MODULE METHOD` for every method of the module table (modules.ts), generated from
// chain-sdk's descriptors like the Cosmos SDK's autocli.
//
// The module commands are declared up front (so that `decloud query --help` lists them), their methods only
// when the command line reaches a module: building them loads chain-sdk's descriptors (a few hundred
// milliseconds), which `decloud keys list` or `query bank balances` should not pay for.
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { msgMethods, queryMethods } from "./methods.js";
import { commandNamesOf, MODULES, type ModuleSpec } from "./modules.js";

type Ctx = (command: Command) => CliContext;
type Role = "query" | "tx";

/** Adds the generated modules under the existing `query` and `tx` commands. */
export function registerAutocli(program: Command, ctxOf: Ctx): void {
  for (const role of ["query", "tx"] as const) {
    const root = program.commands.find((c) => c.name() === role);
    if (!root) throw new Error(`the program has no ${role} command to add modules to`);
    registerModules(root, role, ctxOf);
  }
}

function registerModules(root: Command, role: Role, ctxOf: Ctx): void {
  const pending = new Map<Command, ModuleSpec>();
  for (const mod of MODULES) {
    if (!(role === "query" ? mod.query : mod.tx)) continue;
    const existing = root.commands.find((c) => c.name() === mod.name);
    pending.set(existing ?? root.command(mod.name).description(mod.description), mod);
  }
  root.hook("preSubcommand", async (thisCommand, moduleCommand) => {
    const mod = pending.get(moduleCommand);
    if (!mod) return;
    // A hand-written command of the module (`query bank balances`) runs without the generated ones.
    const next = thisCommand.args[1];
    if (
      next !== undefined &&
      moduleCommand.commands.some((c) => c.name() === next || c.aliases().includes(next))
    ) {
      return;
    }
    pending.delete(moduleCommand);
    await addMethods(moduleCommand, mod, role, ctxOf);
  });
  // `decloud query orders`: a method without its module.
  root.on("command:*", (operands: string[]) => {
    const name = operands[0]!;
    const homes = MODULES.filter((m) => commandNamesOf(m, role).includes(name));
    if (homes.length === 0) {
      // Commander's own error, with its suggestion of a similar module name.
      (root as unknown as { unknownCommand(): never }).unknownCommand();
    }
    const suggestions = homes.map((m) => `decloud ${role} ${m.name} ${name}`).join(", or ");
    root.error(`error: unknown command '${name}'\n(Did you mean ${suggestions}?)`, {
      code: "commander.unknownCommand",
    });
  });
}

async function addMethods(moduleCommand: Command, mod: ModuleSpec, role: Role, ctxOf: Ctx): Promise<void> {
  const covered = mod.covered ?? {};
  const examples: string[] = [];
  if (role === "query") {
    const { addQueryCommand } = await import("./query.js");
    for (const m of queryMethods(mod)) {
      if (!(m.rpc in covered)) examples.push(addQueryCommand(moduleCommand, mod.name, m, ctxOf)[0]!);
    }
  } else {
    const { addTxCommand } = await import("./tx.js");
    for (const m of msgMethods(mod)) {
      if (!(m.rpc in covered)) examples.push(addTxCommand(moduleCommand, mod.name, m, ctxOf)[0]!);
    }
  }
  moduleCommand.addHelpText(
    "after",
    `\nExamples (\`decloud ${role} ${mod.name} COMMAND --help\` for each command's arguments and flags):\n${examples.map((e) => `  $ ${e}`).join("\n")}`,
  );
}
