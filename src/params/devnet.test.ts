import assert from "node:assert/strict";
import { test } from "node:test";
import { BOND_DENOM, USDC_DENOM } from "./chain.js";
import {
  buildDevnetAppState,
  DEV_ACCOUNT_NAMES,
  DEV_MNEMONIC,
  FAUCET_ACCOUNT_NAME,
  getDevAccounts,
  getFaucetAccount,
} from "./devnet.js";

test("ten distinct dev accounts and a faucet, derived deterministically", async () => {
  assert.equal(DEV_MNEMONIC, "test test test test test test test test test test test junk");
  const accounts = await getDevAccounts();
  assert.equal(accounts.length, 10);
  assert.deepEqual(
    accounts.map((a) => a.name),
    [...DEV_ACCOUNT_NAMES],
  );
  const faucet = await getFaucetAccount();
  assert.equal(faucet.name, FAUCET_ACCOUNT_NAME);
  assert.equal(faucet.hdPath, "m/44'/118'/0'/0/10");
  const addresses = [...accounts, faucet].map((a) => a.address);
  assert.equal(new Set(addresses).size, 11);
  for (const [i, a] of accounts.entries()) {
    assert.match(a.address, /^akash1[02-9ac-hj-np-z]{38}$/, a.name);
    assert.equal(a.index, i);
    assert.equal(a.hdPath, `m/44'/118'/0'/0/${i}`);
  }
  // Pinned: docs and tests hard-code these, so a change in derivation must fail loudly.
  assert.equal(accounts[0]!.address, "akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy");
  assert.equal(accounts[9]!.address, "akash1f84c23zhjlddsfg6n4y94v260v5yd8ktvfsj25");
  assert.equal(faucet.address, "akash1nxkwrvet9pggwt46cyr5gt39nfh7d054e62x77");
});

test("genesis app_state has the Cosmos shape, sorted coins and a matching supply", async () => {
  const state = await buildDevnetAppState();
  const accounts = await getDevAccounts();
  const faucet = await getFaucetAccount();

  assert.equal(state.auth.accounts.length, 11);
  assert.deepEqual(state.auth.accounts[0], {
    "@type": "/cosmos.auth.v1beta1.BaseAccount",
    address: accounts[0]!.address,
    pub_key: null,
    account_number: "0",
    sequence: "0",
  });
  assert.equal(state.auth.params.sig_verify_cost_secp256k1, "1000");
  assert.deepEqual(state.bank.params, { default_send_enabled: true });
  assert.deepEqual(state.bank.send_enabled, []);

  assert.equal(state.bank.balances.length, 11);
  const sortedAddresses = state.bank.balances.map((b) => b.address);
  assert.deepEqual(sortedAddresses, [...sortedAddresses].sort());
  const alice = state.bank.balances.find((b) => b.address === accounts[0]!.address)!;
  assert.deepEqual(alice.coins, [
    { denom: USDC_DENOM, amount: "100000000000" },
    { denom: BOND_DENOM, amount: "1000000000000" },
  ]);
  for (const b of state.bank.balances) {
    const denoms = b.coins.map((c) => c.denom);
    assert.deepEqual(denoms, [...denoms].sort(), b.address);
  }
  const faucetBalance = state.bank.balances.find((b) => b.address === faucet.address)!;
  assert.ok(BigInt(faucetBalance.coins[1]!.amount) > BigInt(alice.coins[1]!.amount));

  for (const { denom, amount } of state.bank.supply) {
    const total = state.bank.balances
      .flatMap((b) => b.coins)
      .filter((c) => c.denom === denom)
      .reduce((sum, c) => sum + BigInt(c.amount), 0n);
    assert.equal(BigInt(amount), total, denom);
  }

  const usdc = state.bank.denom_metadata.find((m) => m.base === USDC_DENOM)!;
  assert.equal(usdc.symbol, "USDC");
  assert.equal(usdc.display, "usdc");
  assert.deepEqual(
    usdc.denom_units.map((u) => [u.denom, u.exponent]),
    [
      [USDC_DENOM, 0],
      ["usdc", 6],
    ],
  );
  const akt = state.bank.denom_metadata.find((m) => m.base === BOND_DENOM)!;
  assert.equal(akt.symbol, "AKT");
  assert.equal(akt.denom_units.find((u) => u.denom === akt.display)!.exponent, 6);

  // JSON-safe: the node writes it into genesis.json as is.
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
});
