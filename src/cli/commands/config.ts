// `decloud config set|get|unset`: defaults for --node, --chain-id, --from and the output format.
import type { Command } from "commander";
import {
  type ClientConfig,
  CONFIG_KEYS,
  checkSetting,
  configPath,
  readConfig,
  writeSetting,
} from "../config.js";
import type { CliContext } from "../context.js";

type Ctx = (command: Command) => CliContext;

export function registerConfig(program: Command, ctxOf: Ctx): void {
  const config = program
    .command("config")
    .description("defaults for --node, --chain-id, --from and the output format (in <home>/config.json)")
    .addHelpText(
      "after",
      `
Settings:
${Object.entries(CONFIG_KEYS)
  .map(([k, v]) => `  ${k.padEnd(10)} ${v}`)
  .join("\n")}

Examples:
  $ decloud config set node https://rpc.example.com:443
  $ decloud config set from me
  $ decloud config get`,
    );

  config
    .command("get")
    .description("print one setting, or all of them")
    .argument("[key]", "a setting")
    .action((key: string | undefined, _opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
      const current = readConfig(ctx.home) as Record<string, string | undefined>;
      if (key !== undefined) {
        checkSetting(key, undefined);
        const value = current[key];
        ctx.output.result({ [key]: value ?? null }, (c) => value ?? c.dim("(not set)"));
        return;
      }
      ctx.output.result(current, (c) => [
        ...Object.keys(CONFIG_KEYS).map((k) => `${k.padEnd(10)} ${current[k] ?? c.dim("(not set)")}`),
        c.dim(`(${configPath(ctx.home)})`),
      ]);
    });

  config
    .command("set")
    .description("set a setting")
    .argument("<key>", "a setting")
    .argument("<value>", "its value")
    .action((key: string, value: string, _opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
      const checked = checkSetting(key, value);
      const stored = writeSetting(ctx.home, key as keyof ClientConfig, checked);
      ctx.output.result(stored, (c) => `${c.green("✔")} ${key} = ${value}`);
    });

  config
    .command("unset")
    .description("remove a setting (back to the built-in default)")
    .argument("<key>", "a setting")
    .action((key: string, _opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
      checkSetting(key, undefined);
      const stored = writeSetting(ctx.home, key as keyof ClientConfig, undefined);
      ctx.output.result(stored, (c) => `${c.green("✔")} ${key} unset`);
    });
}
