// An SDL file turned into what the chain and the provider need — groups, manifest, manifest version — by
// `@akashnetwork/chain-sdk`, the same code the provider validates with, so DeCloud's tools always agree
// (DESIGN.md, "client and CLI"). Problems are reported at their line and field (sdl-positions.ts).
import { readFile } from "node:fs/promises";
import { generateManifest, generateManifestVersion, manifestToSortedJSON } from "@akashnetwork/chain-sdk";
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Group as ManifestGroup } from "@akashnetwork/chain-sdk/private-types/provider.akash.v2beta3";
import { DecloudError } from "./errors.js";
import type { DecCoin } from "./modules/escrow/types.js";
import { trimDecimal } from "./modules/escrow/types.js";
import {
  locateSchemaError,
  parseYaml,
  type SchemaError,
  type SdlIssue,
  syntaxIssues,
} from "./sdl-positions.js";

export type { SdlIssue };

export class SdlError extends DecloudError {
  override name = "SdlError";
  constructor(
    /** The file, or `<sdl>` for text. */
    readonly file: string,
    readonly issues: readonly SdlIssue[],
  ) {
    const where = (i: SdlIssue) => `${file}${i.line > 0 ? `:${i.line}` : ""}`;
    const what = (i: SdlIssue) => `${i.field ? `${i.field}: ` : ""}${i.message}`;
    const [first, ...rest] = issues;
    super(`${where(first!)}  ${what(first!)}`, {
      details: rest.length > 0 ? rest.map((i) => `${where(i)}  ${what(i)}`).join("\n  ") : undefined,
      hint: "Fix the SDL and run the command again; nothing was sent. The SDL reference: https://akash.network/docs/network-features/stack-definition-language/",
    });
  }
}

export interface Sdl {
  readonly file: string;
  /** The groups the deployment asks for, one per placement (`MsgCreateDeployment.groups`). */
  readonly groupSpecs: readonly GroupSpec[];
  /** The manifest (every group), sent to each provider. */
  readonly manifest: readonly ManifestGroup[];
  /** The manifest as the provider gateway takes it: sorted JSON. */
  readonly manifestJson: string;
  /** SHA-256 of the canonical manifest: the deployment's `hash` on chain. */
  readonly version: Uint8Array;
  readonly services: readonly string[];
  /** The most the deployment agrees to pay per block, per denom (each unit's price × its count). */
  readonly maxPricePerBlock: readonly DecCoin[];
}

/** Reads and builds an SDL; throws SdlError pointing at the problem. */
export async function readSdl(path: string): Promise<Sdl> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new DecloudError(
      `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      {
        hint: "Pass the path of an SDL file, e.g. examples/web/deploy.yaml.",
      },
    );
  }
  return buildSdl(text, path);
}

export async function buildSdl(text: string, file = "<sdl>"): Promise<Sdl> {
  const parsed = parseYaml(text);
  const syntax = syntaxIssues(parsed);
  if (syntax.length > 0) throw new SdlError(file, syntax);
  const input = parsed.doc.toJS() as unknown;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new SdlError(file, [
      {
        line: 1,
        column: 1,
        field: "",
        message: "an SDL is a YAML map (version, services, profiles, deployment)",
      },
    ]);
  }
  let result: ReturnType<typeof generateManifest>;
  try {
    result = generateManifest(input as never);
  } catch (e) {
    // chain-sdk throws for a few checks it makes while building (its SdlValidationError).
    throw new SdlError(file, [{ line: 0, column: 0, field: "", message: (e as Error).message }]);
  }
  if (!result.ok) {
    const issues = (result.value as SchemaError[]).map((e) => locateSchemaError(parsed, e));
    issues.sort((a, b) => (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER));
    throw new SdlError(file, issues);
  }
  const { groups, groupSpecs } = result.value;
  return {
    file,
    groupSpecs,
    manifest: groups,
    manifestJson: manifestToSortedJSON(groups),
    version: await generateManifestVersion(groups),
    services: groups.flatMap((g) => g.services.map((s) => s.name)),
    maxPricePerBlock: maxPrice(groupSpecs),
  };
}

/** Σ price × count over every resource unit of every group, per denom (exact decimals). */
export function maxPrice(specs: readonly GroupSpec[]): DecCoin[] {
  const SCALE = 10n ** 18n;
  const sums = new Map<string, bigint>();
  for (const spec of specs) {
    for (const unit of spec.resources) {
      if (!unit.price) continue;
      const [whole, frac = ""] = unit.price.amount.split(".");
      const amount = BigInt(whole || "0") * SCALE + BigInt(frac.padEnd(18, "0").slice(0, 18) || "0");
      sums.set(unit.price.denom, (sums.get(unit.price.denom) ?? 0n) + amount * BigInt(unit.count));
    }
  }
  return [...sums].map(([denom, v]) => ({
    denom,
    amount: trimDecimal(`${v / SCALE}.${(v % SCALE).toString().padStart(18, "0")}`),
  }));
}
