// `decloud cert create|list|revoke`: the client certificate tenants authenticate to providers with (mTLS;
// reference: akash-provider.md §4.2). `deploy` and the other tenant commands create and publish one on first
// use; these commands replace a revoked or expired one, or revoke it.
import type { Command } from "commander";
import { ensureCertificate, loadCertificate } from "../../client/certificate.js";
import { DecloudError } from "../../client/errors.js";
import { revokeCertificate } from "../../client/modules/cert/messages.js";
import { listCertificates } from "../../client/modules/cert/queries.js";
import { table } from "../table.js";
import { type Ctx, connectTenant, withFrom } from "../tenant.js";
import { txProgress } from "./tx-progress.js";

export async function createAction(
  ctxOf: Ctx,
  opts: { from?: string; force?: boolean },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const tenant = await connectTenant(ctx, opts.from);
  const spinner = ctx.output.progress("Publishing a client certificate…");
  const r = await ensureCertificate(tenant.client, {
    home: ctx.home,
    owner: tenant.address,
    fromLabel: tenant.name,
    renew: opts.force,
    onProgress: txProgress(spinner),
  }).catch((e) => {
    spinner.fail();
    throw e;
  });
  if (r.published)
    spinner.succeed(`Certificate ${r.certificate.serial} published · tx ${r.published.hash.slice(0, 8)}…`);
  else spinner.succeed(`Certificate ${r.certificate.serial} is already on chain`);
  ctx.output.result(
    {
      owner: tenant.address,
      serial: r.certificate.serial,
      valid_to: r.certificate.validTo.toISOString(),
      path: r.certificate.path,
      tx: r.published?.hash,
    },
    (c) =>
      `  ${c.dim("kept in")} ${r.certificate.path}  ${c.dim(`valid until ${r.certificate.validTo.toISOString().slice(0, 10)}`)}`,
  );
}

export async function listAction(ctxOf: Ctx, opts: { from?: string }, command: Command): Promise<void> {
  const ctx = ctxOf(command);
  const tenant = await connectTenant(ctx, opts.from);
  const [onChain, kept] = await Promise.all([
    listCertificates(tenant.client, { owner: tenant.address }),
    loadCertificate(ctx.home, tenant.address),
  ]);
  ctx.output.result(
    onChain.map((c) => ({ serial: c.serial, state: c.state, kept: c.serial === kept?.serial })),
    (c) =>
      onChain.length === 0
        ? `No certificate on chain; \`${withFrom("decloud cert create", opts.from)}\` publishes one.`
        : table(
            ["SERIAL", "STATE", "KEPT HERE"],
            onChain.map((x) => [
              x.serial,
              x.state === "valid" ? c.green(x.state) : c.dim(x.state),
              x.serial === kept?.serial ? "✔" : "",
            ]),
          ),
  );
}

export async function revokeAction(
  ctxOf: Ctx,
  serial: string | undefined,
  opts: { from?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const tenant = await connectTenant(ctx, opts.from);
  const chosen = serial ?? (await loadCertificate(ctx.home, tenant.address))?.serial;
  if (!chosen) {
    throw new DecloudError("No certificate is kept here, and no serial was given.", {
      hint: "`decloud cert list` shows the serials.",
    });
  }
  const spinner = ctx.output.progress(`Revoking certificate ${chosen}…`);
  const tx = await revokeCertificate(tenant.client, {
    from: tenant.address,
    fromLabel: tenant.name,
    serial: chosen,
    onProgress: txProgress(spinner),
  }).catch((e) => {
    spinner.fail();
    throw e;
  });
  spinner.succeed(`Certificate ${chosen} revoked`);
  ctx.output.result(
    { serial: chosen, tx: tx.hash, height: tx.height },
    () => `  Make a new one with \`${withFrom("decloud cert create --force", opts.from)}\`.`,
  );
}
