// Validation of a certificate and its public key before they go on chain (reference: akash-chain.md §5.3;
// chain-sdk ParseAndValidateCertificate):
// - `pubkey` is one PEM block labelled `EC PUBLIC KEY` (Akash's own label) holding a PKIX ECDSA key on a curve
//   Go supports (P-224, P-256, P-384, P-521);
// - `cert` is one PEM block `CERTIFICATE`, an X.509 certificate whose signature verifies with that key as
//   ECDSA over SHA-256 of the to-be-signed bytes (self-signed);
// - its subject common name is the owner's address.
// DeCloud also requires the certificate to certify that same key (Akash does not check it; every Akash tool
// produces such certificates), and refuses negative serials as Go ≥ 1.23 does. Validity dates are not checked
// on chain. Returns the serial number, the certificate's id under its owner.
import { createPublicKey, type KeyObject, verify, X509Certificate } from "node:crypto";
import { fromBech32Address } from "../../../crypto/address.js";
import { CertErrors } from "./errors.js";
import { decodePem } from "./pem.js";

export const PUBKEY_PEM_TYPE = "EC PUBLIC KEY";
export const CERTIFICATE_PEM_TYPE = "CERTIFICATE";

/** Curves of Go's crypto/x509 (ParsePKIXPublicKey), by OpenSSL name. */
const GO_CURVES = new Set(["secp224r1", "prime256v1", "secp384r1", "secp521r1"]);

function parsePubkey(pem: Uint8Array): KeyObject {
  const fail = (why: string) => CertErrors.invalidPubkeyValue(`invalid public key: ${why}`);
  const block = decodePem(pem);
  if (!block) throw fail("expected exactly one PEM block");
  if (block.type !== PUBKEY_PEM_TYPE) throw fail(`PEM block is ${block.type}, expected ${PUBKEY_PEM_TYPE}`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(block.der), format: "der", type: "spki" });
  } catch (e) {
    throw fail(`not a PKIX public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== "ec") throw fail(`${key.asymmetricKeyType} key, expected ECDSA`);
  const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
  if (!GO_CURVES.has(curve)) throw fail(`unsupported elliptic curve ${curve}`);
  return key;
}

/** A DER element's header: where its contents start and how long they are. */
function derElement(der: Uint8Array, at: number): { contents: number; end: number } {
  const first = der[at + 1];
  if (first === undefined) throw new Error("truncated DER");
  let length = first;
  let contents = at + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) throw new Error("unsupported DER length");
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[contents + i]!;
    contents += octets;
  }
  const end = contents + length;
  if (end > der.length) throw new Error("truncated DER");
  return { contents, end };
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
function splitCertificate(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  const outer = derElement(der, 0);
  const tbs = derElement(der, outer.contents);
  const algorithm = derElement(der, tbs.end);
  const bits = derElement(der, algorithm.end);
  if (der[algorithm.end] !== 0x03 || der[bits.contents] !== 0) throw new Error("malformed signature");
  return {
    tbs: der.subarray(outer.contents, tbs.end),
    signature: der.subarray(bits.contents + 1, bits.end),
  };
}

/** The last CN of the subject, as Go's pkix.Name.CommonName (Node prints one attribute per line). */
function commonName(cert: X509Certificate): string | undefined {
  // Node leaves `subject` undefined for an empty subject, whatever its typings say.
  const subject: string = cert.subject ?? "";
  const names = subject.split("\n").filter((line) => line.startsWith("CN="));
  return names.at(-1)?.slice(3);
}

export function parseAndValidateCertificate(
  owner: Uint8Array,
  certPem: Uint8Array,
  pubkeyPem: Uint8Array,
): bigint {
  const key = parsePubkey(pubkeyPem);
  const fail = (why: string) => CertErrors.invalidCertificateValue(`invalid certificate: ${why}`);
  const block = decodePem(certPem);
  if (!block) throw fail("expected exactly one PEM block");
  if (block.type !== CERTIFICATE_PEM_TYPE) {
    throw fail(`PEM block is ${block.type}, expected ${CERTIFICATE_PEM_TYPE}`);
  }
  let cert: X509Certificate;
  let parts: { tbs: Uint8Array; signature: Uint8Array };
  try {
    cert = new X509Certificate(Buffer.from(block.der));
    parts = splitCertificate(block.der);
  } catch (e) {
    throw fail(`not an X.509 certificate (${(e as Error).message})`);
  }
  if (!verify("sha256", parts.tbs, { key, dsaEncoding: "der" }, parts.signature)) {
    throw fail("its signature does not verify with the given public key");
  }
  if (!cert.publicKey.equals(key)) throw fail("it certifies a different key than the given public key");
  const cn = commonName(cert) ?? "";
  let cnAddress: Uint8Array;
  try {
    cnAddress = fromBech32Address(cn);
  } catch (e) {
    throw fail(`common name ${JSON.stringify(cn)} is not an account address (${(e as Error).message})`);
  }
  if (Buffer.compare(cnAddress, owner) !== 0) {
    throw fail(`common name ${cn} does not match the owner`);
  }
  if (cert.serialNumber.startsWith("-")) throw fail("negative serial number");
  return BigInt(`0x${cert.serialNumber}`);
}
