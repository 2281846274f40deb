// A tenant's requests to a provider about its leases (reference: akash-provider.md §4.3, §7.2): send the
// manifest, read lease and service status, recover the manifest, and the provider's public `/status`.
import { DecloudError, GatewayRequestError } from "../errors.js";
import type { LeaseId } from "../modules/market/queries.js";
import type { GatewayAuth } from "./auth.js";
import type { GatewayTarget } from "./provider.js";
import { gatewayCall, gatewayError, gatewayMessage, gatewayRequest } from "./request.js";
import type { LeaseStatus, ProviderStatus, ServiceStatus } from "./types.js";

const leasePath = (l: Pick<LeaseId, "dseq" | "gseq" | "oseq">) => `/lease/${l.dseq}/${l.gseq}/${l.oseq}`;

export interface SendManifestParameters {
  readonly owner: string;
  readonly dseq: string;
  /** The whole manifest, sorted JSON (every provider of a deployment gets every group). */
  readonly manifestJson: string;
  readonly auth: GatewayAuth;
  /**
   * How many times to retry "no lease for deployment": a provider may not have seen the lease yet (Akash's
   * Console retries 3 times, 5 s apart). Default 10, 500 ms apart.
   */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

export async function sendManifest(target: GatewayTarget, params: SendManifestParameters): Promise<void> {
  const retries = params.retries ?? 10;
  for (let attempt = 0; ; attempt++) {
    const response = await gatewayRequest(target, {
      method: "PUT",
      path: `/deployment/${params.dseq}/manifest`,
      body: params.manifestJson,
      auth: params.auth,
      timeoutMs: 120_000,
    });
    if (response.status >= 200 && response.status < 300) return;
    const message = gatewayMessage(response.body);
    if (response.status === 404 && /no lease/.test(message) && attempt < retries) {
      await new Promise((r) => setTimeout(r, params.retryDelayMs ?? 500));
      continue;
    }
    if (response.status === 422) {
      throw new GatewayRequestError(
        target.provider,
        422,
        message,
        "the manifest",
        /version|hash/.test(message)
          ? "The SDL differs from the one on chain: `decloud update DSEQ FILE` puts the new version on chain first."
          : "The provider checked the manifest against the lease and refused it; fix the SDL.",
      );
    }
    throw gatewayError(target, params.owner, response, "the manifest");
  }
}

export interface LeaseRequestParameters {
  readonly owner: string;
  readonly lease: Pick<LeaseId, "dseq" | "gseq" | "oseq">;
  readonly auth: GatewayAuth;
}

export async function getLeaseStatus(
  target: GatewayTarget,
  params: LeaseRequestParameters,
): Promise<LeaseStatus> {
  return gatewayCall<LeaseStatus>(target, params.owner, {
    path: `${leasePath(params.lease)}/status`,
    auth: params.auth,
    what: "the lease status",
  });
}

export async function getServiceStatus(
  target: GatewayTarget,
  params: LeaseRequestParameters & { readonly service: string },
): Promise<ServiceStatus> {
  return gatewayCall<ServiceStatus>(target, params.owner, {
    path: `${leasePath(params.lease)}/service/${encodeURIComponent(params.service)}/status`,
    auth: params.auth,
    what: `the status of ${params.service}`,
  });
}

/** The manifest group the provider runs for the lease (lets a tenant recover its SDL's manifest). */
export async function getLeaseManifest(
  target: GatewayTarget,
  params: LeaseRequestParameters,
): Promise<unknown> {
  return gatewayCall<unknown>(target, params.owner, {
    path: `${leasePath(params.lease)}/manifest`,
    auth: params.auth,
    what: "the lease manifest",
  });
}

/** `GET /status`: public, no credentials. */
export async function getProviderStatus(target: GatewayTarget, timeoutMs = 5_000): Promise<ProviderStatus> {
  const status = await gatewayCall<ProviderStatus | undefined>(target, "", {
    path: "/status",
    what: "its status",
    timeoutMs,
  });
  if (!status || typeof status !== "object") {
    throw new DecloudError(`Provider ${target.provider} answered /status with no status.`);
  }
  return status;
}

export { leasePath };
