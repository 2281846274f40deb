// Whether a provider may bid on an order (reference: akash-chain.md §3.3 rule 6, §3.4): its offer covers
// the order's resource units, its attributes (its own, or those auditors signed) meet the placement
// requirements, and its declared capabilities carry the storage classes and GPUs the order asks for.
// Each check returns why it failed, in words a provider operator reads, or undefined when it passes.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Attribute, ResourceOffer } from "./types.js";

/**
 * Go's `path.Match`: `*` matches any run of characters but `/`, `?` one character but `/`, `[...]` a class
 * (`[^...]` negated, `a-z` ranges), `\` escapes. A malformed pattern matches nothing.
 */
export function globMatch(pattern: string, name: string): boolean {
  return matchFrom(pattern, 0, name, 0);
}

function matchFrom(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === "*") {
      while (p[pi] === "*") pi++;
      for (let k = si; k <= s.length; k++) {
        if (matchFrom(p, pi, s, k)) return true;
        if (k < s.length && s[k] === "/") return false;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === "?") {
      if (s[si] === "/") return false;
    } else if (c === "[") {
      const end = classEnd(p, pi);
      if (end < 0 || !inClass(p.slice(pi + 1, end), s[si]!)) return false;
      pi = end;
    } else if (c === "\\") {
      pi++;
      if (pi >= p.length || p[pi] !== s[si]) return false;
    } else if (c !== s[si]) {
      return false;
    }
    pi++;
    si++;
  }
  return si === s.length;
}

/** The index of the `]` closing the class opened at `start`, or −1 if the class is malformed. */
function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === "^") i++;
  if (p[i] === "]") return -1;
  for (; i < p.length; i++) {
    if (p[i] === "\\") i++;
    else if (p[i] === "]") return i;
  }
  return -1;
}

function inClass(body: string, ch: string): boolean {
  const negated = body.startsWith("^");
  let matched = false;
  const chars = [...(negated ? body.slice(1) : body)];
  for (let i = 0; i < chars.length; i++) {
    let lo = chars[i]!;
    if (lo === "\\") lo = chars[++i]!;
    let hi = lo;
    if (chars[i + 1] === "-" && i + 2 < chars.length) {
      hi = chars[i + 2] === "\\" ? chars[i + 3]! : chars[i + 2]!;
      i += chars[i + 2] === "\\" ? 3 : 2;
    }
    if (lo <= ch && ch <= hi) matched = true;
  }
  return matched !== negated;
}

/** A requirement is met by an attribute whose key its key matches as a glob and whose value is equal. */
export function attributeMatches(requirement: Attribute, have: Attribute): boolean {
  return requirement.value === have.value && globMatch(requirement.key, have.key);
}

/** The first requirement no attribute meets, or undefined when all are met (Attributes.SubsetOf). */
export function unmet(requirements: readonly Attribute[], have: readonly Attribute[]): Attribute | undefined {
  return requirements.find((r) => !have.some((a) => attributeMatches(r, a)));
}

export interface AuditedAttributes {
  auditor: string;
  attributes: Attribute[];
}

/**
 * GroupSpec.MatchRequirements. With `signed_by`, only attributes auditors signed count (the provider's own
 * are not consulted): every `all_of` auditor and at least one `any_of` auditor must have signed attributes
 * that meet the requirements. Without it, the provider's own attributes must meet them.
 */
export function placementMismatch(
  spec: GroupSpec,
  own: readonly Attribute[],
  audited: readonly AuditedAttributes[],
): string | undefined {
  const requirements = spec.requirements?.attributes ?? [];
  const allOf = spec.requirements?.signedBy?.allOf ?? [];
  const anyOf = spec.requirements?.signedBy?.anyOf ?? [];
  const describe = (a: Attribute) => `${a.key}=${a.value}`;
  if (allOf.length === 0 && anyOf.length === 0) {
    const missing = unmet(requirements, own);
    return missing && `the provider has no attribute ${describe(missing)} that group "${spec.name}" requires`;
  }
  const signedBy = (auditor: string) =>
    audited.some((a) => a.auditor === auditor && unmet(requirements, a.attributes) === undefined);
  const wanted = requirements.length === 0 ? "attributes" : requirements.map(describe).join(", ");
  if (audited.length === 0)
    return `group "${spec.name}" requires ${wanted} signed by auditors, and none signed any`;
  const missing = allOf.find((auditor) => !signedBy(auditor));
  if (missing) return `group "${spec.name}" requires ${wanted} signed by ${missing}, who has not signed them`;
  if (anyOf.length > 0 && !anyOf.some(signedBy)) {
    return `group "${spec.name}" requires ${wanted} signed by one of ${anyOf.join(", ")}; none has signed them`;
  }
  return undefined;
}

/** `capabilities/<kind>/...` attributes with that prefix removed. */
function capabilities(own: readonly Attribute[], kind: string): Attribute[] {
  const prefix = `capabilities/${kind}/`;
  return own
    .filter((a) => a.key.startsWith(prefix))
    .map((a) => ({ key: a.key.slice(prefix.length), value: a.value }));
}

/**
 * GroupSpec.MatchResourcesRequirements: every storage volume with attributes (class, persistent) is served
 * by one of the provider's storage classes (`capabilities/storage/<n>/<key>`), and every unit with GPUs
 * and GPU attributes by at least one of the provider's GPUs (`capabilities/gpu/vendor/<v>/model/<m>...`).
 */
export function capabilityMismatch(spec: GroupSpec, own: readonly Attribute[]): string | undefined {
  const classes = new Map<string, Attribute[]>();
  for (const a of capabilities(own, "storage")) {
    const slash = a.key.indexOf("/");
    if (slash <= 0) continue;
    const group = a.key.slice(0, slash);
    classes.set(group, [...(classes.get(group) ?? []), { key: a.key.slice(slash + 1), value: a.value }]);
  }
  const gpus = capabilities(own, "gpu");
  for (const unit of spec.resources) {
    for (const volume of unit.resource?.storage ?? []) {
      if (volume.attributes.length === 0) continue;
      if (![...classes.values()].some((c) => unmet(volume.attributes, c) === undefined)) {
        const wanted = volume.attributes.map((a) => `${a.key}=${a.value}`).join(", ");
        return `the provider offers no storage with ${wanted} (volume "${volume.name}" of group "${spec.name}")`;
      }
    }
    const gpu = unit.resource?.gpu;
    const units = new TextDecoder().decode(gpu?.units?.val ?? new Uint8Array());
    if (gpu && units !== "" && units !== "0" && gpu.attributes.length > 0) {
      if (!gpu.attributes.some((r) => gpus.some((a) => attributeMatches(r, a)))) {
        return `the provider offers none of the GPUs group "${spec.name}" asks for (${gpu.attributes.map((a) => a.key).join(", ")})`;
      }
    }
  }
  return undefined;
}

/**
 * A bid's resource offer (reference §3.3 rule 6): empty, or each entry names a resource unit of the order
 * once, with the same count. Partial coverage is allowed.
 */
export function offerMismatch(spec: GroupSpec, offers: readonly ResourceOffer[]): string | undefined {
  const seen = new Set<number>();
  for (const offer of offers) {
    const id = offer.resources?.id ?? 0;
    if (seen.has(id)) return `the resource offer lists resource ${id} twice`;
    seen.add(id);
    const unit = spec.resources.find((u) => u.resource?.id === id);
    if (!unit) return `the resource offer names resource ${id}, which the order does not have`;
    if (unit.count !== offer.count) {
      return `the resource offer has ${offer.count} of resource ${id}; the order asks for ${unit.count}`;
    }
  }
  return undefined;
}
