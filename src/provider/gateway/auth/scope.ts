// What a caller may do: mTLS grants its owner everything (reference §4.2); a JWT grants what its `leases`
// claim says — full, scoped (a list of actions), or granular (per provider, per deployment/group/order).
import { AuthError } from "./errors.js";

export type Scope =
  | "send-manifest"
  | "get-manifest"
  | "logs"
  | "shell"
  | "events"
  | "status"
  | "restart"
  | "hostname-migrate"
  | "ip-migrate";

export interface Grant {
  readonly owner: string;
  readonly method: "mtls" | "jwt";
  /** The JWT's `leases` claim; undefined for mTLS (full access). */
  readonly leases?: LeasesClaim;
}

export interface LeasesClaim {
  readonly access: "full" | "scoped" | "granular";
  readonly scope?: readonly string[];
  readonly permissions?: readonly {
    readonly provider: string;
    readonly access: "full" | "scoped" | "granular";
    readonly scope?: readonly string[];
    readonly deployments?: readonly {
      readonly dseq: number;
      readonly gseq?: number;
      readonly oseq?: number;
      readonly scope: readonly string[];
    }[];
  }[];
}

export interface Target {
  readonly provider: string;
  readonly dseq?: string;
  readonly gseq?: number;
  readonly oseq?: number;
}

/** Throws 401 unless the grant covers `scope` on `target`. */
export function authorize(grant: Grant, scope: Scope | undefined, target: Target): void {
  const leases = grant.leases;
  if (!leases || leases.access === "full" || scope === undefined) return;
  if (leases.access === "scoped") {
    if (leases.scope?.includes(scope)) return;
    throw new AuthError(401, `token does not grant "${scope}"`);
  }
  for (const p of leases.permissions ?? []) {
    if (p.provider !== target.provider) continue;
    if (p.access === "full") return;
    if (p.access === "scoped" && p.scope?.includes(scope)) return;
    if (p.access === "granular") {
      for (const d of p.deployments ?? []) {
        if (target.dseq === undefined || String(d.dseq) !== target.dseq) continue;
        if (d.gseq !== undefined && d.gseq !== target.gseq) continue;
        if (d.oseq !== undefined && d.oseq !== target.oseq) continue;
        if (d.scope.includes(scope)) return;
      }
    }
  }
  throw new AuthError(401, `token does not grant "${scope}" on this provider's lease`);
}
