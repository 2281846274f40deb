// A layout (layout.ts) on a commander command: its positional arguments and flags declared with their help
// and parsers, and, once parsed, gathered back into the JSON of the request or message.
import { type Command, Option } from "commander";
import type { JsonObject, JsonValue } from "../../codec/json.js";
import type { CliContext } from "../context.js";
import {
  argName,
  describeInput,
  enumNames,
  type Input,
  inputParser,
  type Layout,
  setPath,
} from "./layout.js";

/** What a field means, where its name and type alone do not say: by dotted path, else by name. */
const FIELD_HELP: Readonly<Record<string, string>> = {
  owner: "the owner: an address or key name",
  provider: "the provider: an address or key name",
  auditor: "the auditor: an address or key name",
  address: "an address or key name",
  dseq: "deployment sequence number",
  gseq: "group sequence number (1 for the first group)",
  oseq: "order sequence number (1 for the first order)",
  bseq: "bid sequence number (default 0)",
  scope: "what the escrow account is for: deployment or bid",
  "id.xid": "the escrow account's id: OWNER/DSEQ for a deployment",
  xid: "only ids starting with SCOPE/OWNER[/DSEQ…], e.g. deployment/akash1…/1234",
  serial: "the certificate's serial number",
  state: "only records in this state (see the description above)",
  "pagination.key": "start at this key: the next_key of the previous page (base64)",
  "pagination.offset": "skip this many records (instead of --page-key)",
  "pagination.limit": "at most this many records (default 100)",
  "pagination.count_total": "also count every match (slower)",
  "pagination.reverse": "newest first",
};

function helpOf(input: Input): string {
  return FIELD_HELP[input.path.join(".")] ?? FIELD_HELP[argName(input)] ?? describeInput(input);
}

/** Sample values for generated examples: the devnet's key names, small sequence numbers. */
const SAMPLES: Readonly<Record<string, string>> = {
  owner: "alice",
  provider: "bob",
  auditor: "carol",
  address: "alice",
  dseq: "1234",
  gseq: "1",
  oseq: "1",
  bseq: "0",
  denom: "uakt",
  scope: "deployment",
  xid: "akash1…/1234",
  serial: "1",
  name: "escrow",
};

/** Identifier fields whose zero value is the usual one. */
const DEFAULTED_ARGUMENTS = new Set(["bseq"]);

export interface InputOptions {
  /**
   * Positional arguments may be left out (a transaction's fields may come from --msg-json instead); the
   * command checks what is missing itself.
   */
  readonly optionalPositional?: boolean;
}

export function addInputs(command: Command, layout: Layout, options: InputOptions = {}): void {
  for (const input of layout.positional) {
    const name = argName(input);
    const optional = options.optionalPositional || isDefaulted(input);
    command.argument(
      optional ? `[${name}]` : `<${name}>`,
      helpOf(input),
      inputParser(layout.typeName, input),
    );
  }
  for (const flag of layout.flags) {
    const value = flag.form === "switch" ? "" : ` <${flag.form === "text" ? valueName(flag) : flag.form}>`;
    const help = [helpOf(flag), flag.alias ? `(or ${flag.alias})` : ""].filter(Boolean).join(" ");
    const declare = (long: string, hidden: boolean) => {
      const option = new Option(`${long}${value}`, help).argParser(inputParser(layout.typeName, flag));
      const choices = enumNames(flag);
      if (choices.length > 0 && !flag.field.repeated) option.choices(choices);
      if (hidden) option.hideHelp();
      command.addOption(option);
    };
    declare(flag.long, false);
    if (flag.alias) declare(flag.alias, true);
  }
}

function valueName(input: Input): string {
  const type = input.field.type;
  if (input.address) return "address";
  return type.kind === "scalar" ? (type.enumValues ? "name" : type.scalar) : "value";
}

/** An option's key in `command.opts()`, as commander derives it from the flag. */
function attributeOf(command: Command, long: string): string | undefined {
  return command.options.find((o) => o.long === long)?.attributeName();
}

/**
 * The JSON the command line gives, set on `base` (positional arguments first, then flags; the dotted and
 * short spelling of a flag are one field), with key names resolved to addresses.
 */
export async function collectInputs(
  command: Command,
  layout: Layout,
  ctx: CliContext,
  base: JsonObject = {},
): Promise<{ json: JsonObject; given: ReadonlySet<string> }> {
  const json = base;
  const given = new Set<string>();
  const set = async (input: Input, value: JsonValue) => {
    setPath(json, input.path, input.address ? await resolveAddresses(ctx, value) : value);
    given.add(input.path.join("."));
  };
  const args = command.processedArgs as (JsonValue | undefined)[];
  for (const [i, input] of layout.positional.entries()) {
    const value = args[i];
    if (value !== undefined) await set(input, value);
  }
  const opts = command.opts() as Record<string, JsonValue | undefined>;
  for (const flag of layout.flags) {
    for (const long of [flag.long, flag.alias]) {
      const key = long && attributeOf(command, long);
      const value = key ? opts[key] : undefined;
      if (value !== undefined) await set(flag, value);
    }
  }
  return { json, given };
}

async function resolveAddresses(ctx: CliContext, value: JsonValue): Promise<JsonValue> {
  if (typeof value === "string") return value === "" ? value : ctx.resolveAddress(value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveAddresses(ctx, v)));
  return value;
}

/** `owner dseq` as a usage example would show them: sample values by field name. */
export function sampleArguments(layout: Layout, options: { skipDefaulted?: boolean } = {}): string[] {
  return layout.positional
    .filter((i) => !(options.skipDefaulted && isDefaulted(i)))
    .map((i) => SAMPLES[argName(i)] ?? `<${argName(i)}>`);
}

/** Trailing identifier fields whose zero value is the usual one may be left out. */
export function isDefaulted(input: Input): boolean {
  return DEFAULTED_ARGUMENTS.has(argName(input));
}

/** Long flags the command already takes, its own and its ancestors' (global options): no field may reuse one. */
export function reservedFlags(command: Command): Set<string> {
  const taken = new Set(["--help", "--version"]);
  for (let c: Command | null = command; c; c = c.parent) {
    for (const o of c.options) if (o.long) taken.add(o.long);
  }
  return taken;
}
