// The devnet's provider as the chain knows it from genesis (issue 6: no waiting for transactions at start):
// its account (a key of its own, made when the devnet's home is made, so that two devnets sharing one Docker
// Engine never share a provider address and never touch each other's containers), its on-chain record
// (host_uri on loopback, attributes such as region=local), its TLS certificate, and the attributes a dev
// auditor signed. Everything lives in `<devnet home>/provider/`.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Keyring } from "../client/keyring.js";
import { BOND_DENOM, USDC_DENOM } from "../params/chain.js";
import { type DevnetAppState, deriveDevKey } from "../params/devnet.js";
import { DEFAULT_CONFIG_YAML, parseConfig } from "../provider/config.js";
import { ensureProviderTls, type ProviderTls } from "../provider/tls.js";

/** The provider's key name in its own keyring (`<devnet home>/provider/keyring-test`). */
export const DEV_PROVIDER_KEY = "provider";

/**
 * The dev auditor: index 11 of the dev mnemonic (after the ten dev accounts and the faucet), so that SDLs can
 * name it in `signedBy` on every devnet. It signs in genesis only; it needs no funds.
 */
export const DEV_AUDITOR_INDEX = 11;

/** What the devnet's provider holds at genesis: enough for years of bid deposits and fees. */
const PROVIDER_BALANCE: Record<string, bigint> = {
  [BOND_DENOM]: 1_000_000_000_000n,
  [USDC_DENOM]: 1_000_000_000_000n,
};

/** The attributes of the devnet's provider: the provider config's defaults (region=local, …). */
export function devProviderAttributes(): { key: string; value: string }[] {
  return [...parseConfig(DEFAULT_CONFIG_YAML).provider.attributes];
}

export function providerDir(devnetHome: string): string {
  return join(devnetHome, "provider");
}

export function providerKeyring(devnetHome: string): Keyring {
  return new Keyring({ home: providerDir(devnetHome), backend: "test" });
}

let auditor: Promise<string> | undefined;

/** The dev auditor's address. */
export function devAuditorAddress(): Promise<string> {
  auditor ??= deriveDevKey(DEV_AUDITOR_INDEX).then((key) => key.address);
  return auditor;
}

export interface DevProviderIdentity {
  readonly address: string;
  readonly tls: ProviderTls;
}

/** The provider's address if this devnet home has one (before a reset wipes it). */
export async function existingProviderAddress(devnetHome: string): Promise<string | undefined> {
  if (!existsSync(join(providerDir(devnetHome), "keyring-test"))) return undefined;
  const keyring = providerKeyring(devnetHome);
  return (await keyring.has(DEV_PROVIDER_KEY)) ? (await keyring.show(DEV_PROVIDER_KEY)).address : undefined;
}

/** The provider's key and TLS certificate, made on first use and kept in the devnet's home. */
export async function ensureProviderIdentity(devnetHome: string): Promise<DevProviderIdentity> {
  const keyring = providerKeyring(devnetHome);
  if (!(await keyring.has(DEV_PROVIDER_KEY))) await keyring.add(DEV_PROVIDER_KEY);
  const address = (await keyring.show(DEV_PROVIDER_KEY)).address;
  return { address, tls: await ensureProviderTls(providerDir(devnetHome), address) };
}

const sortByAddress = <T extends { address: string }>(xs: T[]) =>
  xs.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));

/**
 * The devnet genesis with the provider in it: a funded account, its provider record, its certificate, and
 * the dev auditor's signature on its attributes (akash.provider/audit/cert GenesisState in proto-JSON).
 */
export async function withDevProvider(
  appState: DevnetAppState,
  identity: DevProviderIdentity,
  hostUri: string,
): Promise<DevnetAppState & Record<string, unknown>> {
  const state = structuredClone(appState) as DevnetAppState & Record<string, unknown>;
  const attributes = devProviderAttributes();
  const nextNumber = Math.max(-1, ...state.auth.accounts.map((a) => Number(a.account_number))) + 1;
  state.auth.accounts.push({
    "@type": "/cosmos.auth.v1beta1.BaseAccount",
    address: identity.address,
    pub_key: null,
    account_number: String(nextNumber),
    sequence: "0",
  });
  const coins = Object.entries(PROVIDER_BALANCE)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
  state.bank.balances = sortByAddress([...state.bank.balances, { address: identity.address, coins }]);
  state.bank.supply = state.bank.supply.map((c) => ({
    denom: c.denom,
    amount: (BigInt(c.amount) + (PROVIDER_BALANCE[c.denom] ?? 0n)).toString(),
  }));
  state.provider = {
    providers: [
      {
        owner: identity.address,
        host_uri: hostUri,
        attributes,
        info: { email: "", website: "" },
      },
    ],
  };
  state.audit = {
    providers: [{ owner: identity.address, auditor: await devAuditorAddress(), attributes }],
  };
  state.cert = {
    certificates: [
      {
        owner: identity.address,
        certificate: {
          state: "valid",
          cert: Buffer.from(identity.tls.cert).toString("base64"),
          pubkey: Buffer.from(identity.tls.publicKey).toString("base64"),
        },
      },
    ],
  };
  return state;
}
