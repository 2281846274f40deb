// Moving a tenant's custom hostnames (`accept` hosts) between its deployments on one provider (reference:
// akash-provider.md §4.3 `POST /hostname/migrate`, §6.6): a provider withholds a hostname that another of
// the owner's deployments holds, until the owner migrates it to the deployment that should serve it.
import { GatewayRequestError } from "../errors.js";
import type { GatewayAuth } from "./auth.js";
import type { GatewayTarget } from "./provider.js";
import { gatewayError, gatewayMessage, gatewayRequest } from "./request.js";
import type { HostnameMigrationResult } from "./types.js";

export interface MigrateHostnamesParameters {
  readonly owner: string;
  readonly hostnames: readonly string[];
  /** The destination deployment and group: its lease on this provider gets the hostnames. */
  readonly dseq: string;
  readonly gseq: number;
  readonly auth: GatewayAuth;
}

export async function migrateHostnames(
  target: GatewayTarget,
  params: MigrateHostnamesParameters,
): Promise<HostnameMigrationResult> {
  // Akash's provider reads destination_dseq as a JSON number (a uint64): written out digit for digit, so
  // that no dseq is rounded on the way.
  const body = `{"hostnames_to_migrate":${JSON.stringify(params.hostnames)},"destination_dseq":${BigInt(params.dseq).toString()},"destination_gseq":${params.gseq}}`;
  const response = await gatewayRequest(target, {
    method: "POST",
    path: "/hostname/migrate",
    body,
    auth: params.auth,
  });
  const what = "the hostname migration";
  if (response.status === 400 || response.status === 403 || response.status === 422) {
    const message = gatewayMessage(response.body);
    throw new GatewayRequestError(
      target.provider,
      response.status,
      message,
      what,
      /not used by deployment/.test(message)
        ? "A deployment can only take hostnames its SDL lists under `accept`: add it there and `decloud update DSEQ FILE` first."
        : undefined,
    );
  }
  if (response.status === 404) {
    throw new GatewayRequestError(
      target.provider,
      404,
      gatewayMessage(response.body),
      what,
      "The destination must be one of your deployments with an active lease on this provider, and its manifest sent.",
    );
  }
  if (response.status < 200 || response.status >= 300)
    throw gatewayError(target, params.owner, response, what);
  try {
    const result = JSON.parse(response.body) as HostnameMigrationResult;
    if (!Array.isArray(result.transferred)) throw new Error("no transferred list");
    return result;
  } catch {
    throw new GatewayRequestError(
      target.provider,
      response.status,
      response.body.slice(0, 200),
      what,
      "The provider answered something that is not the migration's result.",
    );
  }
}
