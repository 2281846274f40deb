// Errors a person sees. Each says what happened in one short sentence and, in `hint`, what to do next
// (STYLE.md, viem). The CLI prints `message` and `hint`; scripts read `name` and the typed fields.

export interface DecloudErrorOptions {
  /** What to do next, one or two lines. */
  hint?: string;
  /** Lower-level detail (a node's log, a library's message) for when the short message is not enough. */
  details?: string;
  cause?: unknown;
}

export class DecloudError extends Error {
  override name = "DecloudError";
  readonly hint: string | undefined;
  readonly details: string | undefined;

  constructor(message: string, options: DecloudErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.details = options.details;
  }
}

// ---- keyring ----

export class KeyNotFoundError extends DecloudError {
  override name = "KeyNotFoundError";
  constructor(
    readonly key: string,
    keyringDir: string,
  ) {
    super(`No key named "${key}" in ${keyringDir}.`, {
      hint: "List keys with `decloud keys list`, create one with `decloud keys add NAME`, or pick another keyring with --home / --keyring-backend.",
    });
  }
}

export class KeyExistsError extends DecloudError {
  override name = "KeyExistsError";
  constructor(readonly key: string) {
    super(`A key named "${key}" already exists.`, {
      hint: `Choose another name, or remove it first with \`decloud keys delete ${key}\`.`,
    });
  }
}

export class InvalidKeyNameError extends DecloudError {
  override name = "InvalidKeyNameError";
  constructor(readonly key: string) {
    super(`"${key}" is not a valid key name.`, {
      hint: "Use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
    });
  }
}

export class InvalidMnemonicError extends DecloudError {
  override name = "InvalidMnemonicError";
  constructor(details?: string) {
    super("The mnemonic is not a valid BIP39 English mnemonic.", {
      hint: "Check the words and their order (12, 15, 18, 21 or 24 words, separated by spaces).",
      details,
    });
  }
}

export class WrongPassphraseError extends DecloudError {
  override name = "WrongPassphraseError";
  constructor(keyringDir: string) {
    super(`Wrong passphrase for the keyring in ${keyringDir}. Nothing was changed.`, {
      hint: "Enter the passphrase this keyring was created with (or set DECLOUD_KEYRING_PASSPHRASE).",
    });
  }
}

export class PassphraseRequiredError extends DecloudError {
  override name = "PassphraseRequiredError";
  constructor(keyringDir: string) {
    super(`The keyring in ${keyringDir} is encrypted and no passphrase is available.`, {
      hint: "Run in a terminal to be prompted, set DECLOUD_KEYRING_PASSPHRASE, or use --keyring-backend test for a devnet.",
    });
  }
}

export class CorruptKeyError extends DecloudError {
  override name = "CorruptKeyError";
  constructor(file: string, details: string) {
    super(`The key file ${file} cannot be read.`, {
      hint: "Restore it from a backup, or re-import the key from its mnemonic with `decloud keys import`.",
      details,
    });
  }
}

// ---- amounts and addresses ----

export class InvalidAmountError extends DecloudError {
  override name = "InvalidAmountError";
  constructor(
    readonly input: string,
    reason?: string,
  ) {
    super(`"${input}" is not an amount${reason ? `: ${reason}` : ""}.`, {
      hint: "Amounts look like 5akt, 0.25akt, 5000000uakt, 100usdc or 10ibc/<hash>; separate several with commas.",
    });
  }
}

export class InvalidAddressError extends DecloudError {
  override name = "InvalidAddressError";
  constructor(
    readonly input: string,
    details?: string,
  ) {
    super(`"${input}" is not an akash1… address.`, {
      hint: "Pass an address (akash1…) or a key name from `decloud keys list`.",
      details,
    });
  }
}

// ---- node and transactions ----

export class NodeUnreachableError extends DecloudError {
  override name = "NodeUnreachableError";
  constructor(
    readonly url: string,
    cause?: unknown,
  ) {
    super(`Cannot reach a node at ${url}.`, {
      hint: "Is it running? Start a local devnet with `decloud dev`, or point to another node with --node URL.",
      details:
        cause instanceof Error
          ? cause.cause instanceof Error
            ? cause.cause.message
            : cause.message
          : undefined,
      cause,
    });
  }
}

export class ChainIdMismatchError extends DecloudError {
  override name = "ChainIdMismatchError";
  constructor(
    readonly expected: string,
    readonly actual: string,
    url: string,
  ) {
    super(`The node at ${url} runs chain "${actual}", not "${expected}".`, {
      hint: "Check --node and --chain-id: nothing was signed.",
    });
  }
}

export class InsufficientFundsError extends DecloudError {
  override name = "InsufficientFundsError";
  constructor(
    readonly address: string,
    /** Human-readable, e.g. "2.5 AKT". */
    readonly missing: string,
    message: string,
    faucetHint: boolean,
  ) {
    super(message, {
      hint: faucetHint
        ? `On the devnet, fund it with: decloud faucet ${address}`
        : `Send funds to ${address} first, or lower the amount.`,
    });
  }
}

export class TxFailedError extends DecloudError {
  override name = "TxFailedError";
  constructor(
    readonly hash: string,
    readonly code: number,
    readonly codespace: string,
    log: string,
    readonly height?: number,
  ) {
    super(
      height === undefined
        ? `The node rejected the transaction (${codespace || "sdk"} code ${code}): ${log}`
        : `Transaction ${hash} failed in block ${height} (${codespace || "sdk"} code ${code}): ${log}`,
      { hint: txFailureHint(codespace, code, height !== undefined) },
    );
  }
}

/** What to do about the common Cosmos SDK errors (codes from cosmos-sdk types/errors/errors.go). */
function txFailureHint(codespace: string, code: number, included: boolean): string {
  const fix = included ? "The fee was charged; fix the cause and send it again." : "Nothing was included.";
  if (codespace === "sdk" || codespace === "") {
    if (code === 5) return `${fix} Fund the account first (on the devnet: decloud faucet ADDRESS).`;
    if (code === 11) return `${fix} Raise --gas, or --gas-adjustment with --gas auto.`;
    if (code === 13) return `${fix} Raise --fees, or leave it out to pay gas × the gas price.`;
    if (code === 32) return `${fix} Another transaction from this account went first; send it again.`;
  }
  return included ? fix : `${fix} Fix the cause and send it again.`;
}

export class TxNotFoundError extends DecloudError {
  override name = "TxNotFoundError";
  constructor(readonly hash: string) {
    super(`No transaction ${hash} on this node.`, {
      hint: "Check the hash, and that --node points to the chain where it was sent.",
    });
  }
}

export class TxTimeoutError extends DecloudError {
  override name = "TxTimeoutError";
  constructor(
    readonly hash: string,
    seconds: number,
  ) {
    super(`Transaction ${hash} was accepted but not included in a block within ${seconds} s.`, {
      hint: `It may still be included: check with \`decloud query tx ${hash}\`.`,
    });
  }
}

export class FaucetError extends DecloudError {
  override name = "FaucetError";
  constructor(url: string, message: string, cause?: unknown) {
    super(`The faucet at ${url} refused: ${message}`, {
      hint: "The faucet runs on a devnet (`decloud dev`); pass --rest PORT|URL if its REST port is not 1317.",
      cause,
    });
  }
}

export class SimulationError extends DecloudError {
  override name = "SimulationError";
  constructor(log: string) {
    const reason = simplifyNodeLog(log);
    super(`The node refused to simulate the transaction: ${reason}`, {
      hint: "Nothing was sent. Fix the cause, or set --gas N to skip the estimate.",
      // The node's log only when it says more than its wrapping of the reason (printed once, not twice).
      details: log.trim().endsWith(reason) ? undefined : log,
    });
  }
}

/**
 * Strips the wrapping around a node's message: cosmjs's "Query failed with (N): " (an ABCI query code, not the
 * transaction's) and the gRPC wrapping that `abci_query` adds ("rpc error: code = … desc = …").
 */
function simplifyNodeLog(log: string): string {
  const desc = /desc = (.*)$/s.exec(log);
  return (desc ? desc[1]! : log).replace(/^\s*Query failed with \(\d+\):\s*/, "").trim();
}

// ---- deployments, leases, providers ----

export class DeploymentNotFoundError extends DecloudError {
  override name = "DeploymentNotFoundError";
  constructor(
    readonly owner: string,
    readonly dseq: string,
  ) {
    super(`No deployment ${dseq} of ${owner} on this chain.`, {
      hint: "List your deployments with `decloud deployments` (and check --from and --node).",
    });
  }
}

export class DeploymentClosedError extends DecloudError {
  override name = "DeploymentClosedError";
  constructor(
    readonly dseq: string,
    why: string,
  ) {
    super(`Deployment ${dseq} is closed${why ? ` (${why})` : ""}.`, {
      hint: "Deploy it again with `decloud deploy FILE`.",
    });
  }
}

/** A lease the chain closed because the deployment's escrow ran dry (reference: akash-chain.md §4). */
export class LeaseClosedError extends DecloudError {
  override name = "LeaseClosedError";
  constructor(
    readonly dseq: string,
    readonly reason: string,
    readonly closedOn: number,
    message: string,
    hint: string,
  ) {
    super(message, { hint });
  }
}

/** Nothing answered at the provider's `host_uri`. */
export class ProviderUnreachableError extends DecloudError {
  override name = "ProviderUnreachableError";
  constructor(
    readonly provider: string,
    readonly url: string,
    details?: string,
  ) {
    super(`Provider ${provider} does not answer at ${url}.`, {
      hint: "Your deployment and its escrow are safe on chain; try again later (`decloud status DSEQ`), or close it with `decloud close DSEQ` to get the rest of the deposit back.",
      details,
    });
  }
}

/** The provider answered with an error status. */
export class GatewayRequestError extends DecloudError {
  override name = "GatewayRequestError";
  constructor(
    readonly provider: string,
    readonly status: number,
    readonly body: string,
    what: string,
    hint?: string,
  ) {
    super(`Provider ${provider} refused ${what} (HTTP ${status}): ${body.trim() || "no message"}`, { hint });
  }
}

/** The client certificate is missing on chain, revoked, or expired. */
export class CertificateError extends DecloudError {
  override name = "CertificateError";
  constructor(
    readonly owner: string,
    readonly reason: "expired" | "revoked" | "not-on-chain" | "mismatch",
    message: string,
  ) {
    super(message, {
      hint: `Create and publish a new one: decloud cert create --from ${owner} --force`,
    });
  }
}

/** The provider's TLS certificate is not the one it published on chain. */
export class ProviderCertificateError extends DecloudError {
  override name = "ProviderCertificateError";
  constructor(
    readonly provider: string,
    message: string,
  ) {
    super(message, {
      hint: "Nothing was sent. The provider may have a new certificate it has not published yet, or something else answers at its address.",
    });
  }
}

/** No provider bid in time; the message says which requirement no provider met, where it can be known. */
export class NoBidsError extends DecloudError {
  override name = "NoBidsError";
  constructor(
    readonly dseq: string,
    readonly seconds: number,
    reason: string,
    hint: string,
  ) {
    super(`No bids in ${seconds} s. ${reason}`, { hint });
  }
}
