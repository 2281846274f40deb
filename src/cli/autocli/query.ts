// `decloud query MODULE METHOD`: the request built from the arguments and flags (layout.ts), sent over
// CometBFT's `abci_query` at the method's gRPC path as any Cosmos client sends it, and the response printed
// with the gateway JSON encoder (`--json`) or as a readable outline.
import type { Command } from "commander";
import { nodeRequest } from "../../client/connect.js";
import { DecloudError } from "../../client/errors.js";
import { toJson } from "../../codec/json.js";
import { fromJson, JsonParseError } from "../../codec/json-parse.js";
import { abciErrorToQueryError, GrpcCode } from "../../node/query-routes.js";
import { parseIndex } from "../commands/options.js";
import type { CliContext } from "../context.js";
import { addInputs, collectInputs, reservedFlags, sampleArguments } from "./inputs.js";
import { type Layout, layoutOf } from "./layout.js";
import type { ResolvedMethod } from "./methods.js";
import { emptyListMessage, renderJson } from "./render.js";

type Ctx = (command: Command) => CliContext;

export function addQueryCommand(
  parent: Command,
  moduleName: string,
  method: ResolvedMethod,
  ctxOf: Ctx,
): string[] {
  const command = parent
    .command(method.command)
    .description(method.spec.description)
    .option("--height <n>", "read the state as of this block height (default: latest)", parseIndex);
  const layout = layoutOf(method.requestType, { role: "query", reserved: reservedFlags(command) });
  addInputs(command, layout);
  const examples = (
    method.spec.examples ?? [[method.command, ...sampleArguments(layout, { skipDefaulted: true })].join(" ")]
  ).map((e) => `decloud query ${moduleName} ${e}`);
  command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}`);
  command.action(async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = ctxOf(cmd);
    const { json } = await collectInputs(cmd, layout, ctx);
    const response = await runQuery(ctx, `query ${moduleName} ${method.command}`, method, layout, json, {
      height: cmd.opts<{ height?: number }>().height,
    });
    ctx.output.result(response, (c) => emptyListMessage(response) ?? renderJson(response, c));
  });
  return examples;
}

async function runQuery(
  ctx: CliContext,
  what: string,
  method: ResolvedMethod,
  layout: Layout,
  request: Record<string, unknown>,
  options: { height?: number },
) {
  let data: Uint8Array;
  try {
    data = fromJson(layout.typeName, request);
  } catch (e) {
    if (e instanceof JsonParseError) {
      throw new DecloudError(`Invalid request for ${what}: ${e.message}.`, {
        hint: `See \`decloud ${what} --help\`.`,
      });
    }
    throw e;
  }
  const client = await ctx.connect();
  const r = await nodeRequest(client, () =>
    client.comet.abciQuery({
      path: method.path,
      data,
      ...(options.height === undefined ? {} : { height: options.height }),
    }),
  );
  if (r.code !== undefined && r.code !== 0) {
    const e = abciErrorToQueryError({ code: r.code, log: r.log ?? "", codespace: r.codespace ?? "" });
    const hint = hintFor(e.code, what, method.path, ctx.node);
    throw new DecloudError(e.message, hint === undefined ? {} : { hint });
  }
  return toJson(method.responseType, r.value);
}

function hintFor(code: GrpcCode, what: string, path: string, node: string): string | undefined {
  switch (code) {
    case GrpcCode.NotFound:
      return "Check the identifiers: the list queries (e.g. `decloud query market orders --owner KEY`) show what exists.";
    case GrpcCode.InvalidArgument:
      return `See \`decloud ${what} --help\`.`;
    case GrpcCode.Unimplemented:
      return `The node at ${node} does not serve ${path}: is it a DeCloud (or Akash) node?`;
    default:
      return undefined;
  }
}
