// A node home for CometBFT v0.38: config/config.toml (CometBFT's), config/app.toml (the app's, with the
// Cosmos SDK's key names), and data/priv_validator_state.json. The keys and genesis are the ones the solo node
// already writes in CometBFT's formats (src/node/init.ts, privval/keys.ts, types/genesis.ts).
//
// config.toml lists only the settings DeCloud chooses; CometBFT starts from its DefaultConfig and overlays the
// file (config/toml.go, cmd/cometbft/commands/root.go ParseConfig), so every key not written keeps CometBFT's
// default. Both files are written and read here with a small TOML subset: [sections], and `key = value` where
// value is a "string", a number or a boolean — what these files hold.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TomlValue = string | number | boolean;
export type TomlDoc = Record<string, Record<string, TomlValue>>;

/** Top-level keys live in section "". */
export function parseToml(text: string): TomlDoc {
  const doc: TomlDoc = { "": {} };
  let section = doc[""]!;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s+|\s+$/g, "");
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(line);
    if (header) {
      doc[header[1]!] ??= {};
      section = doc[header[1]!]!;
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const value = kv[2]!.replace(/\s+#.*$/, "");
    const str = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
    if (str) section[kv[1]!] = JSON.parse(`"${str[1]}"`) as string;
    else if (value === "true" || value === "false") section[kv[1]!] = value === "true";
    else if (/^-?\d+(\.\d+)?$/.test(value)) section[kv[1]!] = Number(value);
    // Arrays, tables inline, dates: not used by these files; ignored.
  }
  return doc;
}

export function formatToml(doc: TomlDoc, header = ""): string {
  const fmt = (v: TomlValue) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  const lines: string[] = header ? [header, ""] : [];
  for (const [k, v] of Object.entries(doc[""] ?? {})) lines.push(`${k} = ${fmt(v)}`);
  for (const [name, section] of Object.entries(doc)) {
    if (name === "") continue;
    lines.push("", `[${name}]`);
    for (const [k, v] of Object.entries(section)) lines.push(`${k} = ${fmt(v)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Consensus timeouts. CometBFT's defaults (1 s commit, 3 s propose) suit a network over the Internet. */
export interface ConsensusTimeouts {
  propose: string;
  proposeDelta: string;
  prevote: string;
  prevoteDelta: string;
  precommit: string;
  precommitDelta: string;
  commit: string;
}

/** CometBFT v0.38's defaults (config/config.go DefaultConsensusConfig). */
export const DEFAULT_TIMEOUTS: ConsensusTimeouts = {
  propose: "3s",
  proposeDelta: "500ms",
  prevote: "1s",
  prevoteDelta: "500ms",
  precommit: "1s",
  precommitDelta: "500ms",
  commit: "1s",
};

/**
 * Fast timeouts for a localnet on loopback: a block about every 150 ms. Messages cross loopback in well under
 * a millisecond, so the propose/vote timeouts only matter when a validator is down.
 */
export const FAST_TIMEOUTS: ConsensusTimeouts = {
  propose: "600ms",
  proposeDelta: "100ms",
  prevote: "150ms",
  prevoteDelta: "50ms",
  precommit: "150ms",
  precommitDelta: "50ms",
  commit: "150ms",
};

export interface CometConfigOptions {
  moniker: string;
  /** Where CometBFT reaches the app: tcp://127.0.0.1:26658 (default) or unix:///path. */
  proxyApp?: string;
  /** CometBFT's RPC, default tcp://127.0.0.1:26657. */
  rpcLaddr?: string;
  /** p2p, default tcp://0.0.0.0:26656. */
  p2pLaddr?: string;
  /** `id@host:port,…` */
  persistentPeers?: string;
  timeouts?: ConsensusTimeouts;
  /** false: blocks only when txs are pending (and the proof block after an app hash change). Default true. */
  createEmptyBlocks?: boolean;
  /** Loopback localnets: several nodes per IP, non-routable addresses in the address book. */
  local?: boolean;
  logLevel?: string;
}

/** The config.toml DeCloud writes; keys not set keep CometBFT's defaults. */
export function cometConfigToml(o: CometConfigOptions): TomlDoc {
  const t = o.timeouts ?? DEFAULT_TIMEOUTS;
  const fast = t.commit !== DEFAULT_TIMEOUTS.commit;
  return {
    "": {
      proxy_app: o.proxyApp ?? "tcp://127.0.0.1:26658",
      moniker: o.moniker,
      abci: "socket",
      // JSON lines, so that the node can forward them into its own log.
      log_format: "json",
      log_level: o.logLevel ?? "info",
      db_backend: "goleveldb",
    },
    rpc: {
      laddr: o.rpcLaddr ?? "tcp://127.0.0.1:26657",
      // Clients wait for their txs through broadcast_tx_commit and subscriptions; CometBFT's default of 100
      // websocket clients and 5 subscriptions each is kept.
      timeout_broadcast_tx_commit: "10s",
    },
    p2p: {
      laddr: o.p2pLaddr ?? "tcp://0.0.0.0:26656",
      persistent_peers: o.persistentPeers ?? "",
      addr_book_strict: !o.local,
      allow_duplicate_ip: !!o.local,
      // The default 100 ms batches p2p messages; on loopback it would only add latency to every vote.
      flush_throttle_timeout: fast ? "10ms" : "100ms",
    },
    mempool: {
      // Re-run CheckTx for what is left in the mempool after each block (the SDK's default too).
      recheck: true,
      size: 5000,
    },
    consensus: {
      timeout_propose: t.propose,
      timeout_propose_delta: t.proposeDelta,
      timeout_prevote: t.prevote,
      timeout_prevote_delta: t.prevoteDelta,
      timeout_precommit: t.precommit,
      timeout_precommit_delta: t.precommitDelta,
      timeout_commit: t.commit,
      create_empty_blocks: o.createEmptyBlocks ?? true,
      peer_gossip_sleep_duration: fast ? "10ms" : "100ms",
      peer_query_maj23_sleep_duration: fast ? "200ms" : "2s",
    },
    // tx_search and `tx` are what clients use to find their txs.
    tx_index: { indexer: "kv" },
    instrumentation: { prometheus: false },
  };
}

/** The app's own settings, with the Cosmos SDK's app.toml names. */
export interface AppConfig {
  minimumGasPrices: string;
  /** REST (gRPC-gateway), e.g. tcp://127.0.0.1:1317; "" disables it. */
  apiAddress: string;
  /** gRPC, e.g. 127.0.0.1:9090; "" disables it. */
  grpcAddress: string;
}

export function appConfigToml(c: AppConfig): TomlDoc {
  return {
    "": { "minimum-gas-prices": c.minimumGasPrices },
    api: { enable: c.apiAddress !== "", address: c.apiAddress },
    grpc: { enable: c.grpcAddress !== "", address: c.grpcAddress },
  };
}

export function homePaths(home: string) {
  const config = join(home, "config");
  const data = join(home, "data");
  return {
    config,
    data,
    configToml: join(config, "config.toml"),
    appToml: join(config, "app.toml"),
    genesis: join(config, "genesis.json"),
    validatorKey: join(config, "priv_validator_key.json"),
    nodeKey: join(config, "node_key.json"),
    validatorState: join(data, "priv_validator_state.json"),
    appData: join(data, "app"),
  };
}

export function writeCometConfig(home: string, opts: CometConfigOptions): void {
  const p = homePaths(home);
  mkdirSync(p.config, { recursive: true });
  writeFileSync(
    p.configToml,
    formatToml(
      cometConfigToml(opts),
      "# CometBFT v0.38 configuration written by `decloud node init`. Keys not listed take CometBFT's defaults.",
    ),
  );
}

export function writeAppConfig(home: string, c: AppConfig): void {
  const p = homePaths(home);
  mkdirSync(p.config, { recursive: true });
  writeFileSync(
    p.appToml,
    formatToml(appConfigToml(c), "# DeCloud app configuration (Cosmos SDK app.toml names)."),
  );
}

/**
 * CometBFT's FilePV refuses to start without its last-sign state (privval/file.go loadFilePV): a fresh one says
 * it never signed. Never overwritten: it is what keeps a validator from double-signing after a restart.
 */
export function ensureValidatorState(home: string): void {
  const p = homePaths(home);
  if (existsSync(p.validatorState)) return;
  mkdirSync(p.data, { recursive: true });
  writeFileSync(p.validatorState, `${JSON.stringify({ height: "0", round: 0, step: 0 }, null, 2)}\n`);
}

export function readToml(path: string): TomlDoc {
  return parseToml(readFileSync(path, "utf8"));
}

/** Sets values in a TOML file written by this module, keeping the rest. */
export function updateToml(path: string, changes: TomlDoc): void {
  const doc = readToml(path);
  for (const [section, values] of Object.entries(changes)) doc[section] = { ...doc[section], ...values };
  const header = readFileSync(path, "utf8").split("\n")[0] ?? "";
  writeFileSync(path, formatToml(doc, header.startsWith("#") ? header : ""));
}

const str = (v: TomlValue | undefined, fallback: string) => (typeof v === "string" ? v : fallback);

/** What the node needs from its home's config files. */
export interface NodeHomeConfig {
  moniker: string;
  proxyApp: string;
  rpcLaddr: string;
  p2pLaddr: string;
  app: AppConfig;
}

export function readNodeHomeConfig(home: string): NodeHomeConfig {
  const p = homePaths(home);
  if (!existsSync(p.configToml)) {
    throw new Error(`${p.configToml} does not exist: run \`decloud node init\` first`);
  }
  const c = readToml(p.configToml);
  const a = existsSync(p.appToml) ? readToml(p.appToml) : { "": {} };
  const enabled = (section: string) => a[section]?.enable !== false;
  return {
    moniker: str(c[""]?.moniker, ""),
    proxyApp: str(c[""]?.proxy_app, "tcp://127.0.0.1:26658"),
    rpcLaddr: str(c.rpc?.laddr, "tcp://127.0.0.1:26657"),
    p2pLaddr: str(c.p2p?.laddr, "tcp://0.0.0.0:26656"),
    app: {
      minimumGasPrices: str(a[""]?.["minimum-gas-prices"], ""),
      apiAddress: enabled("api") ? str(a.api?.address, "tcp://127.0.0.1:1317") : "",
      grpcAddress: enabled("grpc") ? str(a.grpc?.address, "127.0.0.1:9090") : "",
    },
  };
}

/** `tcp://host:port` (or host:port) → {host, port}. */
export function hostPort(laddr: string): { host: string; port: number } {
  const m = /^(?:[a-z]+:\/\/)?([^:/]+|\[[^\]]+\]):(\d+)$/.exec(laddr);
  if (!m) throw new Error(`not a host:port address: ${laddr}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port: Number(m[2]) };
}
