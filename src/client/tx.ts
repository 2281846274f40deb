// Sending a transaction and following it to its block: fee from `--gas auto|N`, `--gas-adjustment` and
// `--fees`, a funds check that says how much is missing, `broadcast_tx_sync`, then polling `tx` until the
// transaction is included. Every message-sending action (bank, and later deployment, market …) goes
// through `signAndBroadcast`.
import { sha256 } from "@cosmjs/crypto";
import { fromHex, toHex } from "@cosmjs/encoding";
import { type EncodeObject, Registry } from "@cosmjs/proto-signing";
import { BroadcastTxError, calculateFee, defaultRegistryTypes, type StdFee } from "@cosmjs/stargate";
import { toRfc3339WithNanoseconds } from "@cosmjs/tendermint-rpc";
import { Tx, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { DEVNET_CHAIN_ID } from "../params/chain.js";
import { type Coin, formatCoin, formatCoins } from "./amount.js";
import { nodeRequest, type PublicClient, type WalletClient } from "./connect.js";
import {
  DecloudError,
  InsufficientFundsError,
  SimulationError,
  TxFailedError,
  TxNotFoundError,
  TxTimeoutError,
} from "./errors.js";

/** `auto` simulates the transaction and multiplies the gas it used by the adjustment; a number is used as is. */
export type GasSetting = "auto" | number;

/** The adjustment `auto` applies by default (cosmjs's, and within Akash's usual 1.25–1.5). */
export const DEFAULT_GAS_ADJUSTMENT = 1.4;

export type TxProgress =
  | { readonly stage: "estimating" }
  | { readonly stage: "broadcasting"; readonly fee: StdFee }
  | { readonly stage: "including"; readonly hash: string };

export interface SignAndBroadcastParameters {
  /** The signer's address; the wallet client's signer must hold its key. */
  readonly from: string;
  /** How messages name the sender (e.g. its key name); the address by default. */
  readonly fromLabel?: string;
  readonly messages: readonly EncodeObject[];
  readonly gas?: GasSetting;
  readonly gasAdjustment?: number;
  /** Fixed fee coins; by default the fee is gas × the client's gas price. */
  readonly fees?: readonly Coin[];
  readonly memo?: string;
  /** Coins the messages take from `from`, so that missing funds are reported before anything is sent. */
  readonly spend?: readonly Coin[];
  /** What `spend` is, in the missing-funds message ("the deposit"; default "sending"). */
  readonly spendLabel?: string;
  /** How long to wait for inclusion (default 60 s). */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly onProgress?: (progress: TxProgress) => void;
}

export interface TxResult {
  readonly hash: string;
  readonly height: number;
  readonly gasWanted: string;
  readonly gasUsed: string;
  readonly fee: StdFee;
  readonly events: readonly TxEvent[];
}

export interface TxEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

export async function signAndBroadcast(
  client: WalletClient,
  params: SignAndBroadcastParameters,
): Promise<TxResult> {
  const memo = params.memo ?? "";
  const spend = params.spend ?? [];
  const balances = await nodeRequest(client, () => client.stargate.getAllBalances(params.from));
  const sender = { address: params.from, label: params.fromLabel ?? params.from, spend: params.spendLabel };
  assertCanPay(client, sender, balances, spend, []);

  const fee = await resolveFee(client, params, memo);
  assertCanPay(client, sender, balances, spend, fee.amount);

  params.onProgress?.({ stage: "broadcasting", fee });
  const signed = await nodeRequest(client, () =>
    client.signing.sign(params.from, params.messages, fee, memo),
  );
  const bytes = TxRaw.encode(signed).finish();
  // The hash CometBFT indexes the transaction by, known before broadcasting so that every error can name it.
  const hash = toHex(sha256(bytes)).toUpperCase();
  try {
    await nodeRequest(client, () => client.stargate.broadcastTxSync(bytes));
  } catch (e) {
    if (e instanceof BroadcastTxError) throw new TxFailedError(hash, e.code, e.codespace, e.log ?? e.message);
    throw e;
  }
  params.onProgress?.({ stage: "including", hash });
  const included = await waitForTx(client, {
    hash,
    timeoutMs: params.timeoutMs,
    pollIntervalMs: params.pollIntervalMs,
  });
  if (included.code !== 0) {
    throw new TxFailedError(hash, included.code, included.codespace, included.log, included.height);
  }
  return {
    hash,
    height: included.height,
    gasWanted: included.gasWanted,
    gasUsed: included.gasUsed,
    fee,
    events: included.events,
  };
}

async function resolveFee(
  client: WalletClient,
  params: SignAndBroadcastParameters,
  memo: string,
): Promise<StdFee> {
  const setting = params.gas ?? "auto";
  let gas: number;
  if (setting === "auto") {
    params.onProgress?.({ stage: "estimating" });
    let simulated: number;
    try {
      simulated = await nodeRequest(client, () =>
        client.signing.simulate(params.from, params.messages, memo),
      );
    } catch (e) {
      if (e instanceof DecloudError) throw e;
      throw new SimulationError((e as Error).message);
    }
    gas = Math.ceil(simulated * (params.gasAdjustment ?? DEFAULT_GAS_ADJUSTMENT));
  } else {
    if (!Number.isSafeInteger(setting) || setting <= 0) {
      throw new DecloudError(`Gas ${setting} is not a positive integer.`, {
        hint: "Use --gas auto or --gas 200000.",
      });
    }
    gas = setting;
  }
  if (params.fees) return { amount: [...params.fees], gas: gas.toString() };
  return calculateFee(gas, client.gasPrice);
}

/** Throws InsufficientFundsError, naming what is missing, if `balances` cannot cover spend + fee. */
function assertCanPay(
  client: PublicClient,
  sender: { address: string; label: string; spend?: string },
  balances: readonly Coin[],
  spend: readonly Coin[],
  fee: readonly Coin[],
): void {
  const need = new Map<string, bigint>();
  for (const c of [...spend, ...fee]) need.set(c.denom, (need.get(c.denom) ?? 0n) + BigInt(c.amount));
  for (const [denom, amount] of need) {
    const have = BigInt(balances.find((b) => b.denom === denom)?.amount ?? "0");
    if (have >= amount) continue;
    const coin = (n: bigint) => formatCoin({ denom, amount: n.toString() });
    const missing = coin(amount - have);
    const spending = `${sender.spend ? `${sender.spend} of` : "sending"} ${formatCoins(spend)}`;
    const what =
      fee.length === 0
        ? spending
        : spend.length === 0
          ? `the fee of ${formatCoins(fee)}`
          : `${spending} plus ${formatCoins(fee)} in fees (${coin(amount)})`;
    throw new InsufficientFundsError(
      sender.address,
      missing,
      `${sender.label} has ${coin(have)}; ${what} needs ${missing} more.`,
      client.chainId === DEVNET_CHAIN_ID,
    );
  }
}

export interface IncludedTx {
  readonly hash: string;
  readonly height: number;
  readonly index: number;
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly gasWanted: string;
  readonly gasUsed: string;
  readonly events: readonly TxEvent[];
  /** The raw `TxRaw` bytes. */
  readonly tx: Uint8Array;
}

/** A transaction by hash (hex, any case), or undefined if the node has not indexed it (yet). */
async function findTx(client: PublicClient, hash: string): Promise<IncludedTx | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(hash);
  } catch {
    throw new DecloudError(`"${hash}" is not a transaction hash.`, { hint: "A hash is 64 hex characters." });
  }
  if (bytes.length !== 32) {
    throw new DecloudError(`"${hash}" is not a transaction hash.`, { hint: "A hash is 64 hex characters." });
  }
  try {
    const r = await client.comet.tx({ hash: bytes });
    return {
      hash: toHex(r.hash).toUpperCase(),
      height: r.height,
      index: r.index,
      code: r.result.code,
      codespace: r.result.codespace ?? "",
      log: r.result.log ?? "",
      gasWanted: r.result.gasWanted.toString(),
      gasUsed: r.result.gasUsed.toString(),
      events: r.result.events.map((e) => ({
        type: e.type,
        attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })),
      })),
      tx: r.tx,
    };
  } catch (e) {
    // CometBFT answers a JSON-RPC error "tx (HASH) not found" for unknown hashes.
    if (/not found/i.test((e as Error).message ?? "")) return undefined;
    throw e;
  }
}

export interface WaitForTxParameters {
  readonly hash: string;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
}

/** Polls until the transaction is in a block. Polls often: a devnet makes a block every 200 ms. */
export async function waitForTx(client: PublicClient, params: WaitForTxParameters): Promise<IncludedTx> {
  const timeoutMs = params.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await nodeRequest(client, () => findTx(client, params.hash));
    if (found) return found;
    if (Date.now() >= deadline) throw new TxTimeoutError(params.hash, Math.round(timeoutMs / 1000));
    await new Promise((resolve) => setTimeout(resolve, params.pollIntervalMs ?? 250));
  }
}

export interface TxDetails extends Omit<IncludedTx, "tx"> {
  /** RFC 3339 time of the block that holds it. */
  readonly timestamp: string;
  readonly memo: string;
  readonly fee: { readonly amount: readonly Coin[]; readonly gasLimit: string; readonly payer: string };
  /** Messages decoded where the type is known (`value` is the raw bytes, base64, otherwise). */
  readonly messages: readonly { readonly typeUrl: string; readonly value: unknown }[];
}

const registry = new Registry(defaultRegistryTypes);

export interface GetTxParameters {
  readonly hash: string;
}

export async function getTx(client: PublicClient, params: GetTxParameters): Promise<TxDetails> {
  const found = await nodeRequest(client, () => findTx(client, params.hash));
  if (!found) throw new TxNotFoundError(params.hash.toUpperCase());
  const block = await nodeRequest(client, () => client.comet.block(found.height));
  const { tx, ...rest } = found;
  const decoded = Tx.decode(tx);
  return {
    ...rest,
    timestamp: toRfc3339WithNanoseconds(block.block.header.time),
    memo: decoded.body?.memo ?? "",
    fee: {
      amount: decoded.authInfo?.fee?.amount ?? [],
      gasLimit: (decoded.authInfo?.fee?.gasLimit ?? 0n).toString(),
      payer: decoded.authInfo?.fee?.payer ?? "",
    },
    messages: (decoded.body?.messages ?? []).map((m) => {
      try {
        return { typeUrl: m.typeUrl, value: registry.decode(m) };
      } catch {
        return { typeUrl: m.typeUrl, value: Buffer.from(m.value).toString("base64") };
      }
    }),
  };
}
