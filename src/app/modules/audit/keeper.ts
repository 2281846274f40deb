// Attributes that auditors vouch for, one record per (provider, auditor), stored as the
// `akash.audit.v1.AuditedProvider` protobuf under 0x01 | len(owner) | owner | len(auditor) | auditor
// (reference: akash-chain.md §5.2). An index 0x02 | len(auditor) | auditor | len(owner) | owner lets
// AuditorAttributes list one auditor's records (Akash's lists every record instead).
import type { Attribute } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { AuditedProvider } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { fromBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { prefixEnd } from "../../pagination.js";
import { AuditErrors } from "./errors.js";
import { auditEvents } from "./events.js";

export const AUDIT_STORE = "audit";
export const RECORD_PREFIX = 0x01;
export const AUDITOR_INDEX_PREFIX = 0x02;
/** Index entries need a value (the store refuses empty ones); the key says everything. */
const PRESENT = Uint8Array.of(1);

function lengthPrefixed(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const key = new Uint8Array(1 + parts.reduce((n, p) => n + 1 + p.length, 0));
  key[0] = prefix;
  let at = 1;
  for (const p of parts) {
    key[at] = p.length;
    key.set(p, at + 1);
    at += 1 + p.length;
  }
  return key;
}

/** The prefix of every record about one provider. */
export const providerRecordsPrefix = (owner: string) =>
  lengthPrefixed(RECORD_PREFIX, fromBech32Address(owner));
/** The prefix of one auditor's index entries. */
export const auditorIndexPrefix = (auditor: string) =>
  lengthPrefixed(AUDITOR_INDEX_PREFIX, fromBech32Address(auditor));

const recordKey = (owner: string, auditor: string) =>
  lengthPrefixed(RECORD_PREFIX, fromBech32Address(owner), fromBech32Address(auditor));
const indexKey = (owner: string, auditor: string) =>
  lengthPrefixed(AUDITOR_INDEX_PREFIX, fromBech32Address(auditor), fromBech32Address(owner));

/** The record key an auditor-index key points at (both hold the same two length-prefixed addresses). */
export function recordKeyOfIndexKey(indexKey: Uint8Array): Uint8Array {
  const auditorLength = indexKey[1]!;
  const auditor = indexKey.subarray(2, 2 + auditorLength);
  const owner = indexKey.subarray(3 + auditorLength, 3 + auditorLength + indexKey[2 + auditorLength]!);
  return lengthPrefixed(RECORD_PREFIX, owner, auditor);
}

/** Attributes ordered by key, as Akash keeps audited ones. */
export const sortedByKey = (attributes: readonly Attribute[]): Attribute[] =>
  [...attributes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** `owner` and `auditor` arguments are bech32 account addresses; a malformed one throws. */
export class AuditKeeper {
  /**
   * Every auditor's record about provider `owner`, in auditor-address order (empty when none): what the
   * market checks against an order's `signed_by`.
   */
  getProviderAttributes(ctx: Context, owner: string): AuditedProvider[] {
    const prefix = providerRecordsPrefix(owner);
    return [...ctx.kv(AUDIT_STORE).iterator(prefix, prefixEnd(prefix))].map(([, v]) =>
      AuditedProvider.decode(v),
    );
  }

  /** What `auditor` vouches for about provider `owner`, if anything. */
  getProviderAuditorAttributes(ctx: Context, owner: string, auditor: string): AuditedProvider | undefined {
    const bytes = ctx.kv(AUDIT_STORE).get(recordKey(owner, auditor));
    return bytes ? AuditedProvider.decode(bytes) : undefined;
  }

  /**
   * Signs attributes: merged into the auditor's record for the provider (a signed key takes the new value),
   * kept sorted by key. The provider need not be registered (reference §5.2).
   */
  signProviderAttributes(
    ctx: Context,
    owner: string,
    auditor: string,
    attributes: readonly Attribute[],
  ): AuditedProvider {
    const merged = new Map(
      (this.getProviderAuditorAttributes(ctx, owner, auditor)?.attributes ?? []).map((a) => [a.key, a.value]),
    );
    for (const a of attributes) merged.set(a.key, a.value);
    const record = {
      owner,
      auditor,
      attributes: sortedByKey([...merged].map(([key, value]) => ({ key, value }))),
    };
    this.set(ctx, record);
    auditEvents.signed(ctx, owner, auditor);
    return record;
  }

  /**
   * Withdraws the auditor's signature on `keys`, or on everything when `keys` is empty. Every key must be
   * signed (ErrAttributeNotFound); a record left with no attributes is removed.
   */
  deleteProviderAttributes(ctx: Context, owner: string, auditor: string, keys: readonly string[]): void {
    const record = this.getProviderAuditorAttributes(ctx, owner, auditor);
    if (!record) {
      throw AuditErrors.providerNotFound(`auditor ${auditor} has signed no attributes of provider ${owner}`);
    }
    const remaining = new Map(record.attributes.map((a) => [a.key, a.value]));
    for (const key of keys) {
      if (!remaining.delete(key)) {
        throw AuditErrors.attributeNotFound(
          `auditor ${auditor} has not signed attribute ${JSON.stringify(key)} of provider ${owner}`,
        );
      }
    }
    if (keys.length === 0 || remaining.size === 0) this.remove(ctx, owner, auditor);
    else {
      this.set(ctx, {
        owner,
        auditor,
        attributes: record.attributes.filter((a) => remaining.has(a.key)),
      });
    }
    auditEvents.deleted(ctx, owner, auditor);
  }

  /** Writes a record and its index entry without checks or events (genesis import). */
  set(ctx: Context, record: AuditedProvider): void {
    const store = ctx.kv(AUDIT_STORE);
    store.set(recordKey(record.owner, record.auditor), AuditedProvider.encode(record).finish());
    store.set(indexKey(record.owner, record.auditor), PRESENT);
  }

  private remove(ctx: Context, owner: string, auditor: string): void {
    const store = ctx.kv(AUDIT_STORE);
    store.delete(recordKey(owner, auditor));
    store.delete(indexKey(owner, auditor));
  }

  /** Every record, ordered by provider then auditor address. */
  *all(ctx: Context): Generator<AuditedProvider> {
    const store = ctx.kv(AUDIT_STORE);
    for (const [, value] of store.iterator(Uint8Array.of(RECORD_PREFIX), Uint8Array.of(RECORD_PREFIX + 1))) {
      yield AuditedProvider.decode(value);
    }
  }
}
