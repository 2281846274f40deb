// The provider's TLS identity: a self-signed certificate whose CN is the provider's address, made by
// chain-sdk's CertificateManager (as Akash's tools make theirs), served by the gateway and published on chain
// (reference: akash-provider.md §4.1, §6.0). Kept in the provider's directory and reused across restarts: a
// new certificate on every start is a known Akash annoyance (landscape.md T9).
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CertificateManager } from "@akashnetwork/chain-sdk";

export interface ProviderTls {
  readonly cert: string;
  readonly key: string;
  readonly publicKey: string;
}

function commonName(cert: string): string | undefined {
  return new X509Certificate(cert).subject.match(/CN=([^\n]+)/)?.[1];
}

/** The certificate in `dir`, made for `address` if there is none (or it is another address's, or expired). */
export async function ensureProviderTls(dir: string, address: string): Promise<ProviderTls> {
  const paths = { cert: join(dir, "tls.crt"), key: join(dir, "tls.key"), publicKey: join(dir, "tls.pub") };
  if (existsSync(paths.cert) && existsSync(paths.key) && existsSync(paths.publicKey)) {
    const cert = readFileSync(paths.cert, "utf8");
    const valid = new Date(new X509Certificate(cert).validTo) > new Date();
    if (valid && commonName(cert) === address) {
      return { cert, key: readFileSync(paths.key, "utf8"), publicKey: readFileSync(paths.publicKey, "utf8") };
    }
  }
  const pem = await new CertificateManager().generatePEM(address);
  writeFileSync(paths.cert, pem.cert);
  writeFileSync(paths.key, pem.privateKey, { mode: 0o600 });
  writeFileSync(paths.publicKey, pem.publicKey);
  return { cert: pem.cert, key: pem.privateKey, publicKey: pem.publicKey };
}
