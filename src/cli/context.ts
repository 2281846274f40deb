// What every command gets: the global options resolved to values, the output, and lazily opened
// collaborators (keyring, node connection), so that `keys list` never touches the network and
// `status` never touches the keyring.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { PublicClient, WalletClient } from "../client/connect.js";
import { DecloudError } from "../client/errors.js";
import {
  KEYRING_BACKENDS,
  Keyring,
  type KeyringBackend,
  PASSPHRASE_ENV,
  type PassphraseSource,
} from "../client/keyring.js";
import { BECH32_PREFIX } from "../params/chain.js";
import { type ClientConfig, readConfig } from "./config.js";
import { DEFAULT_NODE } from "./defaults.js";
import type { CliIO } from "./io.js";
import { Output } from "./output.js";
import { isInteractive, promptSecret } from "./prompt.js";

/** Global options as commander hands them over. */
export interface GlobalOptions {
  readonly home?: string;
  readonly node?: string;
  readonly json?: boolean;
  readonly keyringBackend?: string;
  readonly chainId?: string;
  readonly rest?: string;
}

/** `--home`, else DECLOUD_HOME, else `~/.decloud`. */
export function resolveHome(options: GlobalOptions, env: CliIO["env"]): string {
  return options.home ?? env.DECLOUD_HOME ?? join(homedir(), ".decloud");
}

/**
 * `--keyring-backend`, else DECLOUD_KEYRING_BACKEND, else the backend the home already uses when it has
 * only a `test` keyring (a devnet home, as `decloud dev` creates it), else `file`: a fresh home gets the
 * encrypted keyring, so real keys are never stored in clear by default.
 */
export function resolveKeyringBackend(
  home: string,
  options: GlobalOptions,
  env: CliIO["env"],
): KeyringBackend {
  const chosen = options.keyringBackend ?? env.DECLOUD_KEYRING_BACKEND;
  if (chosen !== undefined) {
    if (!(KEYRING_BACKENDS as readonly string[]).includes(chosen)) {
      throw new DecloudError(`Unknown keyring backend "${chosen}".`, {
        hint: `Use one of: ${KEYRING_BACKENDS.join(", ")}.`,
      });
    }
    return chosen as KeyringBackend;
  }
  const hasTest = existsSync(join(home, "keyring-test"));
  const hasFile = existsSync(join(home, "keyring-file"));
  return hasTest && !hasFile ? "test" : "file";
}

/** The passphrase from DECLOUD_KEYRING_PASSPHRASE, else from the terminal (twice for a new keyring). */
function cliPassphrase(io: CliIO): PassphraseSource {
  return async ({ keyringDir, creating }) => {
    const fromEnv = io.env[PASSPHRASE_ENV];
    if (fromEnv) return fromEnv;
    if (!isInteractive(io)) return undefined;
    if (!creating) return promptSecret(io, `Passphrase for ${keyringDir}: `);
    const first = await promptSecret(io, `New passphrase for ${keyringDir} (protects every key in it): `);
    const again = await promptSecret(io, "Repeat the passphrase: ");
    if (first !== again) {
      throw new DecloudError("The two passphrases differ. Nothing was changed.", { hint: "Try again." });
    }
    return first;
  };
}

export class CliContext {
  readonly output: Output;
  readonly home: string;
  readonly node: string;
  /** `decloud config` defaults (a flag wins over them). */
  readonly config: ClientConfig;
  readonly chainId: string | undefined;
  /** The process's exit code when the command succeeded but has one to report (`shell`). */
  exitCode = 0;
  private openedKeyring: Keyring | undefined;
  private readonly clients: PublicClient[] = [];

  constructor(
    readonly options: GlobalOptions,
    readonly io: CliIO,
  ) {
    this.home = resolveHome(options, io.env);
    this.config = readConfig(this.home);
    this.output = new Output(io, options.json ?? this.config.output === "json");
    this.node = options.node ?? this.config.node ?? DEFAULT_NODE;
    this.chainId = options.chainId ?? this.config["chain-id"];
  }

  get json(): boolean {
    return this.output.json;
  }

  keyring(): Keyring {
    this.openedKeyring ??= new Keyring({
      home: this.home,
      backend: resolveKeyringBackend(this.home, this.options, this.io.env),
      passphrase: cliPassphrase(this.io),
    });
    return this.openedKeyring;
  }

  async connect(): Promise<PublicClient> {
    // Loaded on demand: the client brings chain-sdk's registry, which `keys` and `config` do without.
    const { connect } = await import("../client/connect.js");
    const client = await connect(this.node, { chainId: this.chainId });
    this.clients.push(client);
    return client;
  }

  /** Connects with the signer of a key, given by name or by the address of a key in the keyring. */
  async connectAs(nameOrAddress: string): Promise<{ client: WalletClient; address: string; name: string }> {
    const keyring = this.keyring();
    const name = nameOrAddress.startsWith(`${BECH32_PREFIX}1`)
      ? (await keyring.findByAddress(nameOrAddress))?.name
      : nameOrAddress;
    if (name === undefined) {
      throw new DecloudError(`No key in ${keyring.dir} has the address ${nameOrAddress}.`, {
        hint: "Sign with a key name from `decloud keys list`, or import the key with `decloud keys import`.",
      });
    }
    const address = (await keyring.show(name)).address;
    const signer = await keyring.getSigner(name);
    const { connectWithSigner } = await import("../client/connect.js");
    const client = await connectWithSigner(this.node, signer, { chainId: this.chainId });
    this.clients.push(client);
    return { client, address, name };
  }

  /** An address from an address or a key name. */
  resolveAddress(nameOrAddress: string): Promise<string> {
    return this.keyring().resolveAddress(nameOrAddress);
  }

  close(): void {
    for (const c of this.clients.splice(0)) c.disconnect();
  }
}
