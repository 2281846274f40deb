// The ante pipeline: everything a transaction must pass before its messages run, in the order of the Cosmos
// SDK's default decorators (reference: cometbft-cosmos.md §3.7). Its writes (fee, sequence, public key) are
// kept even when the messages later fail, as in Cosmos.
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { fromBech32Address, pubkeyToAddressBytes, sha256 } from "../crypto/address.js";
import { BoundedMemo } from "../crypto/memo.js";
import { isValidCompressedPubkey, verifySecp256k1 } from "../crypto/secp256k1.js";
import { keyString } from "../store/index.js";
import { type Amount, type DecCoin, formatCoins, parseCoins, requiredFee, validateCoins } from "./coins.js";
import type { Context } from "./context.js";
import { AppError, Errors } from "./errors.js";
import type { Account, AccountKeeper } from "./modules/auth/keeper.js";
import type { BankKeeper } from "./modules/bank/keeper.js";
import type { DecodedTx } from "./tx.js";

export const FEE_COLLECTOR = "fee_collector";
export const SECP256K1_PUBKEY_TYPE = "/cosmos.crypto.secp256k1.PubKey";
/** In simulation the tx carries empty signatures; charge for the bytes a real one will add (SDK does too). */
const SIMULATED_SIGNATURE_BYTES = 64 + 33 + 16;

export interface AnteOptions {
  /** The node's minimum gas prices, checked in checkTx only (a node-local anti-spam setting). */
  minGasPrices: DecCoin[];
}

/**
 * The transactions checkTx admitted, decoded, by hash: a RECHECK and the block that includes one use the
 * decoded tx instead of decoding it again, and finalizeBlock does not verify its signatures again. Safe
 * because the sign bytes are fixed by the tx bytes, the chain id and the signer's account number, none of
 * which can change in between. Only the ante handler reads a checked tx before the block runs its messages,
 * and the block drops it, so no message handler ever sees a decoded tx twice. Bounded (oldest first): a tx
 * pushed out is decoded and verified again, nothing worse. A tx that a RECHECK rejects is never dropped, so on
 * a running node the memo is full and every CheckTx pushes one out: hence BoundedMemo, not a trimmed Map.
 */
export class CheckedTxs {
  private readonly txs: BoundedMemo<string, DecodedTx>;

  constructor(capacity = 20_000) {
    this.txs = new BoundedMemo(capacity);
  }

  static key(hash: Uint8Array): string {
    return keyString(hash);
  }

  get(hash: Uint8Array): DecodedTx | undefined {
    return this.txs.get(CheckedTxs.key(hash));
  }

  has(tx: DecodedTx): boolean {
    return this.txs.get(CheckedTxs.key(tx.hash)) === tx;
  }

  add(tx: DecodedTx): void {
    this.txs.set(CheckedTxs.key(tx.hash), tx);
  }

  delete(tx: DecodedTx): void {
    this.txs.delete(CheckedTxs.key(tx.hash));
  }
}

export class AnteHandler {
  constructor(
    private readonly opts: AnteOptions,
    private readonly accounts: AccountKeeper,
    private readonly bank: BankKeeper,
    private readonly checked: CheckedTxs,
  ) {}

  run(ctx: Context, tx: DecodedTx): void {
    const params = this.accounts.getParams(ctx);
    const { body, authInfo, raw } = tx;
    const simulate = ctx.isSimulate;

    // ValidateBasic
    if (raw.signatures.length === 0) throw Errors.noSignatures("no signatures supplied");
    if (raw.signatures.length !== tx.signers.length) {
      throw Errors.unauthorized(
        `wrong number of signatures; expected ${tx.signers.length}, got ${raw.signatures.length}`,
      );
    }
    if (authInfo.signerInfos.length !== tx.signers.length) {
      throw Errors.unauthorized(
        `wrong number of signer info; expected ${tx.signers.length}, got ${authInfo.signerInfos.length}`,
      );
    }
    const fee = authInfo.fee;
    if (!fee) throw Errors.invalidRequest("tx has no fee");
    let feeCoins: Amount[];
    try {
      feeCoins = parseCoins(fee.amount);
      validateCoins(feeCoins, "fee", true);
    } catch (e) {
      throw Errors.insufficientFee(`invalid fee amount: ${(e as Error).message}`);
    }
    for (const m of tx.msgs) m.def.validateBasic?.(m.msg);

    // TxTimeoutHeight
    if (body.timeoutHeight > 0n && ctx.block.height > body.timeoutHeight) {
      throw Errors.txTimeoutHeight(
        `block height: ${ctx.block.height}, timeout height: ${body.timeoutHeight}: tx timeout height`,
      );
    }

    // ValidateMemo (the SDK counts characters, not bytes; a memo has no more characters than UTF-16 units)
    if (BigInt(body.memo.length) > params.maxMemoCharacters) {
      const memoLength = [...body.memo].length;
      if (BigInt(memoLength) > params.maxMemoCharacters) {
        throw Errors.memoTooLarge(
          `maximum number of characters is ${params.maxMemoCharacters} but received ${memoLength} characters: memo too large`,
        );
      }
    }

    // ConsumeGasForTxSize
    const sizeCost = Number(params.txSizeCostPerByte);
    ctx.gasMeter.consume(sizeCost * tx.bytes.length, "txSize");
    if (simulate) ctx.gasMeter.consume(sizeCost * SIMULATED_SIGNATURE_BYTES * tx.signers.length, "txSize");

    // DeductFee
    this.deductFee(ctx, tx, feeCoins, fee.gasLimit, fee.payer, fee.granter);

    // SetPubKey
    const signerAccounts = tx.signers.map((signer, i) => this.setPubKey(ctx, tx, signer, i));

    // ValidateSigCount and SigGasConsume: one secp256k1 key per signer (multisig is not supported)
    if (BigInt(tx.signers.length) > params.txSigLimit) {
      throw Errors.tooManySignatures(`signatures: ${tx.signers.length}, limit: ${params.txSigLimit}`);
    }
    for (let i = 0; i < tx.signers.length; i++) {
      ctx.gasMeter.consume(Number(params.sigVerifyCostSecp256k1), "ante verify: secp256k1");
    }

    // SigVerification. A RECHECK is of a tx this node verified when it entered the mempool: the SDK skips the
    // signatures then too and checks only what a block can change (sequence, fee funds).
    const cached = ctx.mode === "finalize" && this.checked.has(tx);
    const verified = cached || ctx.mode === "recheck";
    signerAccounts.forEach((account, i) => {
      const info = authInfo.signerInfos[i]!;
      if (info.sequence !== account.sequence) {
        throw Errors.wrongSequence(
          `account sequence mismatch, expected ${account.sequence}, got ${info.sequence}: incorrect account sequence`,
        );
      }
      if (simulate || verified) return;
      const mode = info.modeInfo?.single?.mode;
      if (mode !== SignMode.SIGN_MODE_DIRECT) {
        throw new AppError("sdk", 37, `sign mode ${mode ?? "multi"} is not supported; use SIGN_MODE_DIRECT`);
      }
      const signBytes = SignDoc.encode({
        bodyBytes: raw.bodyBytes,
        authInfoBytes: raw.authInfoBytes,
        chainId: ctx.block.chainId,
        accountNumber: account.accountNumber,
      }).finish();
      const pubkey = Secp256k1PubKey.decode(account.pubKey!.value).key;
      if (!verifySecp256k1(raw.signatures[i]!, sha256(signBytes), pubkey)) {
        throw Errors.unauthorized(
          `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.block.chainId}): unauthorized`,
        );
      }
    });
    if (ctx.mode === "check") this.checked.add(tx);
    if (cached) this.checked.delete(tx);

    // IncrementSequence, with the SDK's `tx` events
    signerAccounts.forEach((account, i) => {
      ctx.events.emit("tx", { acc_seq: `${account.address}/${account.sequence}` });
      const signature = raw.signatures[i]!;
      ctx.events.emit("tx", {
        signature: Buffer.from(signature.buffer, signature.byteOffset, signature.length).toString("base64"),
      });
      this.accounts.setAccount(ctx, { ...account, sequence: account.sequence + 1n });
    });
  }

  private deductFee(
    ctx: Context,
    tx: DecodedTx,
    fee: Amount[],
    gasLimit: bigint,
    payer: string,
    granter: string,
  ): void {
    if (granter !== "") throw Errors.invalidRequest("fee grants are not supported");
    if (!ctx.isSimulate && gasLimit === 0n) throw Errors.invalidGasLimit("must provide positive gas");
    if (ctx.isCheck && !ctx.isSimulate && this.opts.minGasPrices.length > 0) {
      const required = this.opts.minGasPrices.map((price) => requiredFee(price, gasLimit));
      const enough = required.some((r) => fee.some((f) => f.denom === r.denom && f.amount >= r.amount));
      if (!enough) {
        // No fee prints as nothing ("got:  required: …"): the SDK formats its empty sdk.Coins as "".
        throw Errors.insufficientFee(
          `insufficient fees; got: ${formatCoins(fee)} required: ${formatCoins(required)}: insufficient fee`,
        );
      }
    }
    const feePayer = payer !== "" ? payer : tx.signers[0]!;
    if (payer !== "" && !tx.signers.includes(payer)) {
      throw Errors.invalidRequest(`fee payer ${payer} must sign the transaction`);
    }
    if (!this.accounts.hasAccount(ctx, fromBech32Address(feePayer))) {
      throw Errors.unknownAddress(`fee payer address: ${feePayer} does not exist: unknown address`);
    }
    if (fee.length === 0 && ctx.isSimulate) {
      this.chargeSimulatedFeeDeduction(ctx, feePayer);
    } else if (fee.length > 0) {
      try {
        this.bank.sendCoinsFromAccountToModule(ctx, feePayer, FEE_COLLECTOR, fee);
      } catch (e) {
        if (e instanceof AppError && e.code === 5) {
          throw Errors.insufficientFunds(`${e.message}: failed to deduct fees of ${formatCoins(fee)}`);
        }
        throw e;
      }
    }
    ctx.events.emit("tx", { fee: formatCoins(fee), fee_payer: feePayer });
  }

  /**
   * Clients simulate with an empty fee, but the signed tx will pay one; run a would-be deduction on a
   * throw-away branch so the estimate includes its storage gas.
   */
  private chargeSimulatedFeeDeduction(ctx: Context, feePayer: string): void {
    const denom = this.opts.minGasPrices[0]?.denom;
    if (!denom) return;
    const { ctx: scratch } = ctx.branch();
    try {
      this.bank.sendCoinsFromAccountToModule(scratch, feePayer, FEE_COLLECTOR, [{ denom, amount: 1n }]);
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 11) throw e;
    }
  }

  private setPubKey(ctx: Context, tx: DecodedTx, signer: string, index: number): Account {
    const address = fromBech32Address(signer);
    const account = this.accounts.getAccount(ctx, address);
    if (!account) {
      throw Errors.unknownAddress(`account ${signer} does not exist: unknown address`);
    }
    if (account.pubKey) return account;
    const pk = tx.authInfo.signerInfos[index]?.publicKey;
    if (!pk || pk.value.length === 0) {
      if (ctx.isSimulate) return account;
      throw Errors.invalidPubKey(`pubkey on account ${signer} is not set and the tx does not carry one`);
    }
    if (pk.typeUrl !== SECP256K1_PUBKEY_TYPE) {
      throw Errors.invalidPubKey(`unsupported pubkey type ${pk.typeUrl}; only secp256k1 keys can sign`);
    }
    const key = Secp256k1PubKey.decode(pk.value).key;
    if (!isValidCompressedPubkey(key)) throw Errors.invalidPubKey("invalid secp256k1 public key");
    if (!Buffer.from(pubkeyToAddressBytes(key)).equals(Buffer.from(address))) {
      if (ctx.isSimulate) return account;
      throw Errors.invalidPubKey(
        `pubKey does not match signer address ${signer} with signer index: ${index}`,
      );
    }
    const updated = { ...account, pubKey: pk };
    this.accounts.setAccount(ctx, updated);
    return updated;
  }
}
