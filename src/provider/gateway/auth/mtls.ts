// mTLS authentication (reference: akash-provider.md §4.2): the client certificate's subject and issuer CN are
// the owner's address, it is within its validity, and it is, byte for byte, a certificate the owner
// published on chain and has not revoked. Full access to the owner's leases.
import { X509Certificate } from "node:crypto";
import type { ChainCertificate } from "../../chain/chain.js";
import { AuthError } from "./errors.js";
import type { Grant } from "./scope.js";

function commonName(dn: string): string | undefined {
  return dn
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith("CN="))
    ?.slice(3);
}

export async function verifyClientCertificate(
  der: Buffer,
  certificates: (owner: string) => Promise<ChainCertificate[]>,
  now = new Date(),
): Promise<Grant> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new AuthError(401, "invalid client certificate");
  }
  const owner = commonName(cert.subject);
  if (!owner || commonName(cert.issuer) !== owner) {
    throw new AuthError(401, "client certificate's subject and issuer must both be the owner's address");
  }
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
    throw new AuthError(401, "client certificate has expired or is not valid yet");
  }
  const serial = BigInt(`0x${cert.serialNumber}`).toString();
  const onChain = (await certificates(owner)).find((c) => c.serial === serial);
  if (!onChain) throw new AuthError(401, `certificate ${serial} of ${owner} is not on chain`);
  if (onChain.state !== "valid") throw new AuthError(401, `certificate ${serial} of ${owner} is revoked`);
  let published: X509Certificate;
  try {
    published = new X509Certificate(onChain.cert);
  } catch {
    throw new AuthError(401, "the certificate on chain cannot be read");
  }
  if (!published.raw.equals(cert.raw)) {
    throw new AuthError(401, "client certificate differs from the one published on chain");
  }
  return { owner, method: "mtls" };
}
