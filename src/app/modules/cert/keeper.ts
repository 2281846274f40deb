// Certificates, one per (owner, serial), stored as the `akash.cert.v1.Certificate` protobuf (state, PEM
// certificate, PEM public key) under 0x01 | len(owner) | owner | len(serial) | serial, the serial as
// big-endian bytes without leading zeros (Go's big.Int.Bytes); the length byte orders an owner's
// certificates by serial. Revoking changes the state in place.
import { Cert_State, Certificate } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { fromBech32Address, toBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { CertErrors } from "./errors.js";
import { parseAndValidateCertificate } from "./x509.js";

export const CERT_STORE = "cert";
export const CERT_PREFIX = 0x01;

export function serialBytes(serial: bigint): Uint8Array {
  if (serial === 0n) return new Uint8Array();
  const hex = serial.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
}

/** The prefix of every certificate of one owner. */
export function ownerPrefix(owner: Uint8Array): Uint8Array {
  const key = new Uint8Array(2 + owner.length);
  key[0] = CERT_PREFIX;
  key[1] = owner.length;
  key.set(owner, 2);
  return key;
}

export function certificateKey(owner: Uint8Array, serial: bigint): Uint8Array {
  const prefix = ownerPrefix(owner);
  const s = serialBytes(serial);
  const key = new Uint8Array(prefix.length + 1 + s.length);
  key.set(prefix);
  key[prefix.length] = s.length;
  key.set(s, prefix.length + 1);
  return key;
}

export function parseCertificateKey(key: Uint8Array): { owner: string; serial: bigint } {
  const ownerEnd = 2 + key[1]!;
  const s = key.subarray(ownerEnd + 1, ownerEnd + 1 + key[ownerEnd]!);
  return {
    owner: toBech32Address(key.subarray(2, ownerEnd)),
    serial: s.length === 0 ? 0n : BigInt(`0x${Buffer.from(s).toString("hex")}`),
  };
}

export interface StoredCertificate {
  owner: string;
  serial: bigint;
  certificate: Certificate;
}

const describe = (owner: string, serial: bigint) => `certificate ${owner}/${serial}`;

/** `owner` arguments are bech32 account addresses; a malformed one throws. */
export class CertKeeper {
  get(ctx: Context, owner: string, serial: bigint): Certificate | undefined {
    const bytes = ctx.kv(CERT_STORE).get(certificateKey(fromBech32Address(owner), serial));
    return bytes ? Certificate.decode(bytes) : undefined;
  }

  /** Whether `owner`'s certificate `serial` is on chain and not revoked: what a provider accepts for mTLS. */
  isValid(ctx: Context, owner: string, serial: bigint): boolean {
    return this.get(ctx, owner, serial)?.state === Cert_State.valid;
  }

  /**
   * Validates and stores a certificate as `valid`; returns its serial. A serial is used once per owner:
   * a revoked certificate cannot come back (ErrCertificateExists).
   */
  create(ctx: Context, owner: string, cert: Uint8Array, pubkey: Uint8Array): bigint {
    const ownerBytes = fromBech32Address(owner);
    const serial = parseAndValidateCertificate(ownerBytes, cert, pubkey);
    const key = certificateKey(ownerBytes, serial);
    const existing = ctx.kv(CERT_STORE).get(key);
    if (existing) {
      const state = Cert_State[Certificate.decode(existing).state];
      throw CertErrors.certificateExists(`${describe(owner, serial)} already exists (${state})`);
    }
    ctx.kv(CERT_STORE).set(key, Certificate.encode({ state: Cert_State.valid, cert, pubkey }).finish());
    return serial;
  }

  revoke(ctx: Context, owner: string, serial: bigint): void {
    const certificate = this.get(ctx, owner, serial);
    if (!certificate) throw CertErrors.certificateNotFound(`${describe(owner, serial)} not found`);
    if (certificate.state === Cert_State.revoked) {
      throw CertErrors.certificateAlreadyRevoked(`${describe(owner, serial)} is already revoked`);
    }
    this.set(ctx, owner, serial, { ...certificate, state: Cert_State.revoked });
  }

  /** Writes a certificate without checks (genesis import). */
  set(ctx: Context, owner: string, serial: bigint, certificate: Certificate): void {
    ctx
      .kv(CERT_STORE)
      .set(certificateKey(fromBech32Address(owner), serial), Certificate.encode(certificate).finish());
  }

  /** Every certificate, ordered by owner address then serial. */
  *all(ctx: Context): Generator<StoredCertificate> {
    const store = ctx.kv(CERT_STORE);
    for (const [key, value] of store.iterator(Uint8Array.of(CERT_PREFIX), Uint8Array.of(CERT_PREFIX + 1))) {
      yield { ...parseCertificateKey(key), certificate: Certificate.decode(value) };
    }
  }
}
