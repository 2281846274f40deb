// Who a tenant talks to: a provider's gateway URL (its on-chain `host_uri`) and the TLS certificates it
// published on chain. The gateway serves a self-signed certificate; a tenant trusts it only if it is, byte
// for byte, one the provider published and has not revoked (reference: akash-provider.md §4.1, §9).
import { X509Certificate } from "node:crypto";
import type { PublicClient } from "../connect.js";
import { ProviderCertificateError } from "../errors.js";
import { listCertificates } from "../modules/cert/queries.js";
import { getProvider } from "../modules/provider/queries.js";

export interface GatewayTarget {
  readonly provider: string;
  /** `https://host:port` */
  readonly hostUri: string;
  /** DER of each valid certificate the provider published. */
  readonly certificates: readonly Buffer[];
}

export async function resolveGateway(client: PublicClient, provider: string): Promise<GatewayTarget> {
  const [info, certs] = await Promise.all([
    getProvider(client, { owner: provider }),
    listCertificates(client, { owner: provider, state: "valid" }),
  ]);
  const certificates: Buffer[] = [];
  for (const c of certs) {
    try {
      certificates.push(new X509Certificate(c.cert).raw);
    } catch {
      // A certificate that cannot be read can never match.
    }
  }
  return { provider, hostUri: info.hostUri.replace(/\/+$/, ""), certificates };
}

/** Throws unless the certificate the gateway presented is one the provider published on chain. */
export function verifyGatewayCertificate(target: GatewayTarget, presented: Buffer | undefined): void {
  if (target.certificates.length === 0) {
    throw new ProviderCertificateError(
      target.provider,
      `Provider ${target.provider} has published no valid certificate on chain, so its gateway cannot be trusted.`,
    );
  }
  if (!presented || !target.certificates.some((c) => c.equals(presented))) {
    throw new ProviderCertificateError(
      target.provider,
      `The gateway at ${target.hostUri} presented a certificate that provider ${target.provider} did not publish on chain.`,
    );
  }
}
