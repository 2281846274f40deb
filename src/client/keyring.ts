// A keyring of named secp256k1 keys, with the backends of the Cosmos SDK keyring that a DeCloud user
// needs: `test` (plain JSON, for devnets and CI) and `file` (encrypted at rest with a passphrase).
//
// Layout: `<home>/keyring-<backend>/<name>.json`, one file per key, mode 0600 in a 0700 directory.
// The address, public key and HD path are stored in clear in both backends, so `list` and `show` never
// ask for the passphrase; only the mnemonic is secret. In the `file` backend the mnemonic is sealed with
// AES-256-GCM under a key derived from the passphrase by scrypt, the record's name and address bound as
// associated data. `keyhash` holds the keyring's scrypt salt and a check value, so that a wrong passphrase
// is refused before anything is written, and every key of one keyring shares one passphrase, as in Cosmos.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from "node:crypto";
import { link, mkdir, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Secp256k1Wallet } from "@cosmjs/amino";
import { Bip39, Random } from "@cosmjs/crypto";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, type OfflineDirectSigner } from "@cosmjs/proto-signing";
import { hdPrivateKey } from "../crypto/hd.js";
import { BECH32_PREFIX } from "../params/chain.js";
import { assertAddress } from "./address.js";
import {
  CorruptKeyError,
  DecloudError,
  InvalidAddressError,
  InvalidKeyNameError,
  InvalidMnemonicError,
  KeyExistsError,
  KeyNotFoundError,
  PassphraseRequiredError,
  WrongPassphraseError,
} from "./errors.js";

export const KEYRING_BACKENDS = ["test", "file"] as const;
export type KeyringBackend = (typeof KEYRING_BACKENDS)[number];

/** The env variable the `file` backend reads its passphrase from when no terminal can ask for it. */
export const PASSPHRASE_ENV = "DECLOUD_KEYRING_PASSPHRASE";

/** The Cosmos HD path of key `index` (coin type 118). */
export function hdPathForIndex(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new DecloudError(`HD index ${index} is out of range.`, {
      hint: "Use an integer from 0 to 2147483647.",
    });
  }
  return `m/44'/118'/0'/0/${index}`;
}

/** What anyone may see about a key. */
export interface KeyInfo {
  readonly name: string;
  readonly type: "local";
  readonly algo: "secp256k1";
  /** `akash1…` */
  readonly address: string;
  /** Compressed secp256k1 public key, base64. */
  readonly pubkey: string;
  readonly hdPath: string;
  /** ISO 8601 */
  readonly createdAt: string;
}

/**
 * Supplies the passphrase of a `file` keyring. `creating` is true when the keyring has no passphrase yet,
 * so that an interactive prompt can ask twice. Returns undefined when it has no way to get one.
 */
export type PassphraseSource = (request: {
  keyringDir: string;
  creating: boolean;
}) => Promise<string | undefined>;

/** Reads the passphrase from `DECLOUD_KEYRING_PASSPHRASE`: the non-interactive default. */
export const envPassphrase: PassphraseSource = async () => process.env[PASSPHRASE_ENV] || undefined;

export interface KeyringOptions {
  /** The DeCloud home (`~/.decloud` by default in the CLI). */
  readonly home: string;
  readonly backend: KeyringBackend;
  /** Bech32 prefix of the addresses (default `akash`). */
  readonly prefix?: string;
  /** Where the `file` backend gets its passphrase (default: the env variable). */
  readonly passphrase?: PassphraseSource;
}

export interface AddKeyOptions {
  /** Last component of the HD path `m/44'/118'/0'/0/<index>` (default 0). */
  readonly index?: number;
}

interface Sealed {
  kdf: "scrypt";
  n: number;
  r: number;
  p: number;
  salt: string;
  cipher: "aes-256-gcm";
  iv: string;
  tag: string;
  ciphertext: string;
}

interface KeyRecord {
  version: 1;
  name: string;
  type: "local";
  algo: "secp256k1";
  address: string;
  pubkey: string;
  hd_path: string;
  created_at: string;
  /** `test` backend only. */
  mnemonic?: string;
  /** `file` backend only. */
  sealed?: Sealed;
}

interface KeyHash {
  kdf: "scrypt";
  n: number;
  r: number;
  p: number;
  salt: string;
  /** SHA-256 of the derived key: tells a wrong passphrase apart without revealing the key. */
  check: string;
}

// scrypt cost: N=2^15, r=8 (about 0.1 s and 32 MiB here), OWASP's recommended minimum for interactive use.
const SCRYPT = { n: 2 ** 15, r: 8, p: 1 };
const MIN_PASSPHRASE_LENGTH = 8;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function scryptKey(passphrase: string, salt: Uint8Array, cost: { n: number; r: number; p: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase.normalize("NFKC"),
      salt,
      32,
      { N: cost.n, r: cost.r, p: cost.p, maxmem: 256 * cost.n * cost.r },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

function normalizeMnemonic(mnemonic: string): string {
  return mnemonic.trim().toLowerCase().split(/\s+/).join(" ");
}

/** The secp256k1 private key at `hdPath` (SLIP-10, as cosmjs's HD wallets derive it). */
function privateKeyFor(mnemonic: string, hdPath: string): Uint8Array {
  try {
    return hdPrivateKey(mnemonic, hdPath);
  } catch (e) {
    throw new InvalidMnemonicError((e as Error).message);
  }
}

function walletFor(mnemonic: string, hdPath: string, prefix: string): Promise<DirectSecp256k1Wallet> {
  return DirectSecp256k1Wallet.fromKey(privateKeyFor(mnemonic, hdPath), prefix);
}

/** Writes a new file with mode 0600, failing if it exists (link is atomic and never overwrites). */
async function writeNewFile(path: string, data: string): Promise<"created" | "exists"> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, data, { mode: 0o600, flag: "wx" });
  try {
    await link(tmp, path);
    return "created";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return "exists";
    throw e;
  } finally {
    await unlink(tmp);
  }
}

export class Keyring {
  readonly backend: KeyringBackend;
  /** `<home>/keyring-<backend>` */
  readonly dir: string;
  private readonly prefix: string;
  private readonly passphraseSource: PassphraseSource;
  /** The derived encryption key, once the passphrase has been checked: one prompt per process. */
  private unlocked: { key: Buffer; hash: KeyHash } | undefined;

  constructor(options: KeyringOptions) {
    this.backend = options.backend;
    this.dir = join(options.home, `keyring-${options.backend}`);
    this.prefix = options.prefix ?? BECH32_PREFIX;
    this.passphraseSource = options.passphrase ?? envPassphrase;
  }

  /** Every key, sorted by name. */
  async list(): Promise<KeyInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const keys = await Promise.all(
      names.filter((f) => f.endsWith(".json")).map((f) => this.read(f.slice(0, -".json".length))),
    );
    return keys.map(toInfo).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async has(name: string): Promise<boolean> {
    try {
      await this.read(name);
      return true;
    } catch (e) {
      if (e instanceof KeyNotFoundError) return false;
      throw e;
    }
  }

  async show(name: string): Promise<KeyInfo> {
    return toInfo(await this.read(name));
  }

  /** Creates a key from a fresh 24-word mnemonic. The caller shows the mnemonic once; it is the only backup. */
  async add(name: string, options: AddKeyOptions = {}): Promise<{ key: KeyInfo; mnemonic: string }> {
    await this.assertFree(name);
    const hdPath = hdPathForIndex(options.index ?? 0);
    // 256 bits of entropy, as cosmjs's `DirectSecp256k1HdWallet.generate(24)` draws them.
    const mnemonic = Bip39.encode(Random.getBytes(32)).toString();
    const key = await this.store(name, mnemonic, hdPath, await walletFor(mnemonic, hdPath, this.prefix));
    return { key, mnemonic };
  }

  /** Stores a key recovered from its mnemonic. */
  async import(name: string, mnemonic: string, options: AddKeyOptions = {}): Promise<KeyInfo> {
    await this.assertFree(name);
    const hdPath = hdPathForIndex(options.index ?? 0);
    const normalized = normalizeMnemonic(mnemonic);
    return this.store(name, normalized, hdPath, await walletFor(normalized, hdPath, this.prefix));
  }

  /** The key's mnemonic (asks for the passphrase in the `file` backend). */
  async exportMnemonic(name: string): Promise<string> {
    return this.mnemonicOf(await this.read(name));
  }

  /** Removes a key. In the `file` backend the passphrase must be right first: a deletion cannot be undone. */
  async delete(name: string): Promise<void> {
    await this.read(name);
    if (this.backend === "file") await this.unlock();
    await unlink(this.pathOf(name));
  }

  /** A cosmjs signer for the key, for `SigningStargateClient`. */
  async getSigner(name: string): Promise<OfflineDirectSigner> {
    const record = await this.read(name);
    const wallet = await walletFor(await this.mnemonicOf(record), record.hd_path, this.prefix);
    const [account] = await wallet.getAccounts();
    if (account?.address !== record.address) {
      throw new CorruptKeyError(
        this.pathOf(name),
        `the mnemonic derives ${account?.address}, not ${record.address}`,
      );
    }
    return wallet;
  }

  /**
   * An amino signer for the key: what chain-sdk's JwtTokenManager signs provider JWTs with (ADR-36, the form
   * wallets produce; reference: akash-provider.md §4.2).
   */
  async getAminoSigner(name: string): Promise<Secp256k1Wallet> {
    const record = await this.read(name);
    const wallet = await Secp256k1Wallet.fromKey(
      privateKeyFor(await this.mnemonicOf(record), record.hd_path),
      this.prefix,
    );
    const [account] = await wallet.getAccounts();
    if (account?.address !== record.address) {
      throw new CorruptKeyError(
        this.pathOf(name),
        `the mnemonic derives ${account?.address}, not ${record.address}`,
      );
    }
    return wallet;
  }

  /** The key whose address this is, if the keyring holds one. */
  async findByAddress(address: string): Promise<KeyInfo | undefined> {
    return (await this.list()).find((k) => k.address === address);
  }

  /**
   * An address from either an address or a key name, so that commands accept both (`alice` or `akash1…`).
   * A bech32 string with our prefix is taken as an address; anything else must name a key.
   */
  async resolveAddress(nameOrAddress: string): Promise<string> {
    if (nameOrAddress.startsWith(`${this.prefix}1`)) return assertAddress(nameOrAddress, this.prefix);
    if (!KEY_NAME.test(nameOrAddress)) throw new InvalidAddressError(nameOrAddress);
    try {
      return (await this.show(nameOrAddress)).address;
    } catch (e) {
      if (e instanceof KeyNotFoundError) {
        throw new InvalidAddressError(nameOrAddress, `no key named "${nameOrAddress}" in ${this.dir}`);
      }
      throw e;
    }
  }

  private pathOf(name: string): string {
    if (!KEY_NAME.test(name)) throw new InvalidKeyNameError(name);
    return join(this.dir, `${name}.json`);
  }

  private async read(name: string): Promise<KeyRecord> {
    const path = this.pathOf(name);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new KeyNotFoundError(name, this.dir);
      throw e;
    }
    let record: KeyRecord;
    try {
      record = JSON.parse(text) as KeyRecord;
    } catch (e) {
      throw new CorruptKeyError(path, (e as Error).message);
    }
    if (record.version !== 1 || typeof record.address !== "string" || typeof record.hd_path !== "string") {
      throw new CorruptKeyError(path, "unknown format");
    }
    return record;
  }

  private async assertFree(name: string): Promise<void> {
    this.pathOf(name);
    if (await this.has(name)) throw new KeyExistsError(name);
  }

  private async store(
    name: string,
    mnemonic: string,
    hdPath: string,
    wallet: OfflineDirectSigner,
  ): Promise<KeyInfo> {
    const [account] = await wallet.getAccounts();
    const record: KeyRecord = {
      version: 1,
      name,
      type: "local",
      algo: "secp256k1",
      address: account!.address,
      pubkey: toBase64(account!.pubkey),
      hd_path: hdPath,
      created_at: new Date().toISOString(),
    };
    if (this.backend === "test") record.mnemonic = mnemonic;
    else record.sealed = await this.seal(mnemonic, record);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if ((await writeNewFile(this.pathOf(name), `${JSON.stringify(record, null, 2)}\n`)) === "exists") {
      throw new KeyExistsError(name);
    }
    return toInfo(record);
  }

  private async mnemonicOf(record: KeyRecord): Promise<string> {
    if (this.backend === "test") {
      if (typeof record.mnemonic !== "string")
        throw new CorruptKeyError(this.pathOf(record.name), "no mnemonic");
      return record.mnemonic;
    }
    if (!record.sealed) throw new CorruptKeyError(this.pathOf(record.name), "no sealed mnemonic");
    return this.open(record.sealed, record);
  }

  /** Checks the passphrase against `keyhash` (creating it on first use) and keeps the derived key. */
  private async unlock(): Promise<{ key: Buffer; hash: KeyHash }> {
    if (this.unlocked) return this.unlocked;
    const hashPath = join(this.dir, "keyhash");
    let hash: KeyHash | undefined;
    try {
      hash = JSON.parse(await readFile(hashPath, "utf8")) as KeyHash;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT")
        throw new CorruptKeyError(hashPath, (e as Error).message);
    }
    const passphrase = await this.passphraseSource({ keyringDir: this.dir, creating: hash === undefined });
    if (passphrase === undefined) throw new PassphraseRequiredError(this.dir);
    if (hash) {
      const key = await scryptKey(passphrase, fromBase64(hash.salt), hash);
      const check = createHash("sha256").update(key).digest();
      if (!timingSafeEqual(check, fromBase64(hash.check))) throw new WrongPassphraseError(this.dir);
      this.unlocked = { key, hash };
      return this.unlocked;
    }
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new DecloudError(`The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`, {
        hint: "Choose a longer one; it protects every key in this keyring.",
      });
    }
    const salt = randomBytes(16);
    const key = await scryptKey(passphrase, salt, SCRYPT);
    const created: KeyHash = {
      kdf: "scrypt",
      ...SCRYPT,
      salt: toBase64(salt),
      check: toBase64(createHash("sha256").update(key).digest()),
    };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if ((await writeNewFile(hashPath, `${JSON.stringify(created, null, 2)}\n`)) === "exists") {
      // Another process created the keyring meanwhile: check against its passphrase instead.
      return this.unlock();
    }
    this.unlocked = { key, hash: created };
    return this.unlocked;
  }

  private async seal(mnemonic: string, record: KeyRecord): Promise<Sealed> {
    const { key, hash } = await this.unlock();
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(associatedData(record));
    const ciphertext = Buffer.concat([cipher.update(mnemonic, "utf8"), cipher.final()]);
    return {
      kdf: "scrypt",
      n: hash.n,
      r: hash.r,
      p: hash.p,
      salt: hash.salt,
      cipher: "aes-256-gcm",
      iv: toBase64(iv),
      tag: toBase64(cipher.getAuthTag()),
      ciphertext: toBase64(ciphertext),
    };
  }

  private async open(sealed: Sealed, record: KeyRecord): Promise<string> {
    const { key, hash } = await this.unlock();
    // A record names the KDF parameters it was sealed with, so that a mismatch (a key file copied from
    // another keyring) is reported as such rather than as a wrong passphrase.
    if (sealed.salt !== hash.salt || sealed.n !== hash.n || sealed.r !== hash.r || sealed.p !== hash.p) {
      throw new CorruptKeyError(this.pathOf(record.name), "sealed under another keyring's passphrase");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, fromBase64(sealed.iv));
      decipher.setAAD(associatedData(record));
      decipher.setAuthTag(fromBase64(sealed.tag));
      return Buffer.concat([decipher.update(fromBase64(sealed.ciphertext)), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      // The passphrase was checked already, so a failed tag means the file was altered.
      throw new CorruptKeyError(this.pathOf(record.name), "the sealed mnemonic does not authenticate");
    }
  }
}

/** Binds a sealed mnemonic to its record, so that swapping ciphertexts between key files is detected. */
function associatedData(record: KeyRecord): Buffer {
  return Buffer.from(`decloud-keyring-v1\n${record.name}\n${record.address}\n${record.hd_path}`, "utf8");
}

function toInfo(record: KeyRecord): KeyInfo {
  return {
    name: record.name,
    type: record.type,
    algo: record.algo,
    address: record.address,
    pubkey: record.pubkey,
    hdPath: record.hd_path,
    createdAt: record.created_at,
  };
}
