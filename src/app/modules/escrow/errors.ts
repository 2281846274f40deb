// Escrow errors, codespace `escrow`, numbered as Akash registers them (reference: akash-chain.md §4.9), and
// the errors of deposits (codespace `akash`, §1.6) that deployment, market and escrow messages share.
import { AppError } from "../../errors.js";

const escrow = (code: number) => (message: string) => new AppError("escrow", code, message);

export const EscrowErrors = {
  accountExists: escrow(1),
  accountClosed: escrow(2),
  accountNotFound: escrow(3),
  accountOverdrawn: escrow(4),
  invalidDenomination: escrow(5),
  paymentExists: escrow(6),
  paymentClosed: escrow(7),
  paymentNotFound: escrow(8),
  paymentRateZero: escrow(9),
  invalidPayment: escrow(10),
  invalidId: escrow(12),
  invalidAccount: escrow(13),
  invalidDeposit: escrow(16),
};

export const DepositErrors = {
  invalidSource: (message: string) => new AppError("akash", 4, message),
};
