// Stateless checks of deployments and their groups: ids, the manifest hash, and every group's resources
// against hard limits (reference: akash-chain.md §2.3, §2.5). A group spec is also what an order carries,
// so its total price here is the most any bid may ask.
import type { Attribute } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { GroupSpec, ResourceValue } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { isValidAddress } from "../../../crypto/address.js";
import { type DecCoin, isValidDenom } from "../../coins.js";
import { decFromInt, decOf, formatDecCoin } from "../escrow/decimal.js";
import { AttributeErrors, DeploymentErrors } from "./errors.js";
import { toBigInt } from "./keys.js";

const MiB = 1n << 20n;
const TiB = 1n << 40n;

/** Per resource unit, and for a group's totals (Akash's validation config). */
export const LIMITS = {
  cpu: { min: 10n, max: 384_000n },
  gpu: { min: 0n, max: 24n },
  memory: { min: MiB, max: 2n * TiB },
  storage: { min: 5n * MiB, max: 32n * TiB },
  /** A group's totals may reach this many units' worth of the per-unit maximum. */
  replicas: 50n,
  unitPrice: decFromInt(10_000_000n),
  /**
   * Akash declares these but does not enforce them (§2.5, §12.9); DeCloud does, so that one message cannot
   * carry an unbounded number of groups or units.
   */
  groups: 20,
  unitsPerGroup: 20,
};

export const HASH_LENGTH = 32;

/** DeploymentID: a bech32 owner and a non-zero dseq. */
export function validateDeploymentId(id: { owner: string; dseq: { toString(): string } } | undefined): void {
  if (!id) throw DeploymentErrors.invalidDeploymentId("deployment id is missing");
  if (!isValidAddress(id.owner)) {
    throw DeploymentErrors.invalidDeploymentId(`deployment owner "${id.owner}" is not a valid address`);
  }
  if (toBigInt(id.dseq) === 0n) throw DeploymentErrors.invalidDeploymentId("deployment dseq must not be 0");
}

/** GroupID: a deployment id and a non-zero gseq. */
export function validateGroupId(
  id: { owner: string; dseq: { toString(): string }; gseq: number } | undefined,
): void {
  if (!id) throw DeploymentErrors.invalidGroupId("group id is missing");
  if (!isValidAddress(id.owner))
    throw DeploymentErrors.invalidGroupId(`group owner "${id.owner}" is not a valid address`);
  if (toBigInt(id.dseq) === 0n) throw DeploymentErrors.invalidGroupId("group dseq must not be 0");
  if (id.gseq === 0) throw DeploymentErrors.invalidGroupId("group gseq must not be 0");
}

/** The manifest hash (§2.6): exactly 32 bytes, SHA-256 of the manifest. */
export function validateHash(hash: Uint8Array): void {
  if (hash.length === 0) throw DeploymentErrors.emptyHash("the deployment hash is empty");
  if (hash.length !== HASH_LENGTH) {
    throw DeploymentErrors.invalidHash(
      `the deployment hash has ${hash.length} bytes; it must be the 32-byte SHA-256 of the manifest`,
    );
  }
}

const ATTRIBUTE_KEY = /^([a-zA-Z][\w/.-]{1,126}[\w*]?)$/;

/** Group and resource attributes: valid keys (a trailing `*` allowed), each key once. */
export function validateAttributes(attributes: readonly Attribute[], where: string): void {
  const seen = new Set<string>();
  for (const { key } of attributes) {
    if (!ATTRIBUTE_KEY.test(key))
      throw AttributeErrors.invalidKey(`${where}: invalid attribute key "${key}"`);
    if (seen.has(key)) throw AttributeErrors.duplicateKeys(`${where}: attribute key "${key}" appears twice`);
    seen.add(key);
  }
}

const DIGITS = /^[0-9]+$/;
const utf8 = new TextDecoder();

/** ResourceValue.val: the ASCII decimal digits of an integer (§1.2). */
export function resourceValue(value: ResourceValue | undefined): bigint {
  const text = utf8.decode(value?.val ?? new Uint8Array());
  if (text === "") return 0n;
  if (!DIGITS.test(text))
    throw DeploymentErrors.groupSpecInvalid(`resource value "${text}" is not an integer`);
  return BigInt(text);
}

function checkRange(value: bigint, range: { min: bigint; max: bigint }, what: string): void {
  if (value < range.min || value > range.max) {
    throw DeploymentErrors.groupSpecInvalid(`${what} ${value} is outside [${range.min}, ${range.max}]`);
  }
}

/** A DecCoin's amount, checked as sdk.DecCoin.Validate does: a valid denom and no negative amount. */
export function validDecCoin(coin: { denom: string; amount: string } | undefined, what: string): DecCoin {
  if (!coin) throw DeploymentErrors.invalidPrice(`${what} is missing`);
  if (!isValidDenom(coin.denom))
    throw DeploymentErrors.invalidPrice(`${what} has an invalid denom "${coin.denom}"`);
  const amount = decOf(coin.amount);
  if (amount < 0n) throw DeploymentErrors.invalidPrice(`${what} is negative`);
  return { denom: coin.denom, amount };
}

/**
 * GroupSpec.ValidateBasic (§2.5). Returns the group's price: Σ unit price × count, the most an order for it
 * pays per block.
 */
export function validateGroupSpec(spec: GroupSpec): DecCoin {
  const where = `group "${spec.name}"`;
  if (spec.name === "") throw DeploymentErrors.groupSpecInvalid("a group must have a name");
  validateAttributes(spec.requirements?.attributes ?? [], `${where} requirements`);
  for (const auditor of [
    ...(spec.requirements?.signedBy?.allOf ?? []),
    ...(spec.requirements?.signedBy?.anyOf ?? []),
  ]) {
    if (!isValidAddress(auditor)) {
      throw DeploymentErrors.groupSpecInvalid(
        `${where}: signed_by auditor "${auditor}" is not a valid address`,
      );
    }
  }
  if (spec.resources.length === 0) throw DeploymentErrors.groupSpecInvalid(`${where} has no resources`);
  if (spec.resources.length > LIMITS.unitsPerGroup) {
    throw DeploymentErrors.groupSpecInvalid(
      `${where} has ${spec.resources.length} resource units; at most ${LIMITS.unitsPerGroup} are allowed`,
    );
  }
  const ids = new Set<number>();
  const totals = { cpu: 0n, gpu: 0n, memory: 0n };
  let price: DecCoin | undefined;
  for (const unit of spec.resources) {
    const r = unit.resource;
    const id = r?.id ?? 0;
    const at = `${where} resource ${id}`;
    if (!r || id === 0)
      throw DeploymentErrors.groupSpecInvalid(`${where}: a resource unit needs a non-zero id`);
    if (ids.has(id)) throw DeploymentErrors.groupSpecInvalid(`${where}: resource id ${id} appears twice`);
    ids.add(id);
    if (unit.count === 0) throw DeploymentErrors.groupSpecInvalid(`${at}: count must be at least 1`);
    const count = BigInt(unit.count);

    if (!r.cpu) throw DeploymentErrors.groupSpecInvalid(`${at}: cpu is required`);
    const cpu = resourceValue(r.cpu.units);
    checkRange(cpu, LIMITS.cpu, `${at}: cpu units (milli-CPU)`);
    validateAttributes(r.cpu.attributes, `${at} cpu`);

    if (!r.gpu) throw DeploymentErrors.groupSpecInvalid(`${at}: gpu is required, with 0 units if none`);
    const gpu = resourceValue(r.gpu.units);
    checkRange(gpu, LIMITS.gpu, `${at}: gpu units`);
    if (gpu === 0n && r.gpu.attributes.length > 0) {
      throw DeploymentErrors.groupSpecInvalid(`${at}: gpu attributes given for 0 gpu units`);
    }
    validateAttributes(r.gpu.attributes, `${at} gpu`);

    if (!r.memory) throw DeploymentErrors.groupSpecInvalid(`${at}: memory is required`);
    const memory = resourceValue(r.memory.quantity);
    checkRange(memory, LIMITS.memory, `${at}: memory bytes`);
    validateAttributes(r.memory.attributes, `${at} memory`);

    if (r.storage.length === 0)
      throw DeploymentErrors.groupSpecInvalid(`${at}: at least one storage volume is required`);
    for (const volume of r.storage) {
      checkRange(resourceValue(volume.quantity), LIMITS.storage, `${at}: storage "${volume.name}" bytes`);
      validateAttributes(volume.attributes, `${at} storage "${volume.name}"`);
    }

    const unitPrice = validDecCoin(unit.price, `${at} price`);
    if (unitPrice.amount > LIMITS.unitPrice) {
      throw DeploymentErrors.invalidPrice(
        `${at}: price ${formatDecCoin(unitPrice)} is above 10000000 per unit`,
      );
    }
    if (price && price.denom !== unitPrice.denom) {
      throw DeploymentErrors.invalidPrice(
        `${where} mixes price denoms ${price.denom} and ${unitPrice.denom}`,
      );
    }
    price = { denom: unitPrice.denom, amount: (price?.amount ?? 0n) + unitPrice.amount * count };

    totals.cpu += cpu * count;
    totals.gpu += gpu * count;
    totals.memory += memory * count;
  }
  const total = (value: bigint, max: bigint, what: string, allowZero: boolean) => {
    if ((!allowZero && value === 0n) || value > max * LIMITS.replicas) {
      throw DeploymentErrors.groupSpecInvalid(
        `${where}: total ${what} ${value} is outside (${allowZero ? "0" : "0,"} ${max * LIMITS.replicas}]`,
      );
    }
  };
  total(totals.cpu, LIMITS.cpu.max, "cpu units", false);
  total(totals.gpu, LIMITS.gpu.max, "gpu units", true);
  total(totals.memory, LIMITS.memory.max, "memory bytes", false);
  if (price!.amount === 0n) {
    throw DeploymentErrors.invalidPrice(`${where} has a total price of 0: no bid could be at or below it`);
  }
  return price!;
}

/** ValidateDeploymentGroups: 1–20 groups with unique names, all priced in one denom; returns that denom. */
export function validateGroups(groups: readonly GroupSpec[]): string {
  if (groups.length === 0) throw DeploymentErrors.invalidGroups("a deployment needs at least one group");
  if (groups.length > LIMITS.groups) {
    throw DeploymentErrors.invalidGroups(
      `a deployment has at most ${LIMITS.groups} groups, got ${groups.length}`,
    );
  }
  const names = new Set<string>();
  let denom: string | undefined;
  for (const spec of groups) {
    const price = validateGroupSpec(spec);
    if (names.has(spec.name))
      throw DeploymentErrors.duplicateGroupName(`group name "${spec.name}" is used twice`);
    names.add(spec.name);
    if (denom !== undefined && price.denom !== denom) {
      throw DeploymentErrors.invalidGroups(
        `groups are priced in both ${denom} and ${price.denom}; use one denom`,
      );
    }
    denom = price.denom;
  }
  return denom!;
}

/** The price of a group spec already validated (an order's maximum price). */
export function groupPrice(spec: GroupSpec): DecCoin {
  let amount = 0n;
  for (const unit of spec.resources) amount += decOf(unit.price?.amount ?? "") * BigInt(unit.count);
  return { denom: spec.resources[0]?.price?.denom ?? "", amount };
}
