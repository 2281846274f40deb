// Errors of the cert module, codespace `cert` (reference: akash-chain.md §5.3; chain-sdk
// go/node/cert/v1/errors.go).
import { AppError } from "../../errors.js";

const cert = (code: number) => (message: string) => new AppError("cert", code, message);

export const CertErrors = {
  certificateNotFound: cert(1),
  invalidAddress: cert(2),
  certificateExists: cert(3),
  certificateAlreadyRevoked: cert(4),
  invalidSerialNumber: cert(5),
  invalidCertificateValue: cert(6),
  invalidPubkeyValue: cert(7),
  invalidState: cert(8),
  invalidKeySize: cert(9),
};
