// Market errors, codespace `market`, numbered as Akash registers them (reference: akash-chain.md §3.10).
import { AppError } from "../../errors.js";

const market = (code: number) => (message: string) => new AppError("market", code, message);

export const MarketErrors = {
  emptyProvider: market(1),
  sameAccount: market(2),
  attributeMismatch: market(5),
  unknownBid: market(6),
  unknownLease: market(7),
  unknownLeaseForBid: market(8),
  unknownOrderForBid: market(9),
  leaseNotActive: market(10),
  bidNotActive: market(11),
  bidNotOpen: market(12),
  orderNotOpen: market(13),
  orderNotFound: market(15),
  groupNotFound: market(16),
  groupNotOpen: market(17),
  bidNotFound: market(18),
  bidZeroPrice: market(19),
  leaseNotFound: market(20),
  bidExists: market(21),
  bidInvalidPrice: market(22),
  orderActive: market(23),
  orderClosed: market(24),
  invalidDeposit: market(28),
  invalidParam: market(29),
  unknownProvider: market(30),
  invalidBid: market(31),
  capabilitiesMismatch: market(32),
  invalidLeaseClosedReason: market(33),
};
