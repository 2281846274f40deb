// `decloud hostnames migrate`: asks the destination deployment's provider to bind custom hostnames to it,
// taking them from the owner's other deployment there (reference: akash-provider.md §4.3
// `POST /hostname/migrate`, §6.6). The provider is the destination lease's: a migration never crosses
// providers, as in Akash.
import type { Command } from "commander";
import { DecloudError } from "../../client/errors.js";
import { migrateHostnames } from "../../client/gateway/hostnames.js";
import { getLeaseStatus } from "../../client/gateway/lease.js";
import type { HostnameMigrationResult } from "../../client/gateway/types.js";
import { shortAddress } from "../table.js";
import { activeLeases, type Ctx, connectTenant, parseDseq, tenantAuth } from "../tenant.js";
import { serviceUrls } from "./deploy.js";

/** A DNS name as an SDL's `accept` holds it (RFC 1123 labels); refused before anything is sent. */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export async function migrateAction(
  ctxOf: Ctx,
  hostnames: string[],
  opts: { dseq: string; gseq?: number; from?: string },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const dseq = parseDseq(opts.dseq);
  const names = [...new Set(hostnames.map((h) => h.toLowerCase()))];
  for (const h of names) {
    if (!HOSTNAME.test(h)) {
      throw new DecloudError(`"${h}" is not a hostname.`, {
        hint: "Give the names as the SDL's `accept` lists them, without scheme or port: shop.example.com",
      });
    }
  }
  const tenant = await connectTenant(ctx, opts.from);
  const { leases } = await activeLeases(tenant, dseq);
  const groups = leases.map((l) => l.lease.id.gseq).sort((a, b) => a - b);
  const chosen =
    opts.gseq !== undefined
      ? leases.find((l) => l.lease.id.gseq === opts.gseq)
      : leases.length === 1
        ? leases[0]
        : undefined;
  if (!chosen) {
    throw new DecloudError(
      opts.gseq !== undefined
        ? `Deployment ${dseq} has no active lease for group ${opts.gseq} (its leased groups: ${groups.join(", ")}).`
        : `Deployment ${dseq} has ${leases.length} leases (groups ${groups.join(", ")}): which one takes the hostnames?`,
      { hint: "Pass --gseq N: the group whose SDL service lists the hostnames under `accept`." },
    );
  }
  const { lease, target } = chosen;
  const auth = await tenantAuth(ctx, tenant);
  const list = names.join(", ");
  const spinner = ctx.output.progress(
    `Moving ${list} to deployment ${dseq} on ${shortAddress(lease.id.provider)}…`,
  );
  let result: HostnameMigrationResult;
  try {
    result = await migrateHostnames(target, {
      owner: tenant.address,
      hostnames: names,
      dseq,
      gseq: lease.id.gseq,
      auth,
    });
  } catch (e) {
    spinner.fail();
    throw e;
  }
  const moved = result.moved ?? [];
  const already = result.already ?? [];
  spinner.succeed(
    moved.length > 0
      ? `${moved.map((m) => m.hostname).join(", ")} now served by deployment ${dseq}`
      : `Deployment ${dseq} already serves ${list}`,
  );
  // The URLs as the provider reports them (with its ingress port): the result a person can open.
  const status = await getLeaseStatus(target, { owner: tenant.address, lease: lease.id, auth }).catch(
    () => undefined,
  );
  const urls = status ? serviceUrls(status).filter((u) => names.includes(new URL(u.url).hostname)) : [];
  ctx.output.result(
    {
      dseq,
      gseq: lease.id.gseq,
      provider: lease.id.provider,
      transferred: result.transferred,
      moved,
      already,
      urls,
    },
    (c) => [
      ...moved.map(
        (m) =>
          `  ${m.hostname}  ${c.dim(m.from ? `← deployment ${m.from.dseq}${m.from.gseq === 1 ? "" : ` group ${m.from.gseq}`}` : "← no deployment served it")}`,
      ),
      ...already.map((h) => `  ${h}  ${c.dim("already here")}`),
      ...urls.map((u) => `  ${u.url}`),
    ],
  );
}
