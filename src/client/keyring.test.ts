import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSignDoc } from "@cosmjs/proto-signing";
import { DEV_MNEMONIC, getDevAccounts } from "../params/devnet.js";
import {
  CorruptKeyError,
  InvalidAddressError,
  InvalidKeyNameError,
  InvalidMnemonicError,
  KeyExistsError,
  KeyNotFoundError,
  PassphraseRequiredError,
  WrongPassphraseError,
} from "./errors.js";
import { Keyring, type PassphraseSource } from "./keyring.js";

let home: string;
before(async () => {
  home = await mkdtemp(join(tmpdir(), "decloud-keyring-"));
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

const fixed =
  (passphrase: string | undefined): PassphraseSource =>
  async () =>
    passphrase;

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe("test backend", () => {
  test("add, list, show, export, sign, delete", async () => {
    const keyring = new Keyring({ home, backend: "test" });
    assert.deepEqual(await keyring.list(), []);

    const { key, mnemonic } = await keyring.add("me");
    assert.equal(mnemonic.split(" ").length, 24);
    assert.match(key.address, /^akash1[0-9a-z]{38}$/);
    assert.equal(key.hdPath, "m/44'/118'/0'/0/0");
    assert.equal(Buffer.from(key.pubkey, "base64").length, 33);
    // The signers derive from the stored mnemonic (native seed) the key cosmjs's HD wallet made at `add`.
    assert.equal((await (await keyring.getSigner("me")).getAccounts())[0]!.address, key.address);
    assert.equal((await (await keyring.getAminoSigner("me")).getAccounts())[0]!.address, key.address);

    assert.deepEqual(await keyring.show("me"), key);
    assert.deepEqual(
      (await keyring.list()).map((k) => k.name),
      ["me"],
    );
    assert.equal(await keyring.exportMnemonic("me"), mnemonic);
    assert.equal(await keyring.resolveAddress("me"), key.address);
    assert.equal(await keyring.resolveAddress(key.address), key.address);
    assert.deepEqual(await keyring.findByAddress(key.address), key);

    const signer = await keyring.getSigner("me");
    const [account] = await signer.getAccounts();
    assert.equal(account!.address, key.address);
    const signed = await signer.signDirect(
      key.address,
      makeSignDoc(new Uint8Array(), new Uint8Array(), "c", 0n),
    );
    assert.equal(Buffer.from(signed.signature.signature, "base64").length, 64);

    await keyring.delete("me");
    assert.deepEqual(await keyring.list(), []);
    await assert.rejects(keyring.show("me"), KeyNotFoundError);
  });

  test("files are 0600 in a 0700 directory", async () => {
    const keyring = new Keyring({ home, backend: "test" });
    await keyring.add("perm");
    assert.equal(await mode(keyring.dir), 0o700);
    assert.equal(await mode(join(keyring.dir, "perm.json")), 0o600);
    await keyring.delete("perm");
  });

  test("import recovers the same address; --index picks another key", async () => {
    const keyring = new Keyring({ home, backend: "test" });
    const [alice, bob] = await getDevAccounts();
    const a = await keyring.import("a", `  ${DEV_MNEMONIC.toUpperCase()}\n`);
    assert.equal(a.address, alice!.address);
    assert.equal(a.pubkey, alice!.pubkey);
    const b = await keyring.import("b", DEV_MNEMONIC, { index: 1 });
    assert.equal(b.address, bob!.address);
    assert.equal(b.hdPath, "m/44'/118'/0'/0/1");
    await keyring.delete("a");
    await keyring.delete("b");
  });

  test("refuses duplicates, bad names, bad mnemonics, and unknown names", async () => {
    const keyring = new Keyring({ home, backend: "test" });
    await keyring.import("dup", DEV_MNEMONIC);
    await assert.rejects(keyring.add("dup"), KeyExistsError);
    await assert.rejects(keyring.import("dup", DEV_MNEMONIC), KeyExistsError);
    for (const name of ["../escape", "", "a/b", ".hidden", "x".repeat(65)]) {
      await assert.rejects(keyring.add(name), InvalidKeyNameError, `name ${JSON.stringify(name)}`);
    }
    await assert.rejects(keyring.import("bad", "test test test"), InvalidMnemonicError);
    await assert.rejects(
      keyring.import("bad", `${DEV_MNEMONIC.replace("junk", "test")}`),
      InvalidMnemonicError,
    );
    await assert.rejects(keyring.add("neg", { index: -1 }), /out of range/);
    await assert.rejects(keyring.exportMnemonic("nobody"), KeyNotFoundError);
    await assert.rejects(keyring.resolveAddress("nobody"), InvalidAddressError);
    await assert.rejects(keyring.resolveAddress("akash1notbech32"), InvalidAddressError);
    await keyring.delete("dup");
  });
});

describe("file backend", () => {
  const passphrase = "correct horse battery";

  test("round-trips with the passphrase and keeps the mnemonic off the disk", async () => {
    const keyring = new Keyring({ home, backend: "file", passphrase: fixed(passphrase) });
    const { key, mnemonic } = await keyring.add("sealed");
    const text = await readFile(join(keyring.dir, "sealed.json"), "utf8");
    for (const word of mnemonic.split(" "))
      assert.ok(!text.includes(` ${word} `), "mnemonic stored in clear");
    assert.equal(await mode(join(keyring.dir, "sealed.json")), 0o600);
    assert.equal(await mode(join(keyring.dir, "keyhash")), 0o600);

    // A new process (a new Keyring) with the same passphrase reads it back.
    const again = new Keyring({ home, backend: "file", passphrase: fixed(passphrase) });
    assert.equal(await again.exportMnemonic("sealed"), mnemonic);
    const [account] = await (await again.getSigner("sealed")).getAccounts();
    assert.equal(account!.address, key.address);
  });

  test("list and show need no passphrase", async () => {
    const keyring = new Keyring({ home, backend: "file", passphrase: fixed(undefined) });
    assert.deepEqual(
      (await keyring.list()).map((k) => k.name),
      ["sealed"],
    );
    assert.match((await keyring.show("sealed")).address, /^akash1/);
  });

  test("a wrong passphrase is refused with a clear error and nothing is lost", async () => {
    const wrong = new Keyring({ home, backend: "file", passphrase: fixed("not the passphrase") });
    const before = await readdir(wrong.dir);
    await assert.rejects(wrong.exportMnemonic("sealed"), WrongPassphraseError);
    await assert.rejects(wrong.getSigner("sealed"), WrongPassphraseError);
    await assert.rejects(wrong.delete("sealed"), WrongPassphraseError);
    await assert.rejects(wrong.import("other", DEV_MNEMONIC), WrongPassphraseError);
    await assert.rejects(wrong.add("other"), /Wrong passphrase.*Nothing was changed/);
    assert.deepEqual(await readdir(wrong.dir), before);

    const right = new Keyring({ home, backend: "file", passphrase: fixed(passphrase) });
    assert.equal((await right.exportMnemonic("sealed")).split(" ").length, 24);
  });

  test("no passphrase available → says how to provide one", async () => {
    const keyring = new Keyring({ home, backend: "file", passphrase: fixed(undefined) });
    await assert.rejects(keyring.exportMnemonic("sealed"), (e: unknown) => {
      assert.ok(e instanceof PassphraseRequiredError);
      assert.match(e.hint!, /DECLOUD_KEYRING_PASSPHRASE/);
      return true;
    });
  });

  test("a new keyring refuses a short passphrase", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "decloud-keyring-"));
    try {
      const keyring = new Keyring({ home: fresh, backend: "file", passphrase: fixed("short") });
      await assert.rejects(keyring.add("k"), /at least 8 characters/);
      assert.deepEqual(await keyring.list(), []);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  test("a tampered key file is reported as corrupt, not as a wrong passphrase", async () => {
    const keyring = new Keyring({ home, backend: "file", passphrase: fixed(passphrase) });
    await keyring.import("victim", DEV_MNEMONIC);
    const path = join(keyring.dir, "victim.json");
    const record = JSON.parse(await readFile(path, "utf8"));
    record.address = (await getDevAccounts())[1]!.address;
    await writeFile(path, JSON.stringify(record));
    await assert.rejects(keyring.getSigner("victim"), CorruptKeyError);
  });
});
