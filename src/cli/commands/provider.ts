// `decloud provider init|register|run|status`: become a provider with the machine's Docker Engine.
// The provider's files live in <home>/provider: config.yaml (every setting with its default), its TLS
// certificate (tls.crt/tls.key/tls.pub) and its state (provider.sqlite).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import type { Command } from "commander";
import { pino } from "pino";
import { DecloudError, NodeUnreachableError } from "../../client/errors.js";
import { RpcChain } from "../../provider/chain/rpc-chain.js";
import { DockerBackend } from "../../provider/cluster/docker/backend.js";
import { DEFAULT_CONFIG_YAML, type ProviderConfig, parseConfig } from "../../provider/config.js";
import { Provider } from "../../provider/provider.js";
import { ensureProviderTls } from "../../provider/tls.js";
import type { CliContext } from "../context.js";
import { DEFAULT_NODE } from "../defaults.js";

type Ctx = (command: Command) => CliContext;

interface ProviderOptions {
  readonly config?: string;
}

function providerDir(ctx: CliContext): string {
  return join(ctx.home, "provider");
}

function configPath(ctx: CliContext, opts: ProviderOptions): string {
  return opts.config ?? join(providerDir(ctx), "config.yaml");
}

function loadConfig(ctx: CliContext, opts: ProviderOptions): ProviderConfig {
  const path = configPath(ctx, opts);
  if (!existsSync(path)) {
    throw new DecloudError(`No provider config at ${path}.`, {
      hint: "Create one with `decloud provider init`.",
    });
  }
  try {
    return parseConfig(readFileSync(path, "utf8"));
  } catch (e) {
    throw new DecloudError(`${path}: ${(e as Error).message}`, {
      hint: "`decloud provider init --force` writes a fresh config with every setting documented.",
    });
  }
}

/**
 * The default config, with `chain.node` set to the CLI's node (--node, or `decloud config get node`) when
 * that is not the default: the provider then talks to the network the CLI was pointed at.
 */
function initialConfigYaml(node: string): string {
  if (node === DEFAULT_NODE) return DEFAULT_CONFIG_YAML;
  const value = /^[\w:/.@%[\]-]+$/.test(node) ? node : JSON.stringify(node);
  // The comment stays in its column unless the URL is longer.
  return DEFAULT_CONFIG_YAML.replace(/^( {2}node: )\S+ +#/m, (line, key: string) => {
    const setting = `${key}${value} `;
    return `${setting.padEnd(line.length - 1)}#`;
  }).replace(
    // The header says every value shown is the default, which chain.node now is not.
    /^(# .*the value shown is the default)\.$/m,
    `$1, except\n# chain.node: the CLI's node when \`decloud provider init\` wrote this file (default ${DEFAULT_NODE}).`,
  );
}

/** The provider's key: its address and signer, and a chain client that signs with it. */
async function providerChain(
  ctx: CliContext,
  config: ProviderConfig,
  configFile: string,
): Promise<{ chain: RpcChain; address: string }> {
  const keyring = ctx.keyring();
  if (!(await keyring.has(config.key))) {
    throw new DecloudError(`The provider key "${config.key}" is not in ${keyring.dir}.`, {
      hint: "`decloud provider init` creates it; or set `key:` in the config to a key from `decloud keys list`.",
    });
  }
  const address = (await keyring.show(config.key)).address;
  try {
    const chain = await RpcChain.connect({
      nodeUrl: config.chain.node,
      signer: await keyring.getSigner(config.key),
      address,
      gasPrice: config.chain.gasPrice,
    });
    return { chain, address };
  } catch (e) {
    // The provider reads its node from its config, not from --node: say where to change it.
    if (e instanceof NodeUnreachableError)
      throw new DecloudError(e.message, {
        hint: `Is it running? The provider's node is chain.node in ${configFile}.`,
        details: e.details,
        cause: e,
      });
    throw e;
  }
}

export async function initAction(
  ctxOf: Ctx,
  opts: ProviderOptions & { force?: boolean },
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const path = configPath(ctx, opts);
  mkdirSync(providerDir(ctx), { recursive: true });
  if (existsSync(path) && !opts.force) {
    throw new DecloudError(`${path} exists.`, {
      hint: "Edit it, or pass --force to write the defaults again.",
    });
  }
  const yaml = initialConfigYaml(ctx.node);
  const config = parseConfig(yaml);
  writeFileSync(path, yaml);
  const keyring = ctx.keyring();
  let mnemonic: string | undefined;
  if (!(await keyring.has(config.key))) mnemonic = (await keyring.add(config.key)).mnemonic;
  const address = (await keyring.show(config.key)).address;
  await ensureProviderTls(providerDir(ctx), address);
  ctx.output.result({ config: path, node: config.chain.node, key: config.key, address, mnemonic }, (c) => [
    `${c.green("✔")} Provider config written to ${path}`,
    `${c.dim("node")}     ${config.chain.node}`,
    `${c.dim("key")}      ${config.key}  ${address}${mnemonic ? c.dim("  (new; back up: decloud keys export provider)") : ""}`,
    `${c.dim("tls")}      ${join(providerDir(ctx), "tls.crt")}`,
    "",
    `Next: ${c.bold("decloud faucet provider")} (on a devnet), then ${c.bold("decloud provider register")}.`,
  ]);
}

export async function registerAction(ctxOf: Ctx, opts: ProviderOptions, command: Command): Promise<void> {
  const ctx = ctxOf(command);
  const config = loadConfig(ctx, opts);
  const { chain, address } = await providerChain(ctx, config, configPath(ctx, opts));
  try {
    const tls = await ensureProviderTls(providerDir(ctx), address);
    const spinner = ctx.output.progress(`Registering ${address} at ${config.provider.hostUri}…`);
    try {
      const tx = await chain.registerProvider(config.provider);
      const published = (await chain.certificates(address)).some((c) => c.cert === tls.cert);
      const certTx = published ? undefined : await chain.publishCertificate(tls.cert, tls.publicKey);
      spinner.succeed(`Provider ${address} registered`);
      ctx.output.result(
        { address, host_uri: config.provider.hostUri, tx: tx.hash, certificate_tx: certTx?.hash },
        (c) => [
          `${c.dim("host")}        ${config.provider.hostUri}`,
          `${c.dim("attributes")}  ${config.provider.attributes.map((a) => `${a.key}=${a.value}`).join(" ")}`,
          `${c.dim("tx")}          ${tx.hash}${certTx ? `  ${c.dim("certificate")} ${certTx.hash}` : ""}`,
          "",
          `Next: ${c.bold("decloud provider run")}`,
        ],
      );
    } catch (e) {
      spinner.fail();
      throw e;
    }
  } finally {
    chain.disconnect();
  }
}

export async function runAction(ctxOf: Ctx, opts: ProviderOptions, command: Command): Promise<void> {
  const ctx = ctxOf(command);
  const config = loadConfig(ctx, opts);
  const { chain, address } = await providerChain(ctx, config, configPath(ctx, opts));
  const tls = await ensureProviderTls(providerDir(ctx), address);
  const logger = pino({ level: process.env.DECLOUD_LOG ?? "info" }, pino.destination(2));
  const cluster = new DockerBackend({
    chainId: chain.chainId,
    provider: address,
    socketPath: config.cluster.dockerSocket,
    publicAddress: config.cluster.publicAddress,
    leaseSubnets: config.cluster.leaseSubnets,
  });
  const daemon = new Provider(config, providerDir(ctx), {
    chain,
    cluster,
    logger,
    tls: { cert: tls.cert, key: tls.key },
  });
  const spinner = ctx.output.progress(`Starting provider ${address}…`);
  await daemon.start();
  const capacity = daemon.inventory.capacity();
  spinner.succeed(`Provider ${address} running on chain ${chain.chainId}`);
  ctx.output.result(
    {
      address,
      chain_id: chain.chainId,
      gateway: daemon.gateway.url,
      ingress: `http://*.${config.ingress.domain}:${daemon.ingress.port}`,
      cpu_millis: capacity.cpuMillis.toString(),
      memory_bytes: capacity.memoryBytes.toString(),
    },
    (c) => [
      `${c.dim("Gateway")}   ${daemon.gateway.url}`,
      `${c.dim("Ingress")}   http://*.${config.ingress.domain}:${daemon.ingress.port}`,
      `${c.dim("Capacity")}  docker · ${Number(capacity.cpuMillis) / 1000} CPU · ${(Number(capacity.memoryBytes) / 2 ** 30).toFixed(1)} GiB`,
      c.dim("Ctrl-C stops the provider; running leases keep running and are adopted on the next start."),
    ],
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await daemon.stop();
  chain.disconnect();
}

export async function statusAction(
  ctxOf: Ctx,
  url: string | undefined,
  opts: ProviderOptions,
  command: Command,
): Promise<void> {
  const ctx = ctxOf(command);
  const base = url ?? loadConfig(ctx, opts).provider.hostUri;
  const status = (await getInsecureJson(`${base.replace(/\/$/, "")}/status`)) as {
    address: string;
    cluster: {
      leases: number;
      inventory: { available: { nodes: { available: { cpu: number; memory: number } }[] } };
    };
    bidengine: { orders: number };
  };
  const free = status.cluster.inventory.available.nodes[0]?.available;
  ctx.output.result(status, (c) => [
    `${c.dim("provider")}  ${status.address}`,
    `${c.dim("leases")}    ${status.cluster.leases}`,
    `${c.dim("bidding")}   ${status.bidengine.orders} orders`,
    `${c.dim("free")}      ${(free?.cpu ?? 0) / 1000} CPU · ${((free?.memory ?? 0) / 2 ** 30).toFixed(1)} GiB`,
  ]);
}

/**
 * GET a provider's public JSON. `/status` needs no credentials, and a provider's certificate is self-signed
 * (tenants check it against the chain, reference §4.1): it is not verified here, and nothing secret is sent.
 */
function getInsecureJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => {
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new DecloudError(`${url} answered ${res.statusCode} without JSON.`));
          }
        });
      })
      .on("error", (e) =>
        reject(
          new DecloudError(`Cannot reach the provider at ${url}: ${e.message}`, {
            hint: "Is `decloud provider run` running?",
          }),
        ),
      );
  });
}
