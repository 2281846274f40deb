// Actions whose implementation is loaded when the command runs: the module that declares a command (its
// name, options and help) stays light, so that `decloud --help` does not load what the command needs.
import type { Command } from "commander";
import type { CliContext } from "./context.js";

type Ctx = (command: Command) => CliContext;
// biome-ignore lint/suspicious/noExplicitAny: commander hands an action its arguments untyped
type Action = (ctxOf: Ctx, ...args: any[]) => Promise<void>;

/** A commander action that loads its implementation, then runs it with the same arguments. */
export function lazyAction(ctxOf: Ctx, load: () => Promise<Action>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const action = await load();
    await action(ctxOf, ...args);
  };
}
