// Errors of the audit module, codespace `audit` (chain-sdk go/node/audit/v1/errors.go).
import { AppError } from "../../errors.js";

const audit = (code: number) => (message: string) => new AppError("audit", code, message);

export const AuditErrors = {
  providerNotFound: audit(1),
  invalidAddress: audit(2),
  attributeNotFound: audit(3),
};
