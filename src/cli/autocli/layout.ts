// How a request or message type becomes a command line, read from its descriptor (codec/descriptors.ts) as
// the Cosmos SDK's autocli reads proto descriptors: which fields are positional arguments, which are flags
// (dotted for nested messages: --filters.owner, --pagination.limit), and how each one's text becomes the
// gateway JSON that `fromJson` encodes. The codec stays the judge of values: a flag's text is checked by
// encoding it, so the CLI accepts exactly what the REST gateway accepts and says so in the same words.
import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { parseAmount, parseAmounts } from "../../client/amount.js";
import { DecloudError } from "../../client/errors.js";
import { describe, type FieldDescriptor } from "../../codec/descriptors.js";
import type { JsonObject, JsonValue } from "../../codec/json.js";
import { fromJson, JsonParseError } from "../../codec/json-parse.js";
import { kebabCase } from "./modules.js";

/** How an input's text is read. */
export type InputForm =
  /** A scalar as typed (string, integer, decimal, enum name); the codec checks it. */
  | "text"
  /** A bool, set by its presence. */
  | "switch"
  /** Base64, or @FILE for a file's bytes (a PEM certificate). */
  | "bytes"
  /** `5akt` → {denom, amount} in base units. */
  | "coin"
  /** `5akt,100usdc` → a list of coins; repeatable. */
  | "coins"
  /** `0.5uakt` or `1akt` → a DecCoin. */
  | "dec-coin"
  /** `5akt` → a deposit from the signer's balance. */
  | "deposit"
  /** `key=value` → an attribute; repeatable. */
  | "attribute"
  /** A JSON value, or @FILE; repeatable for lists. */
  | "json";

export interface Input {
  /** Proto field names from the root message. */
  readonly path: readonly string[];
  readonly field: FieldDescriptor;
  readonly form: InputForm;
  /** Takes an address or the name of a key in the keyring. */
  readonly address: boolean;
}

export interface Flag extends Input {
  /** `--filters.owner` */
  readonly long: string;
  /** A shorter spelling where one is unambiguous: `--owner` for `--filters.owner`, `--limit`. */
  readonly alias?: string;
}

export interface Layout {
  readonly typeName: string;
  readonly positional: readonly Input[];
  readonly flags: readonly Flag[];
}

/** Fields that hold an account address; they also take key names. */
const ADDRESS_FIELDS = new Set([
  "owner",
  "provider",
  "auditor",
  "address",
  "authority",
  "signer",
  "from_address",
  "to_address",
]);

/** Short spellings of the pagination fields, as the Cosmos SDK's CLI names them. */
const PAGE_ALIASES: Readonly<Record<string, string>> = {
  key: "--page-key",
  offset: "--offset",
  limit: "--limit",
  count_total: "--count-total",
  reverse: "--reverse",
};

/** Message types that read from one piece of text rather than a flag per field. */
const SINGLE_TEXT_TYPES: Readonly<Record<string, InputForm>> = {
  "cosmos.base.v1beta1.Coin": "coin",
  "cosmos.base.v1beta1.DecCoin": "dec-coin",
  "akash.base.deposit.v1.Deposit": "deposit",
  "google.protobuf.Timestamp": "text",
  "google.protobuf.Duration": "text",
};

/** Nested messages deeper than this take JSON rather than a flag per field. */
const MAX_FLAG_DEPTH = 2;

/** An identifier message (`id`, `bid_id`): its fields become positional arguments, in declaration order. */
function isIdField(f: FieldDescriptor): boolean {
  return f.type.kind === "message" && !f.repeated && (f.name === "id" || f.name.endsWith("_id"));
}

function isScalarText(f: FieldDescriptor): boolean {
  return (
    f.type.kind === "scalar" &&
    !f.repeated &&
    !f.mapKey &&
    f.type.scalar !== "bool" &&
    f.type.scalar !== "bytes"
  );
}

export interface LayoutOptions {
  readonly role: "query" | "tx";
  /** The signer field (dotted), filled from --from: neither an argument nor a flag. */
  readonly signer?: string;
  /** Long flags already taken (global and transaction options): fields that would collide get no flag. */
  readonly reserved?: ReadonlySet<string>;
}

/**
 * Positional arguments: the fields of an `id`, and plain scalars of a request that is not a list (a list's
 * scalars are optional filters) — or, in any request or message, an address field other than the signer
 * (`provider provider OWNER`, `audit sign-provider-attributes PROVIDER`). Every other field is a flag.
 */
export function layoutOf(typeName: string, options: LayoutOptions): Layout {
  const fields = describe(typeName).fields;
  const paged = fields.some((f) => f.name === "pagination");
  const positional: Input[] = [];
  const flags: Flag[] = [];
  const skip = (path: readonly string[]) => path.join(".") === options.signer;
  for (const f of fields) {
    if (skip([f.name])) continue;
    if (isIdField(f) && f.type.kind === "message") {
      for (const leaf of describe(f.type.typeName).fields) {
        const path = [f.name, leaf.name];
        if (skip(path)) continue;
        if (isScalarText(leaf)) positional.push(input(path, leaf));
        else addFlags(flags, path, leaf, 1);
      }
      continue;
    }
    const positionalScalar =
      isScalarText(f) &&
      (ADDRESS_FIELDS.has(f.name) || (options.role === "query" && !paged && f.type.kind === "scalar"));
    if (positionalScalar) positional.push(input([f.name], f));
    else addFlags(flags, [f.name], f, 0);
  }
  return { typeName, positional, flags: withoutCollisions(flags, options.reserved ?? new Set()) };
}

function input(path: readonly string[], field: FieldDescriptor, form: InputForm = "text"): Input {
  const address =
    field.type.kind === "scalar" && field.type.scalar === "string" && ADDRESS_FIELDS.has(field.name);
  return { path, field, form, address };
}

function addFlags(out: Flag[], path: readonly string[], f: FieldDescriptor, depth: number): void {
  const flag = (form: InputForm): Flag => ({
    ...input(path, f, form),
    long: `--${path.map(kebabCase).join(".")}`,
    alias: aliasOf(path),
  });
  if (f.mapKey) {
    out.push(flag("json"));
  } else if (f.type.kind === "scalar") {
    if (f.type.scalar === "bool" && !f.repeated) out.push(flag("switch"));
    else if (f.type.scalar === "bytes" && !f.repeated) out.push(flag("bytes"));
    else out.push(flag("text"));
  } else {
    const single = SINGLE_TEXT_TYPES[f.type.typeName];
    if (single === "coin" && f.repeated) out.push(flag("coins"));
    else if (single && !f.repeated) out.push(flag(single));
    else if (f.type.typeName === "akash.base.attributes.v1.Attribute" && f.repeated)
      out.push(flag("attribute"));
    else if (f.repeated || depth >= MAX_FLAG_DEPTH || f.type.typeName === "google.protobuf.Any")
      out.push(flag("json"));
    else
      for (const sub of describe(f.type.typeName).fields) addFlags(out, [...path, sub.name], sub, depth + 1);
  }
}

function aliasOf(path: readonly string[]): string | undefined {
  if (path.length !== 2) return undefined;
  if (path[0] === "filters" || path[0] === "filter") return `--${kebabCase(path[1]!)}`;
  if (path[0] === "pagination") return PAGE_ALIASES[path[1]!];
  return undefined;
}

/** Drops flags that reuse a taken name, and aliases that are taken or ambiguous. */
function withoutCollisions(flags: readonly Flag[], reserved: ReadonlySet<string>): Flag[] {
  const longs = new Set(flags.map((f) => f.long));
  const aliasCount = new Map<string, number>();
  for (const f of flags) if (f.alias) aliasCount.set(f.alias, (aliasCount.get(f.alias) ?? 0) + 1);
  return flags
    .filter((f) => !reserved.has(f.long))
    .map((f) =>
      f.alias && (reserved.has(f.alias) || longs.has(f.alias) || aliasCount.get(f.alias)! > 1)
        ? { ...f, alias: undefined }
        : f,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Reading values.

/** The JSON value of one piece of text for `input`, given what earlier occurrences of the flag gave. */
export function readInput(input: Input, text: string, previous: JsonValue | undefined): JsonValue {
  const list = (previous as JsonValue[] | undefined) ?? [];
  const repeated = input.field.repeated;
  switch (input.form) {
    case "switch":
      return true;
    case "bytes":
      return text.startsWith("@") ? readFileSync(text.slice(1)).toString("base64") : text;
    case "coin":
      return { ...parseAmount(text) };
    case "coins":
      return [...list, ...parseAmounts(text).map((c) => ({ ...c }))];
    case "dec-coin":
      return decCoin(text);
    case "deposit":
      return { amount: { ...parseAmount(text) }, sources: ["balance"] };
    case "attribute": {
      const eq = text.indexOf("=");
      if (eq <= 0) throw new InvalidArgumentError("KEY=VALUE is expected (e.g. region=us-east).");
      return [...list, { key: text.slice(0, eq), value: text.slice(eq + 1) }];
    }
    case "json": {
      const value = parseJsonText(text.startsWith("@") ? readFileSync(text.slice(1), "utf8") : text);
      if (!repeated) return value;
      return [...list, ...(Array.isArray(value) ? value : [value])];
    }
    case "text":
      return repeated ? [...list, text] : text;
  }
}

/** A DecCoin: base units may have decimals (`0.5uakt`); display units convert as for coins (`1akt`). */
function decCoin(text: string): JsonObject {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  try {
    return { ...parseAmount(text) };
  } catch (e) {
    if (m) return { denom: m[2]!, amount: m[1]! };
    throw e;
  }
}

export function parseJsonText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new InvalidArgumentError(`not valid JSON (${(e as Error).message}).`);
  }
}

/**
 * A commander argument parser for `input` of `typeName`: reads the text, then checks the value by encoding
 * it alone, so that a bad value is reported against its flag before anything runs.
 */
export function inputParser(typeName: string, input: Input) {
  return (text: string, previous: unknown): JsonValue => {
    let value: JsonValue;
    try {
      value = readInput(input, text, previous as JsonValue | undefined);
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw e;
      if (e instanceof DecloudError || (e as NodeJS.ErrnoException).code === "ENOENT") {
        throw new InvalidArgumentError((e as Error).message);
      }
      throw e;
    }
    // Key names are resolved later (they need the keyring); their text is not an address yet.
    if (!input.address) {
      try {
        fromJson(typeName, nest(input.path, value));
      } catch (e) {
        if (e instanceof JsonParseError) throw new InvalidArgumentError(`${e.message}.`);
        throw e;
      }
    }
    return value;
  };
}

function nest(path: readonly string[], value: JsonValue): JsonObject {
  const root: JsonObject = {};
  setPath(root, path, value);
  return root;
}

export function setPath(root: JsonObject, path: readonly string[], value: JsonValue): void {
  let target = root;
  for (const name of path.slice(0, -1)) {
    const next = target[name];
    if (next === null || typeof next !== "object" || Array.isArray(next)) target[name] = {};
    target = target[name] as JsonObject;
  }
  target[path[path.length - 1]!] = value;
}

export function getPath(root: JsonObject, path: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = root;
  for (const name of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = value[name];
  }
  return value;
}

/** What an input takes, for --help. */
export function describeInput(input: Input): string {
  const type = input.field.type;
  const many = input.field.repeated ? ", repeatable" : "";
  switch (input.form) {
    case "switch":
      return "";
    case "bytes":
      return "base64, or @FILE";
    case "coin":
      return "an amount, e.g. 5akt or 5000000uakt";
    case "coins":
      return "amounts, e.g. 5akt,100usdc; repeatable";
    case "dec-coin":
      return "a price, e.g. 800uakt or 0.5uakt";
    case "deposit":
      return "an amount taken from the signer's balance, e.g. 5akt";
    case "attribute":
      return "KEY=VALUE; repeatable";
    case "json":
      return `JSON${type.kind === "message" ? ` (${type.typeName})` : ""} or @FILE${many}`;
    case "text":
      if (input.address) return `an address or key name${many}`;
      if (type.kind === "scalar" && type.enumValues) return `one of: ${enumNames(input).join(", ")}${many}`;
      if (type.kind === "scalar") return `${type.dec ? "decimal" : type.scalar}${many}`;
      return `${type.typeName}${many}`;
  }
}

/** The names an enum input accepts (without the zero "invalid" placeholder of Akash's enums). */
export function enumNames(input: Input): string[] {
  const type = input.field.type;
  if (type.kind !== "scalar" || !type.enumValues) return [];
  return [...type.enumValues.values()].filter((n) => !/^(invalid|unspecified)$|_invalid$/.test(n));
}

/** The placeholder an input shows in usage lines: `<dseq>`, `<owner>`. */
export function argName(input: Input): string {
  return input.path[input.path.length - 1]!;
}
