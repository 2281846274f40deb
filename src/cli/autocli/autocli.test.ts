// The generated `decloud query|tx MODULE METHOD` commands, run in-process: their help and argument errors
// without a node, then the marketplace through them against an in-process devnet (a provider registers, a
// tenant deploys from an SDL with --msg-json, the provider bids with flags, the tenant leases).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateManifest, generateManifestVersion } from "@akashnetwork/chain-sdk";
import { Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgCreateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { parse } from "yaml";
import { importDevAccounts } from "../../client/dev-accounts.js";
import { Keyring } from "../../client/keyring.js";
import { messageToJson } from "../../codec/json.js";
import { Devnet } from "../../devnet/devnet.js";
import { BOND_DENOM } from "../../params/chain.js";
import { getDevAccounts } from "../../params/devnet.js";
import type { CliIO } from "../io.js";
import { run } from "../program.js";
import { serviceMethodNames } from "./methods.js";
import { MODULES } from "./modules.js";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let home: string;
let node = "http://127.0.0.1:1";

async function cli(args: string[]): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
    },
    stdin: { async *[Symbol.asyncIterator]() {} },
    env: {},
  };
  const code = await run(["--home", home, "--node", node, ...args], io);
  return { code, stdout, stderr };
}

async function ok(args: string[]): Promise<Ran> {
  const ran = await cli(args);
  assert.equal(ran.code, 0, `decloud ${args.join(" ")}\n${ran.stderr}`);
  return ran;
}

async function json(args: string[]) {
  return JSON.parse((await ok([...args, "--json"])).stdout);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "decloud-autocli-"));
  home = join(dir, "home");
  await importDevAccounts(new Keyring({ home, backend: "test" }));
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe("generated commands without a node", () => {
  test("every method of the Akash services has a command", () => {
    for (const mod of MODULES) {
      for (const side of [mod.query, mod.tx]) {
        if (!side?.service.startsWith("akash.")) continue;
        assert.deepEqual(
          Object.keys(side.methods).sort(),
          serviceMethodNames(side.service).sort(),
          side.service,
        );
      }
    }
  });

  test("--help lists a module's methods with a description and an example each", async () => {
    const market = await ok(["query", "market", "--help"]);
    for (const method of ["orders", "order", "bids", "bid", "leases", "lease", "params"]) {
      assert.match(market.stdout, new RegExp(`^  ${method} `, "m"), method);
      assert.match(market.stdout, new RegExp(`\\$ decloud query market ${method}\\b`), method);
    }
    assert.match(market.stdout, /list orders, filtered by owner/);

    const tx = await ok(["tx", "deployment", "--help"]);
    assert.match(tx.stdout, /create-deployment\|deployment-create/);
    assert.match(tx.stdout, /\$ decloud tx deployment close-deployment 1234 --from alice/);

    const orders = await ok(["query", "market", "orders", "--help"]);
    assert.match(orders.stdout, /--filters\.owner <address>/);
    assert.match(orders.stdout, /--pagination\.limit <uint64>/);

    // Bank keeps its hand-written commands and gains the others.
    const bank = await ok(["query", "bank", "--help"]);
    assert.match(bank.stdout, /^ {2}balances /m);
    assert.match(bank.stdout, /^ {2}total-supply /m);
    assert.doesNotMatch(bank.stdout, /all-balances/);
  });

  test("unknown modules and methods get a suggestion", async () => {
    const method = await cli(["query", "market", "ordrs"]);
    assert.equal(method.code, 1);
    assert.match(method.stderr, /unknown command 'ordrs'[\s\S]*Did you mean orders\?/);
    const module = await cli(["tx", "deploymnt", "create-deployment"]);
    assert.equal(module.code, 1);
    assert.match(module.stderr, /Did you mean deployment\?/);
    const moduleLeftOut = await cli(["query", "orders", "--owner", "alice"]);
    assert.equal(moduleLeftOut.code, 1);
    assert.match(moduleLeftOut.stderr, /Did you mean decloud query market orders\?/);
  });

  test("a bad argument is reported against its argument or flag, before anything is sent", async () => {
    const dseq = await cli(["query", "deployment", "deployment", "alice", "12x"]);
    assert.equal(dseq.code, 1);
    assert.match(
      dseq.stderr,
      /value '12x' is invalid for argument 'dseq'\. id\.dseq: expected an integer \(uint64\)/,
    );

    const price = await cli([
      "tx",
      "market",
      "create-bid",
      "alice",
      "1",
      "1",
      "1",
      "--price",
      "lots",
      "--from",
      "bob",
    ]);
    assert.equal(price.code, 1);
    assert.match(price.stderr, /--price <dec-coin>' argument 'lots' is invalid/);

    const state = await cli(["tx", "market", "close-bid", "alice", "1", "1", "1", "--reason", "bored"]);
    assert.match(state.stderr, /Allowed choices are lease_closed_owner/);

    const noFrom = await cli(["tx", "deployment", "close-deployment", "5"]);
    assert.equal(noFrom.code, 1);
    assert.match(noFrom.stderr, /needs --from/);

    const missing = await cli(["tx", "market", "create-lease", "5", "--from", "alice"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /needs GSEQ OSEQ PROVIDER/);

    const badJson = await cli([
      "tx",
      "deployment",
      "close-deployment",
      "--msg-json",
      '{"idd":{}}',
      "--from",
      "alice",
    ]);
    assert.equal(badJson.code, 1);
    assert.match(badJson.stderr, /unknown field "idd"/);

    // A resource quantity is a whole number, as `decloud query` prints it, or base64 of its digits.
    const quantity = (val: string) =>
      cli([
        "tx",
        "deployment",
        "create-deployment",
        "--msg-json",
        JSON.stringify({ groups: [{ name: "g", resources: [{ resource: { cpu: { units: { val } } } }] }] }),
        "--from",
        "alice",
      ]);
    const fraction = await quantity("0.5");
    assert.equal(fraction.code, 1);
    assert.match(
      fraction.stderr,
      /groups\[0\]\.resources\[0\]\.resource\.cpu\.units\.val is "0\.5", not a resource/,
    );
    assert.match(fraction.stderr, /thousandths of a CPU.*"1000".*"MTAwMA=="/);
    const trailing = await quantity("250.0");
    assert.equal(trailing.code, 1);
    assert.match(trailing.stderr, /Write "250" \(or its base64, "MjUw"\)/);
  });
});

const SDL = `
version: "2.0"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 128Mi}
        storage: [{size: 256Mi}]
  placement:
    local:
      attributes: {region: local}
      pricing:
        web: {denom: uakt, amount: 1000}
deployment:
  web:
    local: {profile: web, count: 1}
`;

describe("generated commands against a devnet", () => {
  let devnet: Devnet;
  let alice: string;
  let bob: string;

  before(async () => {
    devnet = await Devnet.start({
      home: join(dir, "devnet"),
      blockTimeMs: 0,
      rpcPort: 0,
      restPort: 0,
      grpcPort: 0,
    });
    node = devnet.rpcUrl;
    const accounts = await getDevAccounts();
    alice = accounts[0]!.address;
    bob = accounts[1]!.address;
  });

  after(async () => {
    await devnet?.stop();
  });

  test("tx provider create, then query provider providers shows it", async () => {
    const created = await json([
      "tx",
      "provider",
      "create",
      "--host-uri",
      "https://provider.example.test:8443",
      "--attributes",
      "region=local",
      "--attributes",
      "tier=community",
      "--info.email",
      "ops@example.test",
      "--from",
      "bob",
    ]);
    assert.match(created.hash, /^[0-9A-F]{64}$/);
    assert.equal(created.message.owner, bob, "the signer field is filled from --from");
    assert.ok(
      created.events.some((e: { type: string }) => e.type === "akash.provider.v1beta4.EventProviderCreated"),
    );

    const { providers } = await json(["query", "provider", "providers"]);
    const mine = providers.find((p: { owner: string }) => p.owner === bob);
    assert.ok(mine, JSON.stringify(providers));
    assert.equal(mine.host_uri, "https://provider.example.test:8443");
    assert.deepEqual(mine.attributes, [
      { key: "region", value: "local" },
      { key: "tier", value: "community" },
    ]);
    assert.equal(mine.info.email, "ops@example.test");

    // One provider by key name, readable.
    const one = await ok(["query", "provider", "provider", "bob"]);
    assert.match(one.stdout, /host_uri: https:\/\/provider\.example\.test:8443/);
  });

  /** The message as chain-sdk builds it, without an owner (the --from key) or a dseq (the block height). */
  async function deploymentMessage() {
    const built = generateManifest(parse(SDL));
    assert.ok(built.ok, JSON.stringify(built));
    return messageToJson(
      MsgCreateDeployment,
      MsgCreateDeployment.fromPartial({
        groups: built.value.groupSpecs,
        hash: await generateManifestVersion(built.value.groups),
        deposit: { amount: { denom: BOND_DENOM, amount: "5000000" }, sources: [Source.balance] },
      }),
    );
  }

  test("a deployment from --msg-json (chain-sdk SDL groups), then bid and lease through flags", async () => {
    const msg = await deploymentMessage();
    // The CPU quantity as `decloud query` prints it ("100"), the others as base64 of their digits.
    // biome-ignore lint/suspicious/noExplicitAny: the message's JSON, read field by field
    const cpu = (msg as any).groups[0].resources[0].resource.cpu.units;
    const cpuUnits = Buffer.from(cpu.val, "base64").toString();
    assert.match(cpuUnits, /^\d+$/);
    cpu.val = cpuUnits;
    const file = join(dir, "deployment.json");
    writeFileSync(file, JSON.stringify(msg));
    const created = await json(["tx", "deployment", "create", "--msg-json", file, "--from", "alice"]);
    assert.equal(created.message.id.owner, alice);
    const dseq: string = created.message.id.dseq;
    assert.notEqual(dseq, "0", "dseq defaults to the block height");
    assert.ok(created.events.some((e: { type: string }) => e.type === "akash.market.v1.EventOrderCreated"));

    const { deployments } = await json(["query", "deployment", "deployments", "--filters.owner", "alice"]);
    assert.equal(deployments.length, 1);
    assert.equal(deployments[0].deployment.id.dseq, dseq);
    assert.equal(deployments[0].deployment.state, "active");
    assert.equal(deployments[0].groups[0].group_spec.name, "local");
    const resource = deployments[0].groups[0].group_spec.resources[0].resource;
    assert.equal(Buffer.from(resource.cpu.units.val, "base64").toString(), cpuUnits);

    const { orders } = await json(["query", "market", "orders", "--owner", "alice", "--state", "open"]);
    assert.equal(orders.length, 1);
    assert.deepEqual(orders[0].id, { owner: alice, dseq, gseq: 1, oseq: 1 });

    // The provider bids with positional IDs (Akash's noun-first spelling), the tenant leases.
    await ok([
      "tx",
      "market",
      "bid-create",
      "alice",
      dseq,
      "1",
      "1",
      "--price",
      "800uakt",
      "--deposit",
      "0.5akt",
      "--from",
      "bob",
    ]);
    const { bids } = await json(["query", "market", "bids", "--dseq", dseq, "--provider", "bob"]);
    assert.equal(bids.length, 1);
    assert.equal(bids[0].bid.state, "open");
    assert.deepEqual(bids[0].bid.price, { denom: "uakt", amount: "800.000000000000000000" });

    const leased = await ok(["tx", "market", "create-lease", dseq, "1", "1", "bob", "--from", "alice"]);
    assert.match(leased.stdout, /^tx +[0-9A-F]{64}$/m);
    assert.match(leased.stdout, /EventLeaseCreated/);
    const leases = await ok(["query", "market", "leases", "--owner", "alice"]);
    assert.match(leases.stdout, /state: active/);
    assert.match(leases.stdout, /price: 800 uakt/);

    const lease = await json(["query", "market", "lease", "alice", dseq, "1", "1", "bob"]);
    assert.equal(lease.lease.state, "active");
    assert.equal(lease.escrow_payment.state.owner, bob);
  });

  test("close: a deployment that never had a lease gets its deposit back, and says nothing ran", async () => {
    const created = await json([
      "tx",
      "deployment",
      "create",
      "--msg-json",
      JSON.stringify(await deploymentMessage()),
      "--from",
      "alice",
    ]);
    const closed = await ok(["close", created.message.id.dseq, "--from", "alice"]);
    assert.match(closed.stdout, /^ {2}5 AKT returned to alice \(it had no lease: nothing ran\)\.$/m);
    assert.doesNotMatch(closed.stdout, /removes the containers/);
  });

  test("the chain's refusals and missing records are reported with what to do", async () => {
    const missing = await cli(["query", "deployment", "deployment", "alice", "999999"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found/i);
    assert.match(missing.stderr, /Check the identifiers/);

    const refused = await cli(["tx", "deployment", "close-deployment", "999999", "--from", "alice"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /deployment.*not found/i);
    // The node's reason once, without the query wrapping around it.
    assert.equal(refused.stderr.match(/not found/g)?.length, 1, refused.stderr);
    assert.doesNotMatch(refused.stderr, /Query failed with/);

    const otherSigner = await cli([
      "tx",
      "deployment",
      "close-deployment",
      "--msg-json",
      JSON.stringify({ id: { owner: bob, dseq: "1" } }),
      "--from",
      "alice",
    ]);
    assert.equal(otherSigner.code, 1);
    assert.match(otherSigner.stderr, /signer id\.owner is akash1.*but --from alice is/);
  });
});
