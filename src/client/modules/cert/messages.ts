// Certificate messages (akash.cert.v1.Msg): publish a certificate (PEM bytes, as Akash's CLI sends them) and
// revoke one by serial.
import { MsgCreateCertificate, MsgRevokeCertificate } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { WalletClient } from "../../connect.js";
import { type SignAndBroadcastParameters, signAndBroadcast, type TxResult } from "../../tx.js";

type TxParameters = Omit<SignAndBroadcastParameters, "messages" | "spend" | "spendLabel">;

export interface CreateCertificateParameters extends TxParameters {
  /** The certificate, PEM. */
  readonly cert: string;
  /** Its public key, PEM. */
  readonly publicKey: string;
}

export function createCertificate(
  client: WalletClient,
  params: CreateCertificateParameters,
): Promise<TxResult> {
  const { cert, publicKey, ...rest } = params;
  const value = MsgCreateCertificate.fromPartial({
    owner: rest.from,
    cert: new TextEncoder().encode(cert),
    pubkey: new TextEncoder().encode(publicKey),
  });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.cert.v1.MsgCreateCertificate", value }],
  });
}

export interface RevokeCertificateParameters extends TxParameters {
  /** Decimal serial. */
  readonly serial: string;
}

export function revokeCertificate(
  client: WalletClient,
  params: RevokeCertificateParameters,
): Promise<TxResult> {
  const { serial, ...rest } = params;
  const value = MsgRevokeCertificate.fromPartial({ id: { owner: rest.from, serial } });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.cert.v1.MsgRevokeCertificate", value }],
  });
}
