// `decloud tx MODULE MSG`: the message built from --msg-json, arguments and flags (layout.ts), its signer
// field filled from --from, then signed, broadcast and followed to its block by the client's
// signAndBroadcast (gas auto by default), exactly as `tx bank send` does.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { type Coin, formatCoins, parseAmounts } from "../../client/amount.js";
import { DecloudError } from "../../client/errors.js";
import { signAndBroadcast } from "../../client/tx.js";
import { describe } from "../../codec/descriptors.js";
import { type JsonObject, type JsonValue, toJson } from "../../codec/json.js";
import { fromJson, JsonParseError } from "../../codec/json-parse.js";
import { sdkType } from "../../codec/registry.js";
import { addTxOptions, type TxOptions } from "../commands/tx.js";
import { txJson, txProgress } from "../commands/tx-progress.js";
import type { CliContext } from "../context.js";
import { readStdin } from "../prompt.js";
import { addInputs, collectInputs, isDefaulted, reservedFlags, sampleArguments } from "./inputs.js";
import { argName, getPath, type Input, type Layout, layoutOf, setPath } from "./layout.js";
import type { ResolvedMethod } from "./methods.js";
import { type MsgSpec, txAliases } from "./modules.js";
import { eventLines } from "./render.js";

type Ctx = (command: Command) => CliContext;

/** The devnet key that usually signs a message whose signer is this field. */
function sampleSigner(signer: string | undefined): string {
  if (signer?.endsWith("provider")) return "bob";
  if (signer?.endsWith("auditor")) return "carol";
  return "alice";
}

export function addTxCommand(
  parent: Command,
  moduleName: string,
  method: ResolvedMethod<MsgSpec>,
  ctxOf: Ctx,
): string[] {
  const { spec } = method;
  const command = addTxOptions(parent.command(method.command).description(spec.description)).option(
    "--msg-json <json|file|->",
    `the whole message (${method.requestType}) as JSON, a JSON file, or - for stdin; arguments and flags override its fields`,
  );
  for (const alias of txAliases(method.command, moduleName)) command.alias(alias);
  const layout = layoutOf(method.requestType, {
    role: "tx",
    signer: spec.signer,
    reserved: reservedFlags(command),
  });
  addInputs(command, layout, { optionalPositional: true });
  const generated = [method.command, ...sampleArguments(layout, { skipDefaulted: true })];
  const examples = (spec.examples ?? [[...generated, "--from", sampleSigner(spec.signer)].join(" ")]).map(
    (e) => `decloud tx ${moduleName} ${e}`,
  );
  command.addHelpText(
    "after",
    [
      "",
      spec.signer
        ? `The signer (${spec.signer}) is the --from key unless the message names it.`
        : "Sign with --from.",
      "",
      "Examples:",
      ...examples.map((e) => `  $ ${e}`),
    ].join("\n"),
  );
  command.action(async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    await sendMessage(ctxOf(cmd), cmd, `tx ${moduleName} ${method.command}`, method, layout);
  });
  return examples;
}

type MsgOptions = TxOptions & { msgJson?: string };

async function sendMessage(
  ctx: CliContext,
  cmd: Command,
  what: string,
  method: ResolvedMethod<MsgSpec>,
  layout: Layout,
): Promise<void> {
  const opts = cmd.opts<MsgOptions>();
  const typeUrl = `/${layout.typeName}`;
  if (opts.from === undefined) {
    throw new DecloudError(`decloud ${what} needs --from: the key that signs the transaction.`, {
      hint: `For example: decloud ${what} … --from alice  (your keys: decloud keys list)`,
    });
  }
  const base =
    opts.msgJson === undefined ? {} : canonical(layout.typeName, await readMsgJson(ctx, opts.msgJson), what);
  const { json, given } = await collectInputs(cmd, layout, ctx, base);
  if (opts.msgJson === undefined) assertArguments(what, cmd, method.spec, layout, given);
  const fromAddress = await ctx.resolveAddress(opts.from);
  if (method.spec.signer) fillSigner(json, method.spec.signer.split("."), fromAddress, opts.from);
  const fees = opts.fees === undefined ? undefined : parseAmounts(opts.fees);

  const spinner = ctx.output.progress(`Connecting to ${ctx.node}…`);
  try {
    const { client, address, name } = await ctx.connectAs(opts.from);
    if (method.spec.dseqFromHeight && isUnset(getPath(json, ["id", "dseq"]))) {
      setPath(json, ["id", "dseq"], String(await client.stargate.getHeight()));
    }
    const bytes = encode(layout.typeName, json, what);
    // The wallet client knows the messages the SDK sends, with its codecs (either family); any other of the
    // chain's is added for this one with chain-sdk's.
    const registry = client.signing.registry;
    if (!registry.lookupType(typeUrl)) registry.register(typeUrl, sdkType(layout.typeName) as never);
    const codec = registry.lookupType(typeUrl) as { decode(bytes: Uint8Array): unknown };
    spinner.update(`Sending ${method.rpc} from ${name}…`);
    const result = await signAndBroadcast(client, {
      from: address,
      fromLabel: name,
      messages: [{ typeUrl, value: codec.decode(bytes) }],
      fees,
      gas: opts.gas,
      gasAdjustment: opts.gasAdjustment,
      memo: opts.memo,
      spend: spendOf(layout.typeName, json),
      timeoutMs: opts.timeout * 1000,
      onProgress: txProgress(spinner),
    });
    spinner.succeed(`${method.rpc} by ${name} included in block ${result.height.toLocaleString("en-US")}`);
    const message = { "@type": typeUrl, ...toJson(layout.typeName, bytes) };
    ctx.output.result({ ...txJson(result), message, events: result.events }, (c) => {
      const events = eventLines(result.events, c);
      return [
        `${c.dim("tx")}      ${result.hash}`,
        `${c.dim("block")}   ${result.height.toLocaleString("en-US")}`,
        `${c.dim("fee")}     ${formatCoins(result.fee.amount)}  ${c.dim(`(gas used ${Number(result.gasUsed).toLocaleString("en-US")} of ${Number(result.gasWanted).toLocaleString("en-US")})`)}`,
        ...(events.length > 0 ? [`${c.dim("events")}`, ...events.map((l) => `  ${l}`)] : []),
      ];
    });
  } catch (e) {
    spinner.fail();
    throw e;
  }
}

/** --msg-json's value: JSON text, a file (optionally written @FILE), or `-` for stdin. */
async function readMsgJson(ctx: CliContext, arg: string): Promise<JsonValue> {
  let text: string;
  if (arg === "-") text = await readStdin(ctx.io);
  else if (/^\s*[{[]/.test(arg)) text = arg;
  else {
    const file = arg.replace(/^@/, "");
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new DecloudError(`--msg-json: cannot read ${file} (${(e as NodeJS.ErrnoException).code}).`, {
        hint: "Pass the message as JSON text ('{…}'), a JSON file, or - to read it from stdin.",
      });
    }
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new DecloudError(`--msg-json is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The message JSON with proto field names and every field present, whichever spelling it came in
 * (lowerCamel, as chain-sdk's toJSON writes it, or an `@type`-tagged message as `query tx` prints it), so that
 * arguments and flags land on the same fields.
 */
function canonical(typeName: string, json: JsonValue, what: string): JsonObject {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DecloudError(`--msg-json must be a JSON object (a ${typeName}).`);
  }
  const { "@type": type, ...fields } = json;
  if (type !== undefined && type !== `/${typeName}`) {
    throw new DecloudError(`--msg-json is a ${String(type)}, not a /${typeName}.`);
  }
  const withQuantities = quantitiesAsBytes(typeName, fields, "") as JsonObject;
  return toJson(typeName, encode(typeName, withQuantities, what, "--msg-json"));
}

/**
 * Akash's resource quantities (`cpu.units.val`, `memory.quantity.val`, …) are decimal text carried as bytes:
 * base64 in JSON ("MTAwMA=="), which `decloud query` prints decoded ("1000"). Both are accepted, so that a
 * group copied from a query can be sent back. The decimal form is unambiguous: a string of digits is never
 * base64 of digits (its first byte would be 0xD0 or more).
 */
function quantitiesAsBytes(typeName: string, json: JsonValue, path: string): JsonValue {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return json;
  const descriptor = describe(typeName);
  const quantity = typeName.endsWith(".ResourceValue");
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(json)) {
    const field = descriptor.byName.get(key);
    const where = path ? `${path}.${key}` : key;
    if (quantity && field?.name === "val") out[key] = quantityBytes(v, where);
    else if (field?.type.kind === "message" && field.mapKey === undefined) {
      const inner = field.type.typeName;
      out[key] =
        field.repeated && Array.isArray(v)
          ? v.map((e, i) => quantitiesAsBytes(inner, e, `${where}[${i}]`))
          : quantitiesAsBytes(inner, v, where);
    } else out[key] = v;
  }
  return out;
}

const base64Of = (text: string) => Buffer.from(text, "latin1").toString("base64");

/** A resource quantity as base64 of its decimal digits, from either form (or a JSON number). */
function quantityBytes(v: JsonValue, where: string): JsonValue {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return base64Of(String(v));
  if (typeof v !== "string" || v === "") return v;
  if (/^\d+$/.test(v)) return base64Of(v);
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && /^\d+$/.test(Buffer.from(v, "base64").toString("latin1")))
    return v;
  const number = /^\s*(\d+)(?:\.0*)?\s*$/.exec(v)?.[1];
  throw new DecloudError(`--msg-json: ${where} is "${v}", not a resource quantity (a whole number).`, {
    hint: number
      ? `Write "${number}" (or its base64, "${base64Of(number)}").`
      : 'CPU is in thousandths of a CPU, memory and storage in bytes: write the digits as `decloud query` prints them ("1000"), or their base64 ("MTAwMA==").',
  });
}

/** The message's bytes; a value the codec refuses is reported with the message's fields. */
function encode(typeName: string, json: JsonObject, what: string, source = "the message"): Uint8Array {
  try {
    return fromJson(typeName, json);
  } catch (e) {
    if (!(e instanceof JsonParseError)) throw e;
    const fields = describe(typeName).fields.map((f) => f.name);
    throw new DecloudError(`Invalid ${source} (${typeName}): ${e.message}.`, {
      hint: `Its fields are ${fields.join(", ")}; see \`decloud ${what} --help\`.`,
    });
  }
}

function isUnset(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || v === "" || v === "0" || v === 0;
}

function fillSigner(json: JsonObject, path: string[], address: string, from: string): void {
  const current = getPath(json, path);
  if (isUnset(current)) setPath(json, path, address);
  else if (current !== address) {
    throw new DecloudError(
      `The message's signer ${path.join(".")} is ${String(current)}, but --from ${from} is ${address}.`,
      { hint: `Sign with the key of ${String(current)}, or leave ${path.join(".")} out to sign as ${from}.` },
    );
  }
}

/** Without --msg-json, every positional argument but the defaulted ones is needed. */
function assertArguments(
  what: string,
  cmd: Command,
  spec: MsgSpec,
  layout: Layout,
  given: ReadonlySet<string>,
): void {
  const optional = (i: Input) => isDefaulted(i) || (spec.dseqFromHeight && i.path.join(".") === "id.dseq");
  const missing = layout.positional.filter((i) => !given.has(i.path.join(".")) && !optional(i));
  if (missing.length === 0) return;
  const names = missing.map((i) => argName(i).toUpperCase());
  throw new DecloudError(`decloud ${what} needs ${names.join(" ")}.`, {
    hint: `Usage: decloud ${what} ${cmd.usage()}  (or give the whole message with --msg-json)`,
  });
}

/** Coins the message takes from the signer's balance (a deposit), so that missing funds are named up front. */
function spendOf(typeName: string, json: JsonObject): Coin[] {
  const field = describe(typeName).byName.get("deposit");
  if (field?.type.kind !== "message" || field.type.typeName !== "akash.base.deposit.v1.Deposit") return [];
  const sources = getPath(json, ["deposit", "sources"]);
  const amount = getPath(json, ["deposit", "amount"]) as
    | { denom?: string; amount?: string }
    | null
    | undefined;
  const fromBalance = Array.isArray(sources) && sources.includes("balance");
  if (!fromBalance || !amount?.denom || !amount.amount || amount.amount === "0") return [];
  return [{ denom: amount.denom, amount: amount.amount }];
}
