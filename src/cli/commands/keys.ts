// `decloud keys …`: the local keyring.
import type { Command } from "commander";
import { DecloudError } from "../../client/errors.js";
import type { KeyInfo } from "../../client/keyring.js";
import type { CliContext } from "../context.js";
import { confirmOrYes, isInteractive, promptSecret, readStdin } from "../prompt.js";
import { parseIndex } from "./options.js";

type Ctx = (command: Command) => CliContext;

/** A key as `--json` prints it: Cosmos `keys show --output json` field names, pubkey as an Any. */
function keyJson(key: KeyInfo) {
  return {
    name: key.name,
    type: key.type,
    address: key.address,
    pubkey: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: key.pubkey },
    hd_path: key.hdPath,
    created_at: key.createdAt,
  };
}

async function readMnemonic(ctx: CliContext): Promise<string> {
  const mnemonic = isInteractive(ctx.io)
    ? await promptSecret(ctx.io, "Enter the mnemonic (hidden): ")
    : await readStdin(ctx.io);
  if (mnemonic.trim() === "") {
    throw new DecloudError("No mnemonic given.", {
      hint: 'Type it when asked, or pipe it in: echo "$MNEMONIC" | decloud keys import NAME',
    });
  }
  return mnemonic;
}

export function registerKeys(program: Command, ctxOf: Ctx): void {
  const keys = program
    .command("keys")
    .description("manage the local keyring")
    .addHelpText(
      "after",
      `
Keyring backends (--keyring-backend):
  file   encrypted at rest; the passphrase is asked on a terminal or read from DECLOUD_KEYRING_PASSPHRASE
  test   plain files, for devnets and CI
Keys live in <home>/keyring-<backend>/. Without --keyring-backend (or DECLOUD_KEYRING_BACKEND), a home
that holds only a test keyring (a devnet home) uses it; any other home uses file.

Examples:
  $ decloud keys add me
  $ decloud keys list
  $ decloud keys show me --address
  $ echo "$MNEMONIC" | decloud keys import restored --index 1
  $ decloud keys export me --yes
  $ decloud keys delete me --yes`,
    );

  keys
    .command("add")
    .description("create a key from a new 24-word mnemonic (printed once: write it down)")
    .argument("<name>", "a name for the key")
    .option("--index <n>", "HD index: the key is derived at m/44'/118'/0'/0/<n>", parseIndex, 0)
    .option("--recover", "recover the key from an existing mnemonic instead (same as `keys import`)")
    .action(async (name: string, opts: { index: number; recover?: boolean }, command: Command) => {
      const ctx = ctxOf(command);
      if (opts.recover) {
        const key = await ctx.keyring().import(name, await readMnemonic(ctx), { index: opts.index });
        printImported(ctx, key);
        return;
      }
      const { key, mnemonic } = await ctx.keyring().add(name, { index: opts.index });
      ctx.output.result({ ...keyJson(key), mnemonic }, (c) => [
        `${c.green("✔")} Key ${c.bold(key.name)} created in ${ctx.keyring().dir}`,
        `  address  ${key.address}`,
        `  pubkey   ${key.pubkey}`,
        `  path     ${key.hdPath}`,
        "",
        c.yellow("Write this mnemonic down and keep it safe. It is the only way to recover the key, and it"),
        c.yellow("will not be shown again:"),
        "",
        `  ${c.bold(mnemonic)}`,
      ]);
    });

  keys
    .command("import")
    .description("add a key from its mnemonic (asked on a terminal, else read from stdin)")
    .argument("<name>", "a name for the key")
    .option("--index <n>", "HD index: the key is derived at m/44'/118'/0'/0/<n>", parseIndex, 0)
    .action(async (name: string, opts: { index: number }, command: Command) => {
      const ctx = ctxOf(command);
      const key = await ctx.keyring().import(name, await readMnemonic(ctx), { index: opts.index });
      printImported(ctx, key);
    });

  keys
    .command("list")
    .description("list the keys")
    .action(async (_opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
      const all = await ctx.keyring().list();
      ctx.output.result(all.map(keyJson), (c) => {
        if (all.length === 0)
          return `No keys in ${ctx.keyring().dir}. Create one with: decloud keys add NAME`;
        const width = Math.max(4, ...all.map((k) => k.name.length));
        return [
          c.dim(`${"NAME".padEnd(width)}  ${"ADDRESS".padEnd(44)}  PATH`),
          ...all.map((k) => `${c.bold(k.name.padEnd(width))}  ${k.address.padEnd(44)}  ${c.dim(k.hdPath)}`),
        ];
      });
    });

  keys
    .command("show")
    .description("show a key's address and public key")
    .argument("<name>", "the key's name")
    .option("-a, --address", "print only the address")
    .option("-p, --pubkey", "print only the public key (base64)")
    .action(async (name: string, opts: { address?: boolean; pubkey?: boolean }, command: Command) => {
      const ctx = ctxOf(command);
      const key = await ctx.keyring().show(name);
      if (opts.address || opts.pubkey) {
        const value = opts.address ? key.address : key.pubkey;
        ctx.output.result(value, () => value);
        return;
      }
      ctx.output.result(keyJson(key), (c) => [
        `${c.bold(key.name)}`,
        `  address  ${key.address}`,
        `  pubkey   ${key.pubkey}`,
        `  path     ${key.hdPath}`,
        `  created  ${key.createdAt}`,
      ]);
    });

  keys
    .command("export")
    .description("print a key's mnemonic (asks to confirm unless --yes)")
    .argument("<name>", "the key's name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (name: string, opts: { yes?: boolean }, command: Command) => {
      const ctx = ctxOf(command);
      await ctx.keyring().show(name);
      await confirmOrYes(
        ctx.io,
        opts.yes,
        `Print the mnemonic of ${name}? Anyone who sees it controls the account.`,
      );
      const mnemonic = await ctx.keyring().exportMnemonic(name);
      ctx.output.result({ name, mnemonic }, () => mnemonic);
    });

  keys
    .command("delete")
    .description("remove a key from the keyring (asks to confirm unless --yes)")
    .argument("<name>", "the key's name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (name: string, opts: { yes?: boolean }, command: Command) => {
      const ctx = ctxOf(command);
      const key = await ctx.keyring().show(name);
      await confirmOrYes(
        ctx.io,
        opts.yes,
        `Delete ${name} (${key.address})? Without its mnemonic the account cannot be recovered.`,
      );
      await ctx.keyring().delete(name);
      ctx.output.result({ deleted: name, address: key.address }, (c) => `${c.green("✔")} Deleted ${name}`);
    });
}

function printImported(ctx: CliContext, key: KeyInfo): void {
  ctx.output.result(keyJson(key), (c) => [
    `${c.green("✔")} Key ${c.bold(key.name)} imported into ${ctx.keyring().dir}`,
    `  address  ${key.address}`,
    `  path     ${key.hdPath}`,
  ]);
}
