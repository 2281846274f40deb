// Escrow identifiers: an account per deployment and per bid, a payment per lease, and their string keys.
// reference: akash-chain.md §4.1.
import { Scope } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { isValidAddress } from "../../../crypto/address.js";
import { EscrowErrors } from "./errors.js";

export { Scope };

export interface AccountId {
  scope: Scope;
  xid: string;
}

export interface PaymentId {
  aid: AccountId | undefined;
  xid: string;
}

/** The parts of a lease (or bid) id that escrow ids are made of. */
export interface LeaseRef {
  owner: string;
  dseq: bigint;
  gseq: number;
  oseq: number;
  provider: string;
}

export function scopeName(scope: Scope): string {
  switch (scope) {
    case Scope.deployment:
      return "deployment";
    case Scope.bid:
      return "bid";
    default:
      throw EscrowErrors.invalidId(`invalid escrow scope ${scope}`);
  }
}

/** `deployment/<owner>/<dseq>` or `bid/<owner>/<dseq>/<gseq>/<oseq>/<provider>`. */
export function accountKey(id: AccountId): string {
  return `${scopeName(id.scope)}/${id.xid}`;
}

/** `<account key>/<gseq>/<oseq>/<provider>`. */
export function paymentKey(id: PaymentId): string {
  if (!id.aid) throw EscrowErrors.invalidId("payment id has no account");
  return `${accountKey(id.aid)}/${id.xid}`;
}

export function deploymentAccountId(owner: string, dseq: bigint): AccountId {
  return { scope: Scope.deployment, xid: `${owner}/${dseq}` };
}

/** A bid's escrow account holds the provider's bid deposit; there is no bseq in it (§4.1). */
export function bidAccountId(bid: LeaseRef): AccountId {
  return { scope: Scope.bid, xid: `${bid.owner}/${bid.dseq}/${bid.gseq}/${bid.oseq}/${bid.provider}` };
}

export function leasePaymentId(lease: LeaseRef): PaymentId {
  return {
    aid: deploymentAccountId(lease.owner, lease.dseq),
    xid: `${lease.gseq}/${lease.oseq}/${lease.provider}`,
  };
}

/** The deployment a deployment-scope account belongs to; undefined for other scopes. */
export function deploymentOfAccount(id: AccountId): { owner: string; dseq: bigint } | undefined {
  if (id.scope !== Scope.deployment) return undefined;
  const [owner, dseq] = id.xid.split("/");
  return { owner: owner!, dseq: BigInt(dseq!) };
}

/** The lease a payment is for: the deployment of its account, and gseq/oseq/provider from its xid. */
export function leaseOfPayment(id: PaymentId): LeaseRef {
  const deployment = deploymentOfAccount(id.aid!)!;
  const [gseq, oseq, provider] = id.xid.split("/");
  return { ...deployment, gseq: Number(gseq), oseq: Number(oseq), provider: provider! };
}

const SEQ = /^[1-9][0-9]*$/;

function checkSeq(text: string | undefined, what: string, max: bigint, xid: string): void {
  if (text === undefined || !SEQ.test(text) || BigInt(text) > max) {
    throw EscrowErrors.invalidId(`invalid ${what} "${text ?? ""}" in escrow id "${xid}"`);
  }
}

function checkAddress(text: string | undefined, what: string, xid: string): void {
  if (text === undefined || !isValidAddress(text)) {
    throw EscrowErrors.invalidId(`invalid ${what} address "${text ?? ""}" in escrow id "${xid}"`);
  }
}

const U64 = 2n ** 64n - 1n;
const U32 = 2n ** 32n - 1n;

/** The shape of an account id's xid for its scope (escrow id.v1 ValidateBasic). */
export function validateAccountId(id: AccountId | undefined): AccountId {
  if (!id) throw EscrowErrors.invalidId("escrow account id is missing");
  const parts = id.xid.split("/");
  if (id.scope === Scope.deployment) {
    if (parts.length !== 2)
      throw EscrowErrors.invalidId(`deployment escrow id "${id.xid}" is not <owner>/<dseq>`);
    checkAddress(parts[0], "owner", id.xid);
    checkSeq(parts[1], "dseq", U64, id.xid);
  } else if (id.scope === Scope.bid) {
    if (parts.length !== 5) {
      throw EscrowErrors.invalidId(
        `bid escrow id "${id.xid}" is not <owner>/<dseq>/<gseq>/<oseq>/<provider>`,
      );
    }
    checkAddress(parts[0], "owner", id.xid);
    checkSeq(parts[1], "dseq", U64, id.xid);
    checkSeq(parts[2], "gseq", U32, id.xid);
    checkSeq(parts[3], "oseq", U32, id.xid);
    checkAddress(parts[4], "provider", id.xid);
  } else {
    throw EscrowErrors.invalidId(`invalid escrow scope ${id.scope}: expected deployment or bid`);
  }
  return id;
}
