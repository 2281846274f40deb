// The client config (`decloud config set|get`): defaults for the global options, so that a person working
// against a shared network types no flag twice. Kept in `<home>/config.json`; a flag always wins over it,
// and it wins over the built-in default (as Cosmos's client.toml does for `--node`, `--chain-id`, `--output`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DecloudError } from "../client/errors.js";

export interface ClientConfig {
  /** CometBFT RPC endpoint (`--node`). */
  readonly node?: string;
  /** Refuse other chains (`--chain-id`). */
  readonly "chain-id"?: string;
  /** The signing key of tenant and tx commands (`--from`). */
  readonly from?: string;
  /** `text` or `json` (`--json`). */
  readonly output?: "text" | "json";
  /** How tenant commands authenticate to providers: `mtls` (a client certificate; default) or `jwt`. */
  readonly auth?: "mtls" | "jwt";
}

export const CONFIG_KEYS: Readonly<Record<keyof ClientConfig, string>> = {
  node: "CometBFT RPC endpoint used when --node is not given",
  "chain-id": "chain id the node must run (--chain-id)",
  from: "key that signs when --from is not given",
  output: "text or json (json = --json on every command)",
  auth: "mtls (client certificate, the default) or jwt (a token signed with the account key) for providers",
};

export function configPath(home: string): string {
  return join(home, "config.json");
}

export function readConfig(home: string): ClientConfig {
  const path = configPath(home);
  if (!existsSync(path)) return {};
  try {
    const json = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not an object");
    return json as ClientConfig;
  } catch (e) {
    throw new DecloudError(`${path} cannot be read: ${(e as Error).message}.`, {
      hint: "Fix it, or delete it to go back to the defaults.",
    });
  }
}

/** Checks a key and its value; returns the value to store (undefined unsets). */
export function checkSetting(key: string, value: string | undefined): string | undefined {
  if (!(key in CONFIG_KEYS)) {
    throw new DecloudError(`"${key}" is not a setting.`, {
      hint: `Settings: ${Object.keys(CONFIG_KEYS).join(", ")}.`,
    });
  }
  if (value === undefined) return undefined;
  if (key === "node" && !/^https?:\/\//.test(value)) {
    throw new DecloudError(`"${value}" is not an RPC URL.`, { hint: "e.g. http://127.0.0.1:26657" });
  }
  if (key === "output" && value !== "text" && value !== "json") {
    throw new DecloudError(`output must be text or json, not "${value}".`);
  }
  if (key === "auth" && value !== "mtls" && value !== "jwt") {
    throw new DecloudError(`auth must be mtls or jwt, not "${value}".`);
  }
  return value;
}

export function writeSetting(home: string, key: keyof ClientConfig, value: string | undefined): ClientConfig {
  const config: Record<string, string> = { ...(readConfig(home) as Record<string, string>) };
  if (value === undefined) delete config[key];
  else config[key] = value;
  mkdirSync(home, { recursive: true });
  writeFileSync(configPath(home), `${JSON.stringify(config, null, 2)}\n`);
  return config;
}
