// The local devnet's fixed identities and funds. Like Anvil's "test … junk" accounts, they are public
// knowledge on purpose: tests and docs can hard-code the addresses, and nobody should ever hold value
// with them anywhere else (reference: landscape.md, "what makes a local devnet loved").
import { toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { hdPrivateKey } from "../crypto/hd.js";
import { BECH32_PREFIX, BOND_DENOM, USDC_DENOM } from "./chain.js";

/** The well-known dev mnemonic (the same as Anvil's, so people recognise it as a throwaway). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Names of the ten funded dev accounts; account `i` is derived at `devHdPath(i)`. */
export const DEV_ACCOUNT_NAMES = [
  "alice",
  "bob",
  "carol",
  "dave",
  "eve",
  "frank",
  "grace",
  "heidi",
  "ivan",
  "judy",
] as const;

/**
 * The genesis faucet: the next index of the same mnemonic, so that it needs no extra secret and is
 * documented in one line. It is funded far above the dev accounts because it sends to anyone who asks.
 */
export const FAUCET_ACCOUNT_NAME = "faucet";
export const FAUCET_ACCOUNT_INDEX = DEV_ACCOUNT_NAMES.length;

/** HD path of a Cosmos secp256k1 key (coin type 118, as Akash and cosmjs use). */
export function devHdPath(index: number): string {
  return `m/44'/118'/0'/0/${index}`;
}

/** What each dev account holds at genesis: 1,000,000 AKT and 100,000 USDC. */
export const DEV_ACCOUNT_BALANCE = { [BOND_DENOM]: 1_000_000_000_000n, [USDC_DENOM]: 100_000_000_000n };
/** What the faucet holds at genesis: 1,000,000,000 AKT and 1,000,000,000 USDC. */
export const FAUCET_BALANCE = { [BOND_DENOM]: 1_000_000_000_000_000n, [USDC_DENOM]: 1_000_000_000_000_000n };

/** Denom metadata in the JSON of a Cosmos genesis file (`cosmos.bank.v1beta1.Metadata`). */
export interface DenomMetadataJson {
  description: string;
  denom_units: { denom: string; exponent: number; aliases: string[] }[];
  base: string;
  display: string;
  name: string;
  symbol: string;
  uri: string;
  uri_hash: string;
}

/**
 * How wallets, explorers and `decloud` display the two payment denoms. The USDC entry makes the IBC
 * denom read as USDC (DESIGN.md, "Stable payments, no credit token").
 */
export const DENOM_METADATA: readonly DenomMetadataJson[] = [
  {
    description: "The native staking and fee token of DeCloud",
    denom_units: [
      { denom: BOND_DENOM, exponent: 0, aliases: ["microakt"] },
      { denom: "akt", exponent: 6, aliases: [] },
    ],
    base: BOND_DENOM,
    display: "akt",
    name: "AKT",
    symbol: "AKT",
    uri: "",
    uri_hash: "",
  },
  {
    description: "USD Coin, arriving over IBC",
    denom_units: [
      { denom: USDC_DENOM, exponent: 0, aliases: ["uusdc"] },
      { denom: "usdc", exponent: 6, aliases: [] },
    ],
    base: USDC_DENOM,
    display: "usdc",
    name: "USD Coin",
    symbol: "USDC",
    uri: "",
    uri_hash: "",
  },
];

export interface DevAccount {
  /** `alice` … `judy`, or `faucet`. */
  readonly name: string;
  /** The last component of the HD path. */
  readonly index: number;
  readonly hdPath: string;
  /** `akash1…` */
  readonly address: string;
  /** Compressed secp256k1 public key, base64 (as `keys show` and genesis files print it). */
  readonly pubkey: string;
}

let derived: Promise<DevAccount[]> | undefined;

/** The address and compressed public key of the dev mnemonic's key at `devHdPath(index)`. */
export async function deriveDevKey(index: number): Promise<{ address: string; pubkey: Uint8Array }> {
  const wallet = await DirectSecp256k1Wallet.fromKey(
    hdPrivateKey(DEV_MNEMONIC, devHdPath(index)),
    BECH32_PREFIX,
  );
  return (await wallet.getAccounts())[0]!;
}

/** Derives the ten dev accounts and the faucet, in index order (faucet last). Memoised: it is deterministic. */
function deriveAll(): Promise<DevAccount[]> {
  derived ??= Promise.all(
    [...DEV_ACCOUNT_NAMES, FAUCET_ACCOUNT_NAME].map(async (name, index) => {
      const { address, pubkey } = await deriveDevKey(index);
      return { name, index, hdPath: devHdPath(index), address, pubkey: toBase64(pubkey) };
    }),
  );
  return derived;
}

/** The ten funded dev accounts (`alice` … `judy`), in index order. */
export async function getDevAccounts(): Promise<DevAccount[]> {
  return (await deriveAll()).slice(0, DEV_ACCOUNT_NAMES.length);
}

/** The genesis faucet account. */
export async function getFaucetAccount(): Promise<DevAccount> {
  return (await deriveAll())[FAUCET_ACCOUNT_INDEX]!;
}

interface CoinJson {
  denom: string;
  amount: string;
}

/** The `app_state` of the devnet's genesis file, in the JSON of a Cosmos genesis file. */
export interface DevnetAppState {
  auth: {
    params: Record<string, string>;
    accounts: {
      "@type": "/cosmos.auth.v1beta1.BaseAccount";
      address: string;
      pub_key: null;
      account_number: string;
      sequence: string;
    }[];
  };
  bank: {
    params: { default_send_enabled: boolean };
    balances: { address: string; coins: CoinJson[] }[];
    supply: CoinJson[];
    denom_metadata: DenomMetadataJson[];
    send_enabled: { denom: string; enabled: boolean }[];
  };
}

function toCoins(balance: Record<string, bigint>): CoinJson[] {
  // The SDK requires the coins of one balance sorted by denom, and rejects the genesis otherwise.
  return Object.entries(balance)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
}

/**
 * Builds the devnet genesis `app_state`: the ten dev accounts and the faucet as base accounts (account
 * numbers in index order), their balances, the total supply, and the denom metadata. Modules not listed
 * start from their defaults.
 */
export async function buildDevnetAppState(): Promise<DevnetAppState> {
  const all = await deriveAll();
  const balanceOf = (a: DevAccount) =>
    a.name === FAUCET_ACCOUNT_NAME ? FAUCET_BALANCE : DEV_ACCOUNT_BALANCE;
  const supply: Record<string, bigint> = {};
  for (const a of all) {
    for (const [denom, amount] of Object.entries(balanceOf(a)))
      supply[denom] = (supply[denom] ?? 0n) + amount;
  }
  return {
    auth: {
      // The Cosmos SDK defaults (x/auth/types/params.go), spelled out so the genesis file documents them.
      params: {
        max_memo_characters: "256",
        tx_sig_limit: "7",
        tx_size_cost_per_byte: "10",
        sig_verify_cost_ed25519: "590",
        sig_verify_cost_secp256k1: "1000",
      },
      accounts: all.map((a) => ({
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        address: a.address,
        pub_key: null,
        account_number: a.index.toString(),
        sequence: "0",
      })),
    },
    bank: {
      params: { default_send_enabled: true },
      // Sorted by address, as the SDK's genesis export sorts them, so that the file is canonical.
      balances: all
        .map((a) => ({ address: a.address, coins: toCoins(balanceOf(a)) }))
        .sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0)),
      supply: toCoins(supply),
      denom_metadata: DENOM_METADATA.map((m) => structuredClone(m)),
      send_enabled: [],
    },
  };
}
