// `decloud dev` as a person runs it (in-process, free ports, a temp home): ready with its provider; started
// again it keeps its chain and its leases come back; with --reset it starts fresh and this devnet's
// containers are gone; without a Docker Engine, or with --no-provider, the chain runs alone and says how to
// get the provider.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type Docker from "dockerode";
import { LABEL } from "../provider/cluster/docker/labels.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker } from "../provider/cluster/docker/testing/engine.js";
import { eventually, getThroughIngress, runCli } from "./testing/cli.js";
import { startDev } from "./testing/dev.js";

const WEB = fileURLToPath(new URL("../../examples/web/deploy.yaml", import.meta.url));

describe("decloud dev", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "decloud-dev-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test(
    "started twice it keeps its chain and its leases; --reset starts fresh without its containers",
    { skip: SKIP_DOCKER && SKIP_REASON },
    async () => {
      const docker: Docker = await testDocker();
      const home = join(root, "twice");
      const first = await startDev(home, ["--block-time", "50"]);
      const address = first.info.provider?.address;
      assert.ok(first.info.provider?.gateway, JSON.stringify(first.info.provider));
      assert.match(first.info.provider.ingress ?? "", /^http:\/\/\*\.localhost:\d+$/);
      const deployed = await runCli([
        "--home",
        home,
        "--node",
        first.info.rpc,
        "deploy",
        WEB,
        "--yes",
        "--json",
      ]);
      assert.equal(deployed.code, 0, deployed.stderr);
      const dseq = deployed.json().dseq as string;
      assert.equal((await first.stop()).code, 0);

      const second = await startDev(home, ["--block-time", "50"]);
      assert.equal(second.info.provider?.address, address, "the same provider");
      const g = ["--home", home, "--node", second.info.rpc];
      // The ingress listens on a new port: the provider's status gives the URL of this run.
      const url = await eventually(async () => {
        const s = await runCli([...g, "status", dseq, "--json"]);
        const uri = s.json().leases[0]?.status?.services?.web?.uris?.[0];
        return uri && (await getThroughIngress(`http://${uri}`)).status === 200 ? uri : undefined;
      }, "the lease serving again after the restart");
      assert.match((await getThroughIngress(`http://${url}`)).body, /Hello from DeCloud/);
      assert.equal((await second.stop()).code, 0);

      const fresh = await startDev(home, ["--reset"]);
      assert.notEqual(fresh.info.provider?.address, address, "a new provider");
      const left = await docker.listContainers({
        all: true,
        filters: { label: [`${LABEL.provider}=${address}`] },
      });
      assert.equal(left.length, 0, "the old provider's containers are gone");
      const list = await runCli(["--home", home, "--node", fresh.info.rpc, "deployments", "--all", "--json"]);
      assert.deepEqual(list.json(), []);
      assert.equal((await fresh.stop()).code, 0);
    },
  );

  test("without a Docker Engine the chain runs and the output says how to enable the provider", async () => {
    const home = join(root, "nodocker");
    const dev = await startDev(home, [], { DOCKER_HOST: `unix://${join(root, "no-docker.sock")}` });
    assert.match(dev.info.provider?.off ?? "", /Docker Engine does not answer on .*no-docker\.sock/);
    assert.match(dev.info.provider?.hint ?? "", /apt-get install docker\.io/);
    assert.equal(dev.info.accounts.length, 10);
    const status = await runCli(["--home", home, "--node", dev.info.rpc, "status", "--json"]);
    assert.equal(status.json().chain_id, "decloud-dev");
    assert.equal((await dev.stop()).code, 0);
  });

  test("one devnet per home: a second is refused before it touches anything; a stale lock is taken over", async () => {
    const home = join(root, "locked");
    mkdirSync(join(home, "dev"), { recursive: true });
    writeFileSync(join(home, "dev", "keep"), "");
    // A devnet of this very process holds the home (as an in-process one would).
    writeFileSync(join(home, "dev.pid"), `${process.pid}\n`);
    const refused = await runCli(["--home", home, "dev", "--no-provider", "--reset", "--rpc-port", "0"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /A devnet is already running in .*locked.dev \(process \d+\)/);
    assert.match(refused.stderr, /another --home/);
    assert.ok(existsSync(join(home, "dev", "keep")), "--reset did not wipe the running devnet's files");

    writeFileSync(join(home, "dev.pid"), "999999999\n");
    const dev = await startDev(home, ["--no-provider"]);
    assert.equal((await dev.stop()).code, 0);
    assert.ok(!existsSync(join(home, "dev.pid")), "the lock is released when the devnet stops");
  });

  test("--no-provider runs the chain alone", async () => {
    const home = join(root, "noprovider");
    const dev = await startDev(home, ["--no-provider"]);
    assert.equal(dev.info.provider?.off, "--no-provider");
    assert.equal((await dev.stop()).code, 0);
  });
});
