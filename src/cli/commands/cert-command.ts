// The declaration of `decloud cert create|list|revoke` (names, options, help); cert.ts implements them,
// loaded when one runs.
import type { Command } from "commander";
import { lazyAction } from "../lazy.js";
import type { Ctx } from "../tenant.js";

export function registerCert(program: Command, ctxOf: Ctx): void {
  const cert = program
    .command("cert")
    .description("your client certificate for providers: create and publish, list, revoke");

  cert
    .command("create")
    .description("make a client certificate, keep it in <home>/certs and publish it on chain")
    .option("--from <key>", "the owner's key (default: `decloud config get from`, alice on a devnet)")
    .option("--force", "replace the kept certificate (after it expired or was revoked)")
    .action(lazyAction(ctxOf, async () => (await import("./cert.js")).createAction));

  cert
    .command("list")
    .description("the certificates you published, and which one is kept here")
    .option("--from <key>", "the owner's key")
    .action(lazyAction(ctxOf, async () => (await import("./cert.js")).listAction));

  cert
    .command("revoke")
    .description("revoke a certificate on chain (default: the one kept here); providers refuse it at once")
    .argument("[serial]", "the certificate's serial")
    .option("--from <key>", "the owner's key")
    .action(lazyAction(ctxOf, async () => (await import("./cert.js")).revokeAction));
}
