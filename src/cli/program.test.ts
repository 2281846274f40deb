import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEV_MNEMONIC, getDevAccounts } from "../params/devnet.js";
import type { CliIO } from "./io.js";
import { run } from "./program.js";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams; `input` is what is piped into stdin. */
async function cli(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const input = options.input ?? "";
  const io: CliIO = {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
      isTTY: false,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: false,
    },
    stdin: {
      isTTY: false,
      async *[Symbol.asyncIterator]() {
        if (input) yield input;
      },
    },
    env: options.env ?? {},
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "decloud-cli-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshHome(name: string): Promise<string> {
  const home = join(root, name);
  await mkdir(home);
  return home;
}

describe("keys (test backend)", () => {
  test("add, list, show, export, delete", async () => {
    const home = await freshHome("keys");
    const g = ["--home", home, "--keyring-backend", "test"];

    const added = await cli([...g, "keys", "add", "me", "--json"]);
    assert.equal(added.code, 0, added.stderr);
    const key = JSON.parse(added.stdout);
    assert.match(key.address, /^akash1/);
    assert.equal(key.mnemonic.split(" ").length, 24);
    assert.equal(key.hd_path, "m/44'/118'/0'/0/0");
    assert.equal(key.pubkey["@type"], "/cosmos.crypto.secp256k1.PubKey");
    assert.equal((await stat(join(home, "keyring-test", "me.json"))).mode & 0o777, 0o600);

    const human = await cli([...g, "keys", "add", "you", "--index", "3"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Write this mnemonic down/);
    assert.match(human.stdout, /m\/44'\/118'\/0'\/0\/3/);

    const list = await cli([...g, "keys", "list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).map((k: { name: string }) => k.name),
      ["me", "you"],
    );

    const show = await cli([...g, "keys", "show", "me"]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(key.address));
    const address = await cli([...g, "keys", "show", "me", "-a"]);
    assert.equal(address.stdout, `${key.address}\n`);

    const exported = await cli([...g, "keys", "export", "me", "--yes", "--json"]);
    assert.equal(JSON.parse(exported.stdout).mnemonic, key.mnemonic);

    const unconfirmed = await cli([...g, "keys", "delete", "me"]);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /--yes/);
    assert.equal(unconfirmed.stdout, "");

    const deleted = await cli([...g, "keys", "delete", "me", "--yes"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await cli([...g, "keys", "show", "me"]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /No key named "me"/);
    assert.match(gone.stderr, /decloud keys list/);
    assert.doesNotMatch(gone.stderr, /\n\s+at /, "no stack trace");
  });

  test("import reads the mnemonic from stdin; add --recover too", async () => {
    const home = await freshHome("import");
    const g = ["--home", home, "--keyring-backend", "test"];
    const [alice, bob] = await getDevAccounts();
    const imported = await cli([...g, "keys", "import", "alice", "--json"], { input: `${DEV_MNEMONIC}\n` });
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).address, alice!.address);
    const recovered = await cli([...g, "keys", "add", "bob", "--recover", "--index", "1", "--json"], {
      input: DEV_MNEMONIC,
    });
    assert.equal(JSON.parse(recovered.stdout).address, bob!.address);
    const empty = await cli([...g, "keys", "import", "nobody"]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /No mnemonic given/);
  });
});

describe("keyring backend", () => {
  test("a home holding only a test keyring uses it; a fresh home uses file", async () => {
    const home = await freshHome("backend");
    await mkdir(join(home, "keyring-test"));
    const devnet = await cli(["--home", home, "keys", "add", "k", "--json"]);
    assert.equal(devnet.code, 0, devnet.stderr);
    assert.ok(existsSync(join(home, "keyring-test", "k.json")));

    const fresh = await freshHome("fresh");
    const noPassphrase = await cli(["--home", fresh, "keys", "add", "k"]);
    assert.equal(noPassphrase.code, 1);
    assert.match(noPassphrase.stderr, /DECLOUD_KEYRING_PASSPHRASE/);
  });

  test("file backend: passphrase from the environment; a wrong one is refused", async () => {
    const home = await freshHome("file");
    const g = ["--home", home];
    const env = { DECLOUD_KEYRING_PASSPHRASE: "a long passphrase" };
    const added = await cli([...g, "keys", "add", "k", "--json"], { env });
    assert.equal(added.code, 0, added.stderr);
    assert.ok(existsSync(join(home, "keyring-file", "k.json")));

    const wrong = await cli([...g, "keys", "export", "k", "--yes"], {
      env: { DECLOUD_KEYRING_PASSPHRASE: "another passphrase" },
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /Wrong passphrase/);
    assert.equal(wrong.stdout, "");

    const right = await cli([...g, "keys", "export", "k", "--yes", "--json"], { env });
    assert.equal(JSON.parse(right.stdout).mnemonic, JSON.parse(added.stdout).mnemonic);
  });
});

describe("errors", () => {
  test("unknown command → suggestion and a pointer to --help", async () => {
    const r = await cli(["keys", "lst"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command 'lst'/);
    assert.match(r.stderr, /Did you mean list\?/);
    assert.match(r.stderr, /decloud --help/);
  });

  test("bad amounts and options fail before anything is sent", async () => {
    const home = await freshHome("errors");
    const amount = await cli(["--home", home, "tx", "bank", "send", "a", "b", "5ak"]);
    assert.equal(amount.code, 1);
    assert.match(amount.stderr, /"5ak" is not an amount/);
    assert.match(amount.stderr, /5akt/);
    const missing = await cli(["tx", "bank", "send", "a", "5akt"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /takes FROM TO AMOUNT; got 2 arguments/);
    const extra = await cli(["tx", "bank", "send", "--from", "a", "a", "b", "5akt"]);
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, /With --from, tx bank send takes TO AMOUNT/);
    const gas = await cli(["tx", "bank", "send", "a", "b", "5akt", "--gas", "lots"]);
    assert.equal(gas.code, 1);
    assert.match(gas.stderr, /--gas/);
  });

  test("an unreachable node says so and what to do, as text or as JSON", async () => {
    const port = await closedPort();
    const node = `http://127.0.0.1:${port}`;
    const text = await cli(["status", "--node", node]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, new RegExp(`Cannot reach a node at ${node}`));
    assert.match(text.stderr, /decloud dev/);
    assert.doesNotMatch(text.stderr, /\n\s+at /, "no stack trace");

    const json = await cli(["status", "--node", node, "--json"]);
    assert.equal(json.code, 1);
    assert.equal(json.stdout, "");
    const error = JSON.parse(json.stderr).error;
    assert.equal(error.name, "NodeUnreachableError");
    assert.match(error.hint, /--node/);

    const debug = await cli(["status", "--node", node], { env: { DECLOUD_DEBUG: "1" } });
    assert.match(debug.stderr, /\n\s+at /, "stack trace with DECLOUD_DEBUG=1");
  });

  test("dev: --help documents the options, bad input fails before anything starts", async () => {
    const help = await cli(["dev", "--help"]);
    assert.equal(help.code, 0);
    for (const option of ["--block-time", "--reset", "--rpc-port", "--rest-port", "--grpc-port", "mine"]) {
      assert.match(help.stdout, new RegExp(option), `dev --help mentions ${option}`);
    }
    const badDuration = await cli(["dev", "--block-time", "fast"]);
    assert.equal(badDuration.code, 1);
    assert.match(badDuration.stderr, /"fast" is not a duration/);
    const badPort = await cli(["dev", "--rpc-port", "70000"]);
    assert.equal(badPort.code, 1);
    assert.match(badPort.stderr, /70000 is not a port/);
    const noDevnet = await cli(["--node", "http://127.0.0.1:9", "dev", "mine", "3"]);
    assert.equal(noDevnet.code, 1);
    assert.match(noDevnet.stderr, /Start one with `decloud dev`/);
  });
});

test("faucet posts to the REST port and prints the answer", async () => {
  const [alice] = await getDevAccounts();
  let received: unknown;
  const server = createHttpServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    received = JSON.parse(text);
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        address: alice!.address,
        amount: [{ denom: "uakt", amount: "5000000" }],
        hash: "CD".repeat(32),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = String((server.address() as { port: number }).port);
  try {
    const r = await cli(["faucet", alice!.address, "5akt", "--rest", port]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(received, { address: alice!.address, amount: "5akt" });
    assert.match(r.stderr, /Faucet sent 5 AKT/);
    assert.match(r.stdout, /CDCD/);
    const bad = await cli(["faucet", alice!.address, "5 potatoes!"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not an amount/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  // Nothing listens there any more: the hint is about the faucet's REST port, not --node.
  const gone = await cli(["faucet", alice!.address, "--rest", port]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /Cannot reach a faucet at http:\/\/127\.0\.0\.1:/);
  assert.match(gone.stderr, /--rest PORT/);
});

test("provider init: chain.node is the CLI's node, and the header says that one is not the default", async () => {
  const configOf = async (home: string, ...global: string[]) => {
    const r = await cli(["--home", home, "--keyring-backend", "test", ...global, "provider", "init"]);
    assert.equal(r.code, 0, r.stderr);
    const { readFile } = await import("node:fs/promises");
    return readFile(join(home, "provider", "config.yaml"), "utf8");
  };
  const other = await configOf(join(root, "provider-other"), "--node", "http://10.1.2.3:26657");
  assert.match(other, /^ {2}node: http:\/\/10\.1\.2\.3:26657 +# /m);
  assert.match(
    other,
    /^# .*the value shown is the default, except\n# chain\.node: the CLI's node .*\(default http:\/\/127\.0\.0\.1:26657\)\.\n/,
  );
  const local = await configOf(join(root, "provider-default"));
  assert.match(local, /^ {2}node: http:\/\/127\.0\.0\.1:26657 +# /m);
  assert.match(local, /^# .*the value shown is the default\.\n/);
});

test("--help and --version exit 0 with examples", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Examples:/);
  assert.match(help.stdout, /tx bank send alice bob 5akt/);
  const send = await cli(["tx", "bank", "send", "--help"]);
  assert.equal(send.code, 0);
  assert.match(send.stdout, /--gas-adjustment/);
  assert.match(send.stdout, /Examples:/);
  const version = await cli(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test("the executable exits with the right code and prints no stack", () => {
  // Under tsx the sources run as .ts; compiled, as .js.
  const js = fileURLToPath(new URL("./main.js", import.meta.url));
  const script = existsSync(js) ? js : fileURLToPath(new URL("./main.ts", import.meta.url));
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--test"));
  const ok = spawnSync(process.execPath, [...execArgv, script, "--help"], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Usage: decloud/);
  const bad = spawnSync(process.execPath, [...execArgv, script, "nope"], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown command 'nope'/);
});

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
