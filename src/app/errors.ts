// Errors of the state machine. Codes and codespaces are the Cosmos SDK's (reference: cometbft-cosmos.md
// §3.7), so that clients that match on them keep working; logs say what happened in words a person reads.

export class AppError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function sdk(code: number) {
  return (message: string) => new AppError("sdk", code, message);
}

/** The root errors of the Cosmos SDK (types/errors/errors.go), codespace `sdk`. */
export const Errors = {
  txDecode: sdk(2),
  invalidSequence: sdk(3),
  unauthorized: sdk(4),
  insufficientFunds: sdk(5),
  unknownRequest: sdk(6),
  invalidAddress: sdk(7),
  invalidPubKey: sdk(8),
  unknownAddress: sdk(9),
  invalidCoins: sdk(10),
  outOfGas: sdk(11),
  memoTooLarge: sdk(12),
  insufficientFee: sdk(13),
  tooManySignatures: sdk(14),
  noSignatures: sdk(15),
  invalidRequest: sdk(18),
  txInMempoolCache: sdk(19),
  txTooLarge: sdk(21),
  keyNotFound: sdk(22),
  wrongPassword: sdk(23),
  invalidHeight: sdk(26),
  invalidChainId: sdk(28),
  txTimeoutHeight: sdk(30),
  wrongSequence: sdk(32),
  notFound: sdk(38),
  invalidGasLimit: sdk(41),
} as const;

/** The bank module's own errors (x/bank/types/errors.go). */
export const BankErrors = {
  noInputs: (m: string) => new AppError("bank", 2, m),
  noOutputs: (m: string) => new AppError("bank", 3, m),
  inputOutputMismatch: (m: string) => new AppError("bank", 4, m),
  sendDisabled: (m: string) => new AppError("bank", 5, m),
  multipleSenders: (m: string) => new AppError("bank", 9, m),
};

/**
 * Errors a query handler raises. They carry a gRPC status, which the ABCI query maps to an SDK code the way
 * the SDK's gRPC router does (reference: cometbft-cosmos.md §3.9): NotFound → 22, InvalidArgument → 18.
 */
export type GrpcStatus =
  | "NotFound"
  | "InvalidArgument"
  | "FailedPrecondition"
  | "Unauthenticated"
  | "Unknown";

export class QueryError extends Error {
  constructor(
    readonly status: GrpcStatus,
    message: string,
  ) {
    super(message);
  }

  toAppError(): AppError {
    const log = `rpc error: code = ${this.status} desc = ${this.message}`;
    switch (this.status) {
      case "NotFound":
        return new AppError("sdk", 22, log);
      case "InvalidArgument":
      case "FailedPrecondition":
        return new AppError("sdk", 18, log);
      case "Unauthenticated":
        return new AppError("sdk", 4, log);
      default:
        return new AppError("sdk", 6, log);
    }
  }
}

export const notFound = (m: string) => new QueryError("NotFound", m);
export const invalidArgument = (m: string) => new QueryError("InvalidArgument", m);
