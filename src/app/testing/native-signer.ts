// Fast transaction signing for benchmarks and stress tests, with the native secp256k1 binding and
// deterministic keys. (Tests of client compatibility sign with cosmjs instead: see harness.ts.)
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { pubkeyToAddressBytes, toBech32Address } from "../../crypto/address.js";

interface NativeSecp256k1 {
  publicKeyCreate(priv: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, priv: Uint8Array): { signature: Uint8Array };
}
const secp = createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp256k1;

export interface NativeSender {
  priv: Uint8Array;
  pubkey: Uint8Array;
  address: string;
  accountNumber: bigint;
  sequence: bigint;
}

/** `count` senders with keys derived from a label; account numbers assume they are genesis accounts in order. */
export function makeSenders(count: number, label = "decloud-bench"): NativeSender[] {
  return Array.from({ length: count }, (_, i) => {
    const priv = createHash("sha256").update(`${label}-${i}`).digest();
    const pubkey = secp.publicKeyCreate(priv, true);
    return {
      priv,
      pubkey,
      address: toBech32Address(pubkeyToAddressBytes(pubkey)),
      accountNumber: BigInt(i),
      sequence: 0n,
    };
  });
}

/** A signed MsgSend of `amount` uakt, paying the default 5000uakt fee for 200k gas; bumps the sender's sequence. */
export function signSend(s: NativeSender, to: string, chainId: string, amount = "1"): Uint8Array {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({
      messages: [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgSend",
          value: MsgSend.encode({
            fromAddress: s.address,
            toAddress: to,
            amount: [{ denom: "uakt", amount }],
          }).finish(),
        },
      ],
    }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: {
            typeUrl: "/cosmos.crypto.secp256k1.PubKey",
            value: PubKey.encode({ key: s.pubkey }).finish(),
          },
          modeInfo: { single: { mode: 1 } },
          sequence: s.sequence,
        },
      ],
      fee: { amount: [{ denom: "uakt", amount: "5000" }], gasLimit: 200_000n },
    }),
  ).finish();
  const signBytes = SignDoc.encode({
    bodyBytes,
    authInfoBytes,
    chainId,
    accountNumber: s.accountNumber,
  }).finish();
  const { signature } = secp.ecdsaSign(createHash("sha256").update(signBytes).digest(), s.priv);
  s.sequence++;
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

export function fundedGenesis(senders: NativeSender[], amount = "1000000000000") {
  return {
    bank: { balances: senders.map((s) => ({ address: s.address, coins: [{ denom: "uakt", amount }] })) },
  };
}
