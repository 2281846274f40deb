// The tenant's CLI end to end, as a person types it, against the devnet composed as `decloud dev` composes it
// (a chain with a provider in its genesis, on the real Docker Engine, free ports, a temp home): deploy each
// example and see its URL answer through the ingress, read logs, status and events, open a shell, update,
// top up, close (and the containers go); the same with --json parsed; and every error a person must be able
// to act on, provoked for real.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { CertificateManager } from "@akashnetwork/chain-sdk";
import type Docker from "dockerode";
import { pino } from "pino";
import { certificatePath } from "../client/certificate.js";
import { importDevAccounts } from "../client/dev-accounts.js";
import { Keyring } from "../client/keyring.js";
import { type DevProvider, dockerSocketPath, removeProviderObjects } from "../devnet/dev-provider.js";
import { Devnet } from "../devnet/devnet.js";
import { rpcCall } from "../devnet/testing/helpers.js";
import { BOND_DENOM, DEVNET_CHAIN_ID, USDC_DENOM } from "../params/chain.js";
import { buildDevnetAppState } from "../params/devnet.js";
import { ensureBusyboxImage } from "../provider/cluster/docker/busybox-image.js";
import { LABEL } from "../provider/cluster/docker/labels.js";
import { SKIP_DOCKER, SKIP_REASON, testDocker } from "../provider/cluster/docker/testing/engine.js";
import { EXAMPLE_IMAGE } from "./dev.js";
import { run } from "./program.js";
import { shortAddress } from "./table.js";
import { eventually, getThroughIngress, runCli } from "./testing/cli.js";
import { FakeTerminal } from "./testing/terminal.js";

const example = (name: string) =>
  fileURLToPath(new URL(`../../examples/${name}/deploy.yaml`, import.meta.url));

describe(
  "deploying through the CLI on a devnet with its provider",
  { skip: SKIP_DOCKER && SKIP_REASON },
  () => {
    let root: string;
    let home: string;
    let devnet: Devnet;
    let provider: DevProvider;
    let docker: Docker;
    let g: string[];

    const cli = (...args: string[]) => runCli([...g, ...args]);

    /** Deploys an SDL with --yes --json and returns the parsed result. */
    async function deployJson(file: string, ...extra: string[]) {
      const r = await cli("deploy", file, "--yes", "--json", ...extra);
      assert.equal(r.code, 0, r.stderr);
      return r.json() as {
        dseq: string;
        urls: { service: string; url: string }[];
        leases: { provider: string }[];
      };
    }

    /** The containers of one deployment of this devnet's provider. */
    const containersOf = (dseq: string) =>
      docker.listContainers({
        all: true,
        filters: {
          label: [
            `${LABEL.chainId}=${DEVNET_CHAIN_ID}`,
            `${LABEL.provider}=${provider.address}`,
            `${LABEL.dseq}=${dseq}`,
          ],
        },
      });

    before(async () => {
      docker = await testDocker();
      await ensureBusyboxImage(docker, EXAMPLE_IMAGE);
      root = mkdtempSync(join(tmpdir(), "decloud-deploy-"));
      home = join(root, "home");
      // A tiny minimum deposit, so that a test can run a lease out of funds in a few hundred blocks.
      const appState = {
        ...(await buildDevnetAppState()),
        deployment: {
          params: {
            min_deposits: [
              { denom: USDC_DENOM, amount: "1000" },
              { denom: BOND_DENOM, amount: "1000" },
            ],
          },
          deployments: [],
        },
      };
      devnet = await Devnet.start({
        home: join(home, "dev"),
        blockTimeMs: 50,
        rpcPort: 0,
        restPort: 0,
        grpcPort: 0,
        appState,
        provider: {
          gatewayPort: 0,
          ingressPort: 0,
          logger: pino({ level: process.env.DECLOUD_TEST_LOG ?? "silent" }),
        },
      });
      const state = devnet.provider;
      assert.ok(
        state?.state === "running",
        `the provider runs (${state?.state === "off" ? state.reason : "no provider"})`,
      );
      provider = (devnet.provider as { provider: DevProvider }).provider;
      await importDevAccounts(new Keyring({ home, backend: "test" }));
      g = ["--home", home, "--node", devnet.rpcUrl];
    });

    after(async () => {
      const address = provider?.address;
      await devnet?.stop();
      if (address) await removeProviderObjects(dockerSocketPath(), DEVNET_CHAIN_ID, address);
      if (root) rmSync(root, { recursive: true, force: true });
    });

    test("deploy the web example as a person types it; logs, status, events, shell, update, deposit, close", async () => {
      const deployed = await cli("deploy", example("web"), "--yes");
      assert.equal(deployed.code, 0, deployed.stderr);
      for (const step of [
        /✔ SDL valid: 1 service \(web\), 1 placement, max 1,000 uakt\/block/,
        /✔ Certificate \d+ of alice published/,
        /✔ Deployment \d+ created · deposit 5 AKT/,
        /✔ 1 bid received/,
        /PROVIDER\s+PRICE\/BLOCK\s+≈\/MONTH\s+REGION\s+AUDITED/,
        /✔ Lease with akash1\w+ · [\d.]+ uakt\/block/,
        /✔ Manifest accepted by/,
        /✔ web 1\/1 ready/,
      ]) {
        assert.match(deployed.stderr, step);
      }
      const url = /(http:\/\/\w+\.localhost:\d+)/.exec(deployed.stdout)?.[1];
      assert.ok(url, deployed.stdout);
      const dseq = /decloud logs (\d+) -f/.exec(deployed.stdout)![1]!;
      assert.match(deployed.stdout, /Deployed in [\d.]+ s\./);

      const page = await getThroughIngress(url);
      assert.equal(page.status, 200);
      assert.match(page.body, /Hello from DeCloud/);

      const logs = await cli("logs", dseq, "--tail", "20");
      assert.equal(logs.code, 0, logs.stderr);
      assert.match(logs.stdout, /web-0 .*response:200/);

      const status = await cli("status", dseq);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, new RegExp(`Deployment ${dseq}\\s+active`));
      assert.match(status.stdout, /web\s+1\/1 ready/);
      assert.ok(status.stdout.includes(url), status.stdout);
      assert.match(status.stdout, /Escrow\s+[\d.]+ AKT left · [\d.]+ uakt\/block/);

      const list = await cli("deployments");
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /DSEQ\s+STATE\s+SERVICES\s+PROVIDER\s+RATE\s+ESCROW\s+TIME LEFT/);
      assert.match(list.stdout, new RegExp(`${dseq}\\s+active\\s+web 1/1`));
      // A 5 AKT deposit lasts hours on a devnet's 200 ms blocks: the list says so and how to buy a day more.
      assert.match(
        list.stdout,
        new RegExp(
          `Deployment ${dseq} runs out of funds in ~[\\d.]+ (min|h): \`decloud deposit ${dseq} \\d+akt\``,
        ),
      );

      const events = await cli("events", dseq);
      assert.equal(events.code, 0, events.stderr);
      assert.match(events.stdout, /web-0\s+Started/);

      const shell = await cli(
        "shell",
        dseq,
        "web",
        "--",
        "sh",
        "-c",
        "echo hello from the container; exit 3",
      );
      assert.equal(shell.code, 3, shell.stderr);
      assert.match(shell.stdout, /hello from the container/);
      // Piped input reaches the command, as with `docker exec -i`, and its end closes the command's stdin.
      const piped = await runCli([...g, "shell", dseq, "web", "--", "sh"], {
        stdin: "echo piped in $((40 + 2))\nexit 4\n",
      });
      assert.equal(piped.code, 4, piped.stderr);
      assert.match(piped.stdout, /piped in 42/);
      const cat = await runCli([...g, "shell", dseq, "web", "--", "cat"], { stdin: "one\ntwo\n" });
      assert.equal(cat.code, 0, cat.stderr);
      assert.equal(cat.stdout, "one\ntwo\n");

      const updatedSdl = join(root, "web-v2.yaml");
      writeFileSync(
        updatedSdl,
        readFileSync(example("web"), "utf8").replace("Served by a provider on your machine.", "Version two."),
      );
      const updated = await cli("update", dseq, updatedSdl);
      assert.equal(updated.code, 0, updated.stderr);
      assert.match(updated.stderr, new RegExp(`✔ Deployment ${dseq} updated on chain`));
      assert.match(updated.stdout, /Updated in/);
      await eventually(
        async () => ((await getThroughIngress(url)).body.includes("Version two") ? true : undefined),
        "the new version",
      );

      const bigger = join(root, "web-bigger.yaml");
      writeFileSync(bigger, readFileSync(example("web"), "utf8").replace("size: 64Mi", "size: 128Mi"));
      const refused = await cli("update", dseq, bigger);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /The SDL changes placement "local" \(its attributes, resources, prices or counts\)/,
      );
      assert.match(refused.stderr, /deploy the new SDL/);

      const deposit = await cli("deposit", dseq, "1akt");
      assert.equal(deposit.code, 0, deposit.stderr);
      assert.match(deposit.stderr, new RegExp(`✔ Deposited 1 AKT into deployment ${dseq}`));
      assert.match(deposit.stdout, /Escrow 5\.9\d* AKT · ~/);

      const closed = await cli("close", dseq);
      assert.equal(closed.code, 0, closed.stderr);
      assert.match(closed.stdout, /AKT returned to alice/);
      await eventually(
        async () => ((await containersOf(dseq)).length === 0 ? true : undefined),
        "the containers removed",
      );
    });

    test("at a terminal: the bids appear live, Enter ends the wait, Enter at the question leases bid 1", async () => {
      const term = new FakeTerminal();
      const running = run([...g, "deploy", example("web")], term.io);
      await term.waitFor("(Enter to choose now)");
      assert.ok(term.raw, "stdin is in raw mode while Enter is listened for");
      term.type("\r");
      await term.waitFor("Lease from which bid? [1-1, default 1 (cheapest)] ");
      term.type("\r");
      assert.equal(await running, 0, term.stderr);
      assert.equal(term.raw, false, "the terminal is given back");

      const err = term.stderr;
      const waiting = err.indexOf("Waiting for bids… 1 received");
      const received = err.indexOf("✔ 1 bid received");
      assert.ok(waiting !== -1 && waiting < received, err);
      // While waiting: the table under the spinner's line, redrawn in place (back up over its 3 lines).
      const live = err.slice(waiting, received);
      assert.match(live, /Waiting for bids… 1 received, \d+ s left \(Enter to choose now\)/);
      assert.match(live, /#\s+PROVIDER\s+PRICE\/BLOCK\s+≈\/MONTH\s+REGION\s+AUDITED/);
      assert.ok(live.includes("\r\x1b[2A"), "the block is redrawn over itself");
      // Then once, for good: bid 1 is the provider's, and that is the lease.
      assert.match(err.slice(received), new RegExp(`\\n  1  ${shortAddress(provider.address)}  `));
      assert.ok(err.includes(`✔ Lease with ${provider.address} · `), err);
      const dseq = /decloud logs (\d+) -f/.exec(term.stdout)?.[1];
      assert.ok(dseq, term.stdout);
      assert.equal((await cli("close", dseq)).code, 0);
    });

    /**
     * Deploys at a fake terminal, waits for `when`, then `interrupt`s: the deploy must end cancelled, with the
     * deployment closed, its deposit back, nothing leased, and the terminal given back.
     */
    async function interruptedDeploy(
      when: (term: FakeTerminal) => Promise<void>,
      interrupt: (term: FakeTerminal) => void,
    ): Promise<void> {
      const term = new FakeTerminal();
      const running = run([...g, "deploy", example("web")], term.io);
      await when(term);
      interrupt(term);
      assert.equal(await running, 1, term.stderr);
      assert.equal(term.raw, false, "the terminal is given back");
      assert.match(
        term.stderr,
        /✔ Deployment \d+ closed; its deposit is back in alice's account\n✖ Cancelled\./,
      );
      assert.doesNotMatch(term.stderr, /Lease with|still open/);
    }

    test("at a terminal, Ctrl-C while the bids come in closes the deployment: nothing is leased, the deposit is back", async () => {
      await interruptedDeploy(
        (term) => term.waitFor("(Enter to choose now)"),
        (term) => term.type("\u0003"),
      );
    });

    test("a stop signal (SIGTERM, SIGHUP) while the bids come in or at the question closes the deployment too", async () => {
      // The signal as the process gets it from `kill` or a closed terminal, to its listeners in this process.
      const stopped = async (signal: NodeJS.Signals, when: (term: FakeTerminal) => Promise<void>) => {
        await interruptedDeploy(when, () => {
          assert.ok(process.listenerCount(signal) > 0, `deploy listens for ${signal}`);
          process.emit(signal, signal);
        });
        assert.equal(process.listenerCount(signal), 0, "the listeners are gone with the deploy");
      };
      await stopped("SIGTERM", (term) => term.waitFor("(Enter to choose now)"));
      await stopped("SIGHUP", async (term) => {
        await term.waitFor("(Enter to choose now)");
        term.type("\r");
        await term.waitFor("Lease from which bid? [1-1, default 1 (cheapest)] ");
      });
    });

    test("the same flow with --json, parsed: two services calling each other by name", async () => {
      const deployed = await deployJson(example("two-services"));
      assert.equal(deployed.urls.length, 1);
      assert.equal(deployed.urls[0]!.service, "web");
      const page = await getThroughIngress(deployed.urls[0]!.url);
      assert.match(page.body, /hello from the api service/);

      const status = await cli("status", deployed.dseq, "--json");
      assert.equal(status.code, 0, status.stderr);
      const lease = status.json().leases[0];
      assert.equal(lease.state, "active");
      assert.equal(lease.status.services.api.available, 1);
      assert.equal(lease.status.services.web.available, 1);

      const list = await cli("deployments", "--json");
      const row = list.json().find((d: { dseq: string }) => d.dseq === deployed.dseq);
      assert.equal(row.state, "active");
      assert.ok(Number(row.escrow.left.amount) > 0);

      const logs = await cli("logs", deployed.dseq, "api", "--json");
      const lines = logs.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      assert.ok(lines.length > 0 && lines.every((l) => l.name === "api-0"), logs.stdout);

      const deposit = await cli("deposit", deployed.dseq, "2akt", "--json");
      assert.equal(deposit.json().amount.amount, "2000000");

      const closed = await cli("close", deployed.dseq, "--json");
      assert.equal(closed.code, 0, closed.stderr);
      assert.ok(BigInt(closed.json().refunded.amount) > 6_000_000n);
      await eventually(
        async () => ((await containersOf(deployed.dseq)).length === 0 ? true : undefined),
        "the containers removed",
      );
    });

    test("the storage example keeps its data across requests, and goes with its lease", async () => {
      const deployed = await deployJson(example("storage"));
      const first = await getThroughIngress(deployed.urls[0]!.url);
      const second = await getThroughIngress(deployed.urls[0]!.url);
      // (deploy itself asked once, to know the service answers)
      const visits = (body: string) => Number(/visits: (\d+)/.exec(body)?.[1]);
      assert.ok(visits(first.body) >= 1, first.body);
      assert.equal(visits(second.body), visits(first.body) + 1);
      assert.equal((await cli("close", deployed.dseq)).code, 0);
      await eventually(async () => {
        const volumes = await docker.listVolumes({
          filters: { label: [`${LABEL.provider}=${provider.address}`, `${LABEL.dseq}=${deployed.dseq}`] },
        });
        return (volumes.Volumes ?? []).length === 0 ? true : undefined;
      }, "the volume removed");
    });

    test("with `decloud config set auth jwt` the gateway is reached with a JWT instead of a certificate", async () => {
      const deployed = await deployJson(example("web"), "--from", "eve");
      assert.equal((await cli("config", "set", "auth", "jwt")).code, 0);
      try {
        const logs = await cli("logs", deployed.dseq, "--from", "eve", "--tail", "5");
        assert.equal(logs.code, 0, logs.stderr);
        const status = await cli("status", deployed.dseq, "--from", "eve", "--json");
        assert.equal(status.json().leases[0].status.services.web.available, 1);
      } finally {
        assert.equal((await cli("config", "unset", "auth")).code, 0);
      }
      assert.equal((await cli("close", deployed.dseq, "--from", "eve")).code, 0);
    });

    test("a second deployment's accept host is withheld until `decloud hostnames migrate` moves it", async () => {
      // Two versions of the web example on one custom host (under .localhost: served on loopback).
      const host = "shop.localhost";
      const sdlOf = (greeting: string) => {
        const file = join(root, `web-${greeting}.yaml`);
        writeFileSync(
          file,
          readFileSync(example("web"), "utf8")
            .replace("Served by a provider on your machine.", greeting)
            .replace("        as: 80\n", `        as: 80\n        accept: [${host}]\n`),
        );
        return file;
      };
      const first = await deployJson(sdlOf("Version one"), "--from", "frank");
      const second = await deployJson(sdlOf("Version two"), "--from", "frank");
      const port = new URL(first.urls[0]!.url).port;
      const url = `http://${host}:${port}`;
      assert.ok(
        first.urls.some((u) => u.url === url),
        JSON.stringify(first.urls),
      );
      assert.ok(!second.urls.some((u) => u.url === url), "the second deployment does not serve it yet");
      assert.match((await getThroughIngress(url)).body, /Version one/);

      const status = await cli("status", second.dseq, "--from", "frank");
      assert.equal(status.code, 0, status.stderr);
      assert.ok(
        status.stdout.includes(
          `${host} is withheld: your deployment ${first.dseq} serves it; move it here with \`decloud hostnames migrate ${host} --dseq ${second.dseq}\``,
        ),
        status.stdout,
      );

      const migrated = await cli("hostnames", "migrate", host, "--dseq", second.dseq, "--from", "frank");
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stderr, new RegExp(`✔ ${host} now served by deployment ${second.dseq}`));
      assert.match(migrated.stdout, new RegExp(`${host}\\s+← deployment ${first.dseq}`));
      assert.ok(migrated.stdout.includes(url), migrated.stdout);
      // The ingress routes the host to the second deployment at once.
      assert.match((await getThroughIngress(url)).body, /Version two/);

      const again = await cli(
        "hostnames",
        "migrate",
        host,
        "--dseq",
        second.dseq,
        "--from",
        "frank",
        "--json",
      );
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(again.json().already, [host]);
      const refused = await cli(
        "hostnames",
        "migrate",
        "other.localhost",
        "--dseq",
        second.dseq,
        "--from",
        "frank",
      );
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /✖ Provider akash1\w+ refused the hostname migration \(HTTP 400\): hostname other\.localhost is not used by deployment \d+/,
      );
      assert.match(refused.stderr, /add it there and `decloud update DSEQ FILE` first/);

      for (const d of [first.dseq, second.dseq])
        assert.equal((await cli("close", d, "--from", "frank")).code, 0);
      await eventually(
        async () => ((await getThroughIngress(url)).status === 404 ? true : undefined),
        "the host released when its deployment closed",
      );
    });

    test("an invalid SDL names its line and field; nothing is sent", async () => {
      const bad = join(root, "bad.yaml");
      writeFileSync(bad, readFileSync(example("web"), "utf8").replace("- port: 80", "- port: 70000"));
      const r = await cli("deploy", bad, "--yes");
      assert.equal(r.code, 1);
      const line =
        readFileSync(bad, "utf8")
          .split("\n")
          .findIndex((l) => l.includes("70000")) + 1;
      assert.match(
        r.stderr,
        new RegExp(
          `✖ ${bad.replaceAll("/", "\\/")}:${line}  services\\.web\\.expose\\[0\\]\\.port: 70000 is not a port \\(1–65535\\)`,
        ),
      );
      const json = await cli("deploy", bad, "--yes", "--json");
      assert.equal(JSON.parse(json.stderr).error.name, "SdlError");
    });

    test("no bids: the requirement no provider meets is named, and the deposit comes back", async () => {
      const eu = join(root, "eu.yaml");
      writeFileSync(eu, readFileSync(example("web"), "utf8").replace("region: local", "region: eu-west"));
      const r = await cli("deploy", eu, "--yes", "--bid-timeout", "2");
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /✖ No bids in 2 s\. No provider offers region=eu-west \(1 provider: region=local\)\./,
      );
      assert.match(r.stderr, /Relax profiles\.placement\.local\.attributes\.region/);
      assert.match(r.stderr, /Deployment \d+ closed; its deposit is back/);

      // An auditor who signed nothing: judy, a dev account.
      const judy = (await cli("keys", "show", "judy", "--json")).json().address as string;
      const audited = join(root, "audited.yaml");
      writeFileSync(
        audited,
        readFileSync(example("web"), "utf8").replace(
          "        region: local\n",
          `        region: local\n      signedBy:\n        anyOf: [${judy}]\n`,
        ),
      );
      const unaudited = await cli("deploy", audited, "--yes", "--bid-timeout", "2");
      assert.equal(unaudited.code, 1);
      assert.match(unaudited.stderr, new RegExp(`none is audited for it by ${judy}`));
      assert.match(unaudited.stderr, /Relax profiles\.placement\.local\.signedBy/);
    });

    test("no bids: capacity from the providers' /status, and a price below theirs", async () => {
      const big = join(root, "big.yaml");
      // A maximum the dev provider's price for 64 CPU fits under (the bid engine checks the price first).
      writeFileSync(
        big,
        readFileSync(example("web"), "utf8")
          .replace("units: 0.1", "units: 64")
          .replace("amount: 1000", "amount: 10000"),
      );
      const r = await cli("deploy", big, "--yes", "--bid-timeout", "2");
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /No matching provider has room: the group needs 64 CPU and 64 MiB \(akash1\w+: [\d.]+ CPU, [\d.]+ GiB free\)/,
      );
      assert.match(r.stderr, /Ask for less in profiles\.compute/);

      const cheap = join(root, "cheap.yaml");
      writeFileSync(cheap, readFileSync(example("web"), "utf8").replace("amount: 1000", "amount: 1"));
      const low = await cli("deploy", cheap, "--yes", "--bid-timeout", "2");
      assert.equal(low.code, 1);
      // The dev provider publishes its rates: its price is known to be above the SDL's maximum.
      assert.match(
        low.stderr,
        /1 provider matches the placement, but its price is above the SDL's maximum 1 uakt\/block \(akash1\S+: 10\.768 uakt\/block\)/,
      );
      assert.match(low.stderr, /Raise profiles\.placement\.local\.pricing/);
    });

    test("a dry run screens the providers and sends nothing; `decloud providers` lists the dev provider", async () => {
      const account = async () => {
        const [auth, bank] = await Promise.all([
          cli("query", "auth", "account", "alice", "--json"),
          cli("query", "bank", "balances", "alice", "--json"),
        ]);
        return {
          sequence: auth.json().account.sequence as string,
          balances: bank.json().balances as unknown,
        };
      };
      const before = await account();
      const row = new RegExp(`${shortAddress(provider.address)}\\s+local\\s+`);

      const dry = await cli("deploy", example("web"), "--dry-run");
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stderr, /✔ SDL valid: 1 service \(web\)/);
      assert.match(
        dry.stdout,
        /Group local\s+0\.1 CPU · 64 MiB memory · 128 MiB storage · max 1,000 uakt\/block ≈ [\d,.]+ AKT\/month/,
      );
      assert.match(dry.stdout, /PROVIDER\s+REGION\s+PLACEMENT\s+AUDITED\s+PRICE\s+CAPACITY\s+VERDICT/);
      // The dev provider's scale rates (config defaults): 100 millicpu × 0.1 + 64 MiB × 0.01 + 128 MiB × 0.001.
      assert.match(
        dry.stdout,
        new RegExp(
          `${row.source}region=local ✔\\s+—\\s+✔ 10\\.768 uakt/block\\s+✔ [\\d.]+ CPU, [\\d.]+ GiB free\\s+would bid`,
        ),
      );
      assert.match(dry.stdout, /1 of 1 provider can bid on group local\./);
      assert.match(
        dry.stdout,
        /Dry run: nothing was sent\. The prices are the bids the providers would make now\./,
      );
      const json = (await cli("deploy", example("web"), "--dry-run", "--json")).json();
      assert.equal(json.can_deploy, true);
      assert.deepEqual(json.groups[0].matching, [provider.address]);
      assert.equal(json.groups[0].providers[0].online, true);
      assert.deepEqual(json.groups[0].providers[0].bid_price_per_block, { denom: "uakt", amount: "10.768" });
      assert.equal(json.groups[0].providers[0].price_fits, true);

      // A maximum below the dev provider's price: it would not bid, and the dry run says at what price.
      const cheap = join(root, "cheap-dry.yaml");
      writeFileSync(cheap, readFileSync(example("web"), "utf8").replace("amount: 1000", "amount: 5"));
      const expensive = await cli("deploy", cheap, "--dry-run");
      assert.equal(expensive.code, 1, expensive.stderr);
      assert.match(
        expensive.stdout,
        new RegExp(
          `${row.source}region=local ✔\\s+—\\s+✗ 10\\.768 uakt/block\\s+✔ .* free\\s+price 10\\.768uakt is above the order's maximum 5uakt`,
        ),
      );
      assert.match(expensive.stdout, /0 of 1 provider can bid on group local\./);
      assert.match(
        expensive.stderr,
        new RegExp(
          `✖ No provider can bid on group local\\. 1 provider matches the placement, but its price is above the SDL's maximum 5 uakt/block \\(${provider.address}: 10\\.768 uakt/block\\)\\.`,
        ),
      );
      assert.match(
        expensive.stderr,
        /Raise profiles\.placement\.local\.pricing so the group offers at least 10\.768 uakt\/block/,
      );
      const expensiveJson = await cli("deploy", cheap, "--dry-run", "--json");
      assert.equal(expensiveJson.code, 1);
      assert.equal(expensiveJson.json().groups[0].providers[0].unmet.requirement, "price");
      assert.equal(expensiveJson.json().groups[0].providers[0].price_fits, false);

      const eu = join(root, "eu-dry.yaml");
      writeFileSync(eu, readFileSync(example("web"), "utf8").replace("region: local", "region: eu-west"));
      const none = await cli("deploy", eu, "--dry-run");
      assert.equal(none.code, 1);
      assert.match(none.stdout, new RegExp(`${row.source}region=local ✗.*no region=eu-west`));
      assert.match(none.stdout, /0 of 1 provider can bid on group local\./);
      assert.match(
        none.stderr,
        /✖ No provider can bid on group local\. No provider offers region=eu-west \(1 provider: region=local\)\./,
      );
      assert.match(none.stderr, /Relax profiles\.placement\.local\.attributes\.region/);
      const noneJson = await cli("deploy", eu, "--dry-run", "--json");
      assert.equal(noneJson.code, 1);
      assert.equal(noneJson.json().can_deploy, false);
      assert.equal(noneJson.json().groups[0].providers[0].unmet.requirement, "attributes");
      assert.deepEqual(await account(), before, "nothing was signed: the same sequence and balances");

      const providers = await cli("providers");
      assert.equal(providers.code, 0, providers.stderr);
      assert.match(
        providers.stdout,
        /PROVIDER\s+HOST URI\s+ATTRIBUTES\s+AUDITED BY\s+STATUS\s+CPU\s+MEMORY\s+STORAGE/,
      );
      assert.match(
        providers.stdout,
        new RegExp(
          `${shortAddress(provider.address)}\\s+https://127\\.0\\.0\\.1:\\d+\\s+.*region=local.*storage=beta2\\s+akash1\\S+\\s+online\\s+[\\d.]+ CPU\\s+[\\d.]+ GiB`,
        ),
      );
      const listed = (await cli("providers", "--json")).json();
      assert.equal(listed[0].address, provider.address);
      assert.equal(listed[0].online, true);
      assert.ok(listed[0].available.cpu_millis > 0, JSON.stringify(listed[0]));
    });

    test("insufficient funds: how much is missing, and the faucet command", async () => {
      const added = await cli("keys", "add", "poor", "--json");
      const poor = added.json().address as string;
      assert.equal((await cli("tx", "bank", "send", "alice", poor, "0.2akt")).code, 0);
      const r = await cli("deploy", example("web"), "--yes", "--from", "poor");
      assert.equal(r.code, 1);
      assert.match(r.stderr, /✖ poor has 0\.2 AKT; the deposit needs 5 AKT plus fees \(4\.8 AKT more\)\./);
      assert.match(r.stderr, new RegExp(`decloud faucet ${poor}`));
    });

    test("a lease closed for lack of funds says so, in status and in logs", async () => {
      const deployed = await deployJson(example("web"), "--deposit", "3000uakt", "--from", "bob");
      // A few hundred blocks drain 3000 uakt at ~11 uakt a block; the provider settles the dry lease.
      await rpcCall(devnet.rpcUrl, "dev_mine", { blocks: 400 });
      const status = await eventually(async () => {
        const s = await cli("status", deployed.dseq, "--from", "bob", "--json");
        return s.json().leases[0].reason === "insufficient_funds" ? s : undefined;
      }, "the lease closed for lack of funds");
      assert.equal(status.json().state, "closed");
      const human = await cli("status", deployed.dseq, "--from", "bob");
      assert.match(human.stdout, /the escrow ran out of funds/);
      assert.match(human.stdout, /Deploy again with a larger --deposit/);
      const logs = await cli("logs", deployed.dseq, "--from", "bob");
      assert.equal(logs.code, 1);
      assert.match(
        logs.stderr,
        /The lease of deployment \d+ was closed at block [\d,]+: the escrow ran out of funds/,
      );
      assert.match(logs.stderr, /top up in time with `decloud deposit DSEQ AMOUNT`/);
      await eventually(
        async () => ((await containersOf(deployed.dseq)).length === 0 ? true : undefined),
        "the containers removed",
      );
    });

    test("a revoked or expired client certificate is refused with how to replace it", async () => {
      const deployed = await deployJson(example("web"), "--from", "carol");
      const revoke = await cli("cert", "revoke", "--from", "carol");
      assert.equal(revoke.code, 0, revoke.stderr);
      assert.match(revoke.stdout, /Make a new one with `decloud cert create --force --from carol`\./);
      const revoked = await cli("logs", deployed.dseq, "--from", "carol");
      assert.equal(revoked.code, 1);
      assert.match(revoked.stderr, /Your client certificate \d+ was revoked on chain\./);
      assert.match(revoked.stderr, /decloud cert create --from akash1\w+ --force/);

      assert.equal((await cli("cert", "create", "--from", "carol", "--force")).code, 0);
      const again = await cli("logs", deployed.dseq, "--from", "carol", "--tail", "1");
      assert.equal(again.code, 0, again.stderr);

      const carol = (await cli("keys", "show", "carol", "--json")).json().address as string;
      const past = await new CertificateManager().generatePEM(carol, {
        validFrom: new Date(Date.now() - 3 * 86_400_000),
        validTo: new Date(Date.now() - 86_400_000),
      });
      writeFileSync(certificatePath(home, carol), `${past.cert}${past.privateKey}${past.publicKey}`);
      const expired = await cli("logs", deployed.dseq, "--from", "carol");
      assert.equal(expired.code, 1);
      assert.match(expired.stderr, /Your client certificate \d+ expired on \d{4}-\d\d-\d\d\./);
      assert.equal((await cli("cert", "create", "--from", "carol", "--force")).code, 0);
      assert.equal((await cli("close", deployed.dseq, "--from", "carol")).code, 0);
    });

    test("a provider that does not answer: status says so, logs fail with what to do", async () => {
      const deployed = await deployJson(example("web"), "--from", "dave");
      await provider.stop();
      const status = await cli("status", deployed.dseq, "--from", "dave");
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /Provider akash1\w+ does not answer at https:\/\/127\.0\.0\.1:\d+/);
      const logs = await cli("logs", deployed.dseq, "--from", "dave");
      assert.equal(logs.code, 1);
      assert.match(logs.stderr, /✖ Provider akash1\w+ does not answer at https:\/\/127\.0\.0\.1:\d+\./);
      assert.match(logs.stderr, /Your deployment and its escrow are safe on chain/);
      const providers = await cli("providers", "--json");
      assert.equal(providers.code, 0, providers.stderr);
      assert.equal(providers.json()[0].online, false);
      assert.equal(providers.json()[0].available, null);
    });
  },
);
