// The tenant's client certificate for mTLS to providers (reference: akash-provider.md §4.2): made by
// chain-sdk's CertificateManager (as Akash's tools make it: P-256, CN = the owner's address), kept in
// `<home>/certs/<address>.pem` (certificate, private key and public key in one file, mode 0600, like Akash's
// `~/.akash/<address>.pem`), and published on chain on first use.
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CertificateManager } from "@akashnetwork/chain-sdk";
import type { WalletClient } from "./connect.js";
import { CertificateError } from "./errors.js";
import { createCertificate } from "./modules/cert/messages.js";
import { listCertificates } from "./modules/cert/queries.js";
import type { TxProgress, TxResult } from "./tx.js";

export interface ClientCertificate {
  readonly owner: string;
  /** PEM */
  readonly cert: string;
  /** PEM (PKCS#8) */
  readonly key: string;
  /** PEM */
  readonly publicKey: string;
  /** Decimal, as the chain keys certificates. */
  readonly serial: string;
  readonly validTo: Date;
  readonly path: string;
}

export function certificatePath(home: string, owner: string): string {
  return join(home, "certs", `${owner}.pem`);
}

const BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----\n?/g;

function parse(owner: string, path: string, text: string): ClientCertificate {
  const blocks = new Map<string, string>();
  for (const m of text.matchAll(BLOCK)) blocks.set(m[1]!, m[0].endsWith("\n") ? m[0] : `${m[0]}\n`);
  const cert = blocks.get("CERTIFICATE");
  const key = blocks.get("PRIVATE KEY");
  // chain-sdk labels it "EC PUBLIC KEY", as Akash's Go tools do.
  const publicKey = blocks.get("EC PUBLIC KEY") ?? blocks.get("PUBLIC KEY");
  if (!cert || !key || !publicKey) {
    throw new CertificateError(
      owner,
      "mismatch",
      `${path} does not hold a certificate, its key and its public key.`,
    );
  }
  const x509 = new X509Certificate(cert);
  return {
    owner,
    cert,
    key,
    publicKey,
    serial: BigInt(`0x${x509.serialNumber}`).toString(),
    validTo: new Date(x509.validTo),
    path,
  };
}

/** The certificate kept for `owner` in `home`, if there is one. */
export async function loadCertificate(home: string, owner: string): Promise<ClientCertificate | undefined> {
  const path = certificatePath(home, owner);
  if (!existsSync(path)) return undefined;
  return parse(owner, path, await readFile(path, "utf8"));
}

/** Makes a new certificate for `owner` and keeps it (replacing any other). */
export async function generateCertificate(home: string, owner: string): Promise<ClientCertificate> {
  const pem = await new CertificateManager().generatePEM(owner);
  const path = certificatePath(home, owner);
  await mkdir(join(home, "certs"), { recursive: true, mode: 0o700 });
  const text = [pem.cert, pem.privateKey, pem.publicKey]
    .map((p) => (p.endsWith("\n") ? p : `${p}\n`))
    .join("");
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
  return parse(owner, path, text);
}

export interface EnsureCertificateParameters {
  readonly home: string;
  readonly owner: string;
  readonly fromLabel?: string;
  /** Make a new one even if one is kept (after a revocation or expiry). */
  readonly renew?: boolean;
  readonly onProgress?: (progress: TxProgress) => void;
}

export interface EnsureCertificateReturnType {
  readonly certificate: ClientCertificate;
  /** The transaction that published it, when this call did. */
  readonly published: TxResult | undefined;
  readonly created: boolean;
}

/**
 * A certificate that providers accept: the kept one, published on this chain if it is not yet (a new chain
 * or a reset devnet); a new one, made and published, if none is kept. An expired or revoked certificate is
 * an error that says how to replace it, unless `renew`.
 */
export async function ensureCertificate(
  client: WalletClient,
  params: EnsureCertificateParameters,
): Promise<EnsureCertificateReturnType> {
  const { home, owner } = params;
  let certificate = params.renew ? undefined : await loadCertificate(home, owner);
  let created = false;
  if (!certificate) {
    certificate = await generateCertificate(home, owner);
    created = true;
  }
  if (certificate.validTo <= new Date()) {
    throw new CertificateError(
      owner,
      "expired",
      `Your client certificate ${certificate.serial} expired on ${certificate.validTo.toISOString().slice(0, 10)}.`,
    );
  }
  const onChain = (await listCertificates(client, { owner })).find((c) => c.serial === certificate.serial);
  if (onChain?.state === "revoked") {
    throw new CertificateError(
      owner,
      "revoked",
      `Your client certificate ${certificate.serial} was revoked on chain.`,
    );
  }
  if (onChain) return { certificate, published: undefined, created };
  const published = await createCertificate(client, {
    from: owner,
    fromLabel: params.fromLabel,
    cert: certificate.cert,
    publicKey: certificate.publicKey,
    onProgress: params.onProgress,
  });
  return { certificate, published, created };
}
