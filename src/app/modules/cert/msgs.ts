// akash.cert.v1.Msg: create and revoke certificates. No events, as in Akash (reference: akash-chain.md
// §5.3, §1.4).
import {
  MsgCreateCertificate,
  MsgCreateCertificateResponse,
  MsgRevokeCertificate,
  MsgRevokeCertificateResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { defineMsg } from "../../module.js";
import { msgResponse, requireAddress } from "../chain-sdk.js";
import { CertErrors } from "./errors.js";
import type { CertKeeper } from "./keeper.js";
import { parseSerial } from "./serial.js";
import { parseAndValidateCertificate } from "./x509.js";

function revokedSerial(msg: MsgRevokeCertificate): bigint {
  const serial = parseSerial(msg.id?.serial ?? "");
  if (serial === undefined) {
    throw CertErrors.invalidSerialNumber(
      `invalid serial number ${JSON.stringify(msg.id?.serial ?? "")}: expected a base-10 integer`,
    );
  }
  return serial;
}

export function certMsgs(keeper: CertKeeper) {
  return [
    defineMsg({
      typeUrl: `/${MsgCreateCertificate.$type}`,
      codec: MsgCreateCertificate,
      signers: (msg) => [msg.owner],
      validateBasic(msg) {
        const owner = requireAddress(msg.owner, "owner", CertErrors.invalidAddress);
        parseAndValidateCertificate(owner, msg.cert, msg.pubkey);
      },
      handle(ctx, msg) {
        keeper.create(ctx, msg.owner, msg.cert, msg.pubkey);
        return msgResponse(MsgCreateCertificateResponse, {});
      },
    }),
    defineMsg({
      typeUrl: `/${MsgRevokeCertificate.$type}`,
      codec: MsgRevokeCertificate,
      // The signer is nested in the id (chain-sdk registers a custom GetSigners for it; reference §1.5).
      signers: (msg) => [msg.id?.owner ?? ""],
      validateBasic(msg) {
        requireAddress(msg.id?.owner ?? "", "owner", CertErrors.invalidAddress);
        revokedSerial(msg);
      },
      handle(ctx, msg) {
        keeper.revoke(ctx, msg.id!.owner, revokedSerial(msg));
        return msgResponse(MsgRevokeCertificateResponse, {});
      },
    }),
  ];
}
