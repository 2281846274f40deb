// `decloud dev`: the local devnet (a node, funded dev accounts, a faucet). Loaded only when `dev` runs,
// so that other commands do not pay for loading the node. `args` are the words after `dev`, options
// included, to be parsed here; `ctx` carries the global options (--home, --node, --json …) and the output.
import { DecloudError } from "../client/errors.js";
import type { CliContext } from "./context.js";

export async function runDev(_args: readonly string[], _ctx: CliContext): Promise<void> {
  throw new DecloudError("The devnet is not wired yet.", {
    hint: "Meanwhile, point --node at a running DeCloud or Cosmos node.",
  });
}
