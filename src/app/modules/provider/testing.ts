// Test helpers for the Akash modules: run a module's message the way the baseapp does (ValidateBasic, then
// the handler on a branch that is written only if it succeeds) and its queries through their codecs.
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { toBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { AppError, QueryError } from "../../errors.js";
import type { AppModule, MsgDefinition, MsgResponse, QueryDefinition } from "../../module.js";

/** A deterministic account address made of one repeated byte. */
export const testAddress = (byte: number) => toBech32Address(new Uint8Array(20).fill(byte));

/** Completes a partial message with the codec's defaults, when the codec can (chain-sdk's can). */
function complete(codec: unknown, message: unknown): unknown {
  const fromPartial = (codec as { fromPartial?: (m: unknown) => unknown }).fromPartial;
  return fromPartial ? fromPartial(message) : message;
}

function msgDef(module: AppModule, typeUrl: string): MsgDefinition<unknown> {
  const def = module.msgs.find((m) => m.typeUrl === typeUrl);
  if (!def) throw new Error(`${module.name} handles no ${typeUrl}`);
  return def as MsgDefinition<unknown>;
}

/** Delivers a message that must succeed; returns its response and events, with the branch written. */
export function deliver(
  ctx: Context,
  module: AppModule,
  typeUrl: string,
  msg: unknown,
): { response: MsgResponse; events: Event[] } {
  const def = msgDef(module, typeUrl);
  // Round-trip through the codec, as a message from a transaction would arrive.
  const decoded = def.codec.decode(def.codec.encode(complete(def.codec, msg) as never).finish());
  def.validateBasic?.(decoded as never);
  const { ctx: branch, cache } = ctx.branch();
  const response = def.handle(branch, decoded as never);
  cache.write();
  return { response, events: branch.events.events() };
}

/**
 * Delivers a message that must fail; returns the error and the branch the handler ran on (never written),
 * so a test can check the handler wrote nothing before it failed. `stage` says where it failed.
 */
export function reject(
  ctx: Context,
  module: AppModule,
  typeUrl: string,
  msg: unknown,
): { error: AppError; stage: "validateBasic" | "handle"; branch: Context } {
  const def = msgDef(module, typeUrl);
  const decoded = def.codec.decode(def.codec.encode(complete(def.codec, msg) as never).finish());
  const { ctx: branch } = ctx.branch();
  let stage: "validateBasic" | "handle" = "validateBasic";
  try {
    def.validateBasic?.(decoded as never);
    stage = "handle";
    def.handle(branch, decoded as never);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { error: e, stage, branch };
  }
  throw new Error(`${typeUrl} was expected to fail but succeeded`);
}

/** Runs a query through its request and response codecs; a QueryError comes back as its ABCI AppError. */
export function query<Res>(ctx: Context, module: AppModule, path: string, request: unknown): Res {
  const def = module.queries.find((q) => q.path === path) as QueryDefinition<unknown, unknown> | undefined;
  if (!def) throw new Error(`${module.name} serves no ${path}`);
  try {
    const res = def.handle(
      ctx,
      def.request.decode(def.request.encode(complete(def.request, request)).finish()),
    );
    return def.response.decode(def.response.encode(res).finish()) as Res;
  } catch (e) {
    if (e instanceof QueryError) throw e.toAppError();
    throw e;
  }
}

/** An event's attributes as a plain object. */
export const attributesOf = (event: Event) =>
  Object.fromEntries(event.attributes.map((a) => [a.key, a.value]));
