// A chain in a temp directory, driven block by block through the ABCI boundary, with transactions built
// and signed by cosmjs (a real external client). Shared by the app's tests and benchmarks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import {
  DirectSecp256k1HdWallet,
  type EncodeObject,
  encodePubkey,
  makeAuthInfoBytes,
  makeSignDoc,
  Registry,
} from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { ExecTxResult, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { createApp, type DeCloudApp } from "../app.js";
import type { BaseApp } from "../baseapp.js";

export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const TEST_CHAIN_ID = "decloud-test";

export interface TestAccount {
  address: string;
  pubkey: Uint8Array;
  wallet: DirectSecp256k1HdWallet;
}

export async function testAccounts(count: number, mnemonic = TEST_MNEMONIC): Promise<TestAccount[]> {
  const { stringToPath } = await import("@cosmjs/crypto");
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, {
    prefix: "akash",
    hdPaths: Array.from({ length: count }, (_, i) => stringToPath(`m/44'/118'/0'/0/${i}`)),
  });
  const accounts = await wallet.getAccounts();
  return accounts.map((a) => ({ address: a.address, pubkey: a.pubkey, wallet }));
}

export const registry = new Registry(defaultRegistryTypes);

export interface SignOptions {
  chainId?: string;
  accountNumber: bigint;
  sequence: bigint;
  fee?: { denom: string; amount: string }[];
  gas?: bigint;
  memo?: string;
  timeoutHeight?: bigint;
}

/** Builds, signs (SIGN_MODE_DIRECT) and encodes a tx exactly as cosmjs' SigningStargateClient does. */
export async function signTx(signer: TestAccount, msgs: EncodeObject[], o: SignOptions): Promise<Uint8Array> {
  const bodyBytes = registry.encodeTxBody({
    messages: msgs,
    memo: o.memo ?? "",
    timeoutHeight: o.timeoutHeight,
  });
  const gas = o.gas ?? 200_000n;
  const fee = o.fee ?? [{ denom: "uakt", amount: String((gas * 25n + 999n) / 1000n) }];
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(signer.pubkey));
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey, sequence: o.sequence }],
    fee,
    Number(gas),
    undefined,
    undefined,
  );
  const signDoc = makeSignDoc(bodyBytes, authInfoBytes, o.chainId ?? TEST_CHAIN_ID, Number(o.accountNumber));
  const { signature, signed } = await signer.wallet.signDirect(signer.address, signDoc);
  return TxRaw.encode({
    bodyBytes: signed.bodyBytes,
    authInfoBytes: signed.authInfoBytes,
    signatures: [Buffer.from(signature.signature, "base64")],
  }).finish();
}

export function sendMsg(from: string, to: string, amount: string, denom = "uakt"): EncodeObject {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: from, toAddress: to, amount: [{ denom, amount }] },
  };
}

export function genesisFor(
  balances: { address: string; coins: { denom: string; amount: string }[] }[],
  extra = {},
) {
  return { auth: { accounts: [] }, bank: { balances }, ...extra };
}

export class TestChain {
  height = 0n;
  private timeSeconds = 1_700_000_000n;

  private constructor(
    readonly dir: string,
    readonly handle: DeCloudApp,
  ) {}

  get app(): BaseApp {
    return this.handle.app;
  }

  static async open(dir?: string, opts: { minGasPrices?: string } = {}): Promise<TestChain> {
    const home = dir ?? mkdtempSync(join(tmpdir(), "decloud-app-"));
    const handle = await createApp({
      dataDir: home,
      chainId: TEST_CHAIN_ID,
      minGasPrices: opts.minGasPrices,
    });
    const chain = new TestChain(home, handle);
    chain.height = (
      await handle.app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" })
    ).lastBlockHeight;
    return chain;
  }

  static async start(
    appState: unknown,
    opts: { minGasPrices?: string; dir?: string } = {},
  ): Promise<TestChain> {
    const chain = await TestChain.open(opts.dir, opts);
    await chain.app.initChain({
      time: { seconds: chain.timeSeconds, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: 1n,
    });
    return chain;
  }

  /** Executes and commits one block; returns the per-tx results and the app hash. */
  async block(
    txs: Uint8Array[] = [],
    beforeCommit?: (height: bigint, appHash: Uint8Array) => void,
  ): Promise<{ results: ExecTxResult[]; appHash: Uint8Array; commitMs: number }> {
    this.height += 1n;
    this.timeSeconds += 1n;
    const res = await this.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: this.height,
      time: { seconds: this.timeSeconds, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    beforeCommit?.(this.height, res.appHash);
    const commitStart = performance.now();
    await this.app.commit();
    return { results: res.txResults, appHash: res.appHash, commitMs: performance.now() - commitStart };
  }

  async checkTx(tx: Uint8Array) {
    return this.app.checkTx({ tx, type: 0 });
  }

  async query(path: string, data: Uint8Array, height = 0n, prove = false): Promise<ResponseQuery> {
    return this.app.query({ path, data, height, prove });
  }

  async close(remove = true): Promise<void> {
    await this.handle.close();
    if (remove) rmSync(this.dir, { recursive: true, force: true });
  }
}
