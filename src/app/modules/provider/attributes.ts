// Attribute-key validation shared by everything that stores attributes (provider records, audited
// attributes). Its errors live in Akash's generic codespace `akash` (reference: akash-chain.md §1.6; chain-sdk
// go/node/types/attributes/v1/attribute.go).
import type { Attribute } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { AppError } from "../../errors.js";

/** Keys of attributes a provider has (or an auditor vouches for): no wildcards. */
export const ATTRIBUTE_KEY = /^([a-zA-Z][\w/.-]{1,126})$/;
/** Keys of attributes a placement requires: may end in `*` to match a family of provider keys. */
export const ATTRIBUTE_KEY_WILDCARD = /^([a-zA-Z][\w/.-]{1,126}[\w*]?)$/;

export const AttributeErrors = {
  duplicateKeys: (m: string) => new AppError("akash", 1, m),
  invalidKey: (m: string) => new AppError("akash", 2, m),
};

/** Every key matches `pattern` and occurs once; throws the first problem found, as Akash's ValidateWithRegex. */
export function validateAttributes(attributes: readonly Attribute[], pattern = ATTRIBUTE_KEY): void {
  const seen = new Set<string>();
  for (const { key } of attributes) {
    if (!pattern.test(key)) {
      throw AttributeErrors.invalidKey(
        `attribute key ${JSON.stringify(key)} does not match regexp ${pattern.source}`,
      );
    }
    if (seen.has(key)) {
      throw AttributeErrors.duplicateKeys(`attribute key ${JSON.stringify(key)} appears more than once`);
    }
    seen.add(key);
  }
}
