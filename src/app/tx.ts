// Decoding of Cosmos transactions (reference: cometbft-cosmos.md §3.1–3.3). The body and auth info are
// decoded from the exact bytes embedded in TxRaw, because signatures are over those bytes.
import { hash as digest } from "node:crypto";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Errors } from "./errors.js";
import type { MsgDefinition } from "./module.js";

export interface DecodedMsg {
  typeUrl: string;
  msg: unknown;
  def: MsgDefinition<unknown>;
}

export interface DecodedTx {
  bytes: Uint8Array;
  /** SHA-256 of the bytes as broadcast: the tx hash CometBFT and cosmjs use (§3.2). */
  hash: Uint8Array;
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
  msgs: DecodedMsg[];
  /** The distinct signer addresses in order of first appearance across messages. */
  signers: string[];
}

export function txHash(bytes: Uint8Array): Uint8Array {
  return digest("sha256", bytes, "buffer");
}

function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    throw Errors.txDecode(`failed to decode ${what}: ${(e as Error).message}: tx parse error`);
  }
}

export function decodeTx(
  bytes: Uint8Array,
  lookup: (typeUrl: string) => MsgDefinition<unknown> | undefined,
  hash = txHash(bytes),
): DecodedTx {
  if (bytes.length === 0) throw Errors.txDecode("tx bytes are empty: tx parse error");
  const raw = decodeOrThrow("TxRaw", () => TxRaw.decode(bytes));
  const body = decodeOrThrow("TxBody", () => TxBody.decode(raw.bodyBytes));
  const authInfo = decodeOrThrow("AuthInfo", () => AuthInfo.decode(raw.authInfoBytes));
  if (body.messages.length === 0) throw Errors.invalidRequest("must contain at least one message");
  const msgs = body.messages.map((any) => {
    const def = lookup(any.typeUrl);
    if (!def) throw Errors.txDecode(`unable to resolve type URL ${any.typeUrl}: tx parse error`);
    const msg = decodeOrThrow(any.typeUrl, () => def.codec.decode(any.value));
    return { typeUrl: any.typeUrl, msg, def };
  });
  const signers: string[] = [];
  for (const m of msgs) for (const s of m.def.signers(m.msg)) if (!signers.includes(s)) signers.push(s);
  return { bytes, hash, raw, body, authInfo, msgs, signers };
}
