// Helpers for the devnet's integration tests: raw JSON-RPC and REST calls (to see exactly what goes over the
// wire), polling, a genesis with extra funded accounts, and `decloud dev` in a child process for kill tests.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { buildDevnetAppState, type DevnetAppState } from "../../params/devnet.js";

/** Wire JSON as the node sent it; tests assert on it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: untyped wire JSON is the point of these helpers
export type Wire = any;

export interface RpcReply {
  status: number;
  body: {
    jsonrpc: string;
    id: unknown;
    result?: Wire;
    error?: { code: number; message: string; data: string };
  };
}

let nextId = 1;

export async function rpcPost(url: string, method: string, params: unknown = {}): Promise<RpcReply> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  return { status: res.status, body: (await res.json()) as RpcReply["body"] };
}

/** Calls a JSON-RPC method and returns its result; a JSON-RPC error throws. */
export async function rpcCall(url: string, method: string, params: unknown = {}): Promise<Wire> {
  const { body } = await rpcPost(url, method, params);
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

export async function getJson(url: string): Promise<{ status: number; body: Wire }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

export async function postJson(url: string, payload: unknown): Promise<{ status: number; body: Wire }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: await res.json() };
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** CometBFT's tx hash: uppercase hex SHA-256 of the raw bytes. */
export const txHashHex = (tx: Uint8Array): string =>
  createHash("sha256").update(tx).digest("hex").toUpperCase();

/** Polls `probe` until it returns something other than undefined (tests never assert on time, only wait). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface CosmjsReconnectingSocket {
  reconnectTimeout: NodeJS.Timeout | null;
  connectionStatus: { waitFor(status: number): Promise<unknown> };
}

/** @cosmjs/socket ConnectionStatus.Disconnected */
const DISCONNECTED = 3;

/**
 * Disconnects a websocket Comet38Client for good. cosmjs's ReconnectingSocket arms a reconnect timer even after
 * an intentional disconnect(), which would keep the test process alive and reconnect to the next devnet.
 */
export async function disconnectForGood(client: { disconnect(): void }): Promise<void> {
  const socket = (client as unknown as { client?: { socket?: CosmjsReconnectingSocket } }).client?.socket;
  client.disconnect();
  if (!socket) return;
  await socket.connectionStatus.waitFor(DISCONNECTED);
  await new Promise((resolve) => setImmediate(resolve));
  if (socket.reconnectTimeout) clearTimeout(socket.reconnectTimeout);
}

function sortCoins<T extends { denom: string }>(coins: T[]): T[] {
  return coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/**
 * The devnet genesis plus extra balances (new accounts get the next account numbers, in the order given, or
 * extra coins for existing ones) and per-denom send-enabled flags; the total supply is kept consistent.
 */
export async function devnetAppStateWith(opts: {
  balances?: { address: string; coins: { denom: string; amount: string }[] }[];
  sendEnabled?: { denom: string; enabled: boolean }[];
}): Promise<DevnetAppState> {
  const state = await buildDevnetAppState();
  const supply = new Map(state.bank.supply.map((c) => [c.denom, BigInt(c.amount)]));
  for (const extra of opts.balances ?? []) {
    let entry = state.bank.balances.find((b) => b.address === extra.address);
    if (!entry) {
      entry = { address: extra.address, coins: [] };
      state.bank.balances.push(entry);
    }
    for (const c of extra.coins) {
      const held = entry.coins.find((x) => x.denom === c.denom);
      if (held) held.amount = (BigInt(held.amount) + BigInt(c.amount)).toString();
      else entry.coins.push({ ...c });
      supply.set(c.denom, (supply.get(c.denom) ?? 0n) + BigInt(c.amount));
    }
    sortCoins(entry.coins);
  }
  state.bank.supply = sortCoins([...supply].map(([denom, amount]) => ({ denom, amount: amount.toString() })));
  state.bank.send_enabled = opts.sendEnabled ?? [];
  return state;
}

export interface DevnetProcess {
  child: ChildProcess;
  rpcUrl: string;
  restUrl: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Runs `decloud --home <home> --json dev` on free ports in a child process (compiled .js under dist/, or .ts
 * through the loader the test runner was started with) and waits for the JSON it prints once serving.
 */
export async function spawnDevnet(home: string, extraArgs: string[] = []): Promise<DevnetProcess> {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const main = fileURLToPath(new URL(`../../cli/main${ext}`, import.meta.url));
  const args = [
    ...process.execArgv.filter((a) => !a.startsWith("--test")),
    main,
    "--home",
    home,
    "--json",
    "dev",
    "--rpc-port",
    "0",
    "--rest-port",
    "0",
    "--grpc-port",
    "0",
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const ready = await new Promise<{ rpc: string; rest: string }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`decloud dev did not start: ${stderr}`)), 30_000);
    child.stdout!.on("data", (d) => {
      out += d;
      try {
        const parsed = JSON.parse(out) as { rpc: string; rest: string };
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // not the whole document yet
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`decloud dev exited (${code}): ${stderr}`));
    });
  });
  return { child, rpcUrl: ready.rpc, restUrl: ready.rest, exited };
}
