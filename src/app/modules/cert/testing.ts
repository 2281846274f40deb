// Test helpers: X.509 certificates built byte by byte, so tests can make the odd ones real tools never
// produce (wrong curve, negative serial, SHA-384, several common names, a key other than the signer's).
import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";

const tlv = (tag: number, content: Uint8Array): Uint8Array => {
  const n = content.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Uint8Array.of(tag, ...length), content]);
};
const seq = (...parts: Uint8Array[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Uint8Array[]) => tlv(0x31, Buffer.concat(parts));

function integer(value: bigint): Uint8Array {
  // Two's complement, minimal length.
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
    const sign = bytes[0]! & 0x80;
    if ((v === 0n && !sign) || (v === -1n && sign)) break;
  }
  return tlv(0x02, Uint8Array.from(bytes));
}

function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const utcTime = (text: string) => tlv(0x17, Buffer.from(text, "ascii"));
const name = (cns: string[]) => seq(...cns.map((cn) => set(seq(oid("2.5.4.3"), utf8(cn)))));

const ALGORITHMS = { sha256: "1.2.840.10045.4.3.2", sha384: "1.2.840.10045.4.3.3" } as const;

function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export interface CertificateSpec {
  commonNames: string[];
  serial: bigint;
  /** The key the certificate certifies (default: the signing key's public half). */
  subjectKey?: KeyObject;
  signingKey: KeyObject;
  hash?: keyof typeof ALGORITHMS;
}

/** A certificate as PEM bytes (the way clients put it in MsgCreateCertificate). */
export function buildCertificate(spec: CertificateSpec): Uint8Array {
  const hash = spec.hash ?? "sha256";
  const algorithm = seq(oid(ALGORITHMS[hash]));
  const subjectKey = spec.subjectKey ?? createPublicKey(spec.signingKey);
  const spki = subjectKey.export({ type: "spki", format: "der" });
  const tbs = seq(
    tlv(0xa0, integer(2n)),
    integer(spec.serial),
    algorithm,
    name(spec.commonNames),
    seq(utcTime("250101000000Z"), utcTime("350101000000Z")),
    name(spec.commonNames),
    spki,
  );
  const signature = sign(hash, tbs, { key: spec.signingKey, dsaEncoding: "der" });
  const cert = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Uint8Array.of(0), signature])));
  return Buffer.from(pem("CERTIFICATE", cert));
}

/** A public key as PEM bytes with Akash's `EC PUBLIC KEY` label (or another). */
export function publicKeyPem(key: KeyObject, label = "EC PUBLIC KEY"): Uint8Array {
  return Buffer.from(pem(label, key.export({ type: "spki", format: "der" })));
}

export function ecKeyPair(namedCurve = "prime256v1") {
  return generateKeyPairSync("ec", { namedCurve });
}
