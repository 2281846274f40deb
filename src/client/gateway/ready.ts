// Waiting until a lease's services run: polls the provider's lease status until every service has all its
// replicas available (reference: akash-provider.md §7.2 step 6), reporting each change, and gives up with the
// provider's own errors (a failed image pull, a container that cannot start) when the time is up.
import { DecloudError } from "../errors.js";
import type { GatewayAuth } from "./auth.js";
import { getLeaseStatus } from "./lease.js";
import type { GatewayTarget } from "./provider.js";
import type { LeaseStatus } from "./types.js";

export interface WaitForLeaseReadyParameters {
  readonly owner: string;
  readonly lease: { readonly dseq: string; readonly gseq: number; readonly oseq: number };
  readonly auth: GatewayAuth;
  /** Default 120 s. */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly onStatus?: (status: LeaseStatus) => void;
}

export function leaseReady(status: LeaseStatus): boolean {
  const services = Object.values(status.services);
  return services.length > 0 && services.every((s) => s.available >= s.total);
}

export async function waitForLeaseReady(
  target: GatewayTarget,
  params: WaitForLeaseReadyParameters,
): Promise<LeaseStatus> {
  const timeoutMs = params.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    const status = await getLeaseStatus(target, params);
    const text = JSON.stringify(status);
    if (text !== last) {
      last = text;
      params.onStatus?.(status);
    }
    if (leaseReady(status)) return status;
    if (Date.now() >= deadline) {
      const waiting = Object.values(status.services)
        .filter((s) => s.available < s.total)
        .map((s) => `${s.name} ${s.available}/${s.total}`);
      throw new DecloudError(
        `The services did not become ready in ${Math.round(timeoutMs / 1000)} s (${waiting.join(", ")}).`,
        {
          details: status.errors?.join("; "),
          hint: `See why with \`decloud events ${params.lease.dseq}\` and \`decloud logs ${params.lease.dseq}\`; the lease stays open and is paid while it runs.`,
        },
      );
    }
    await new Promise((r) => setTimeout(r, params.pollIntervalMs ?? 200));
  }
}
