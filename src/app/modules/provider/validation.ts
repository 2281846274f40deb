// Stateless checks of a provider record, run by MsgCreateProvider/MsgUpdateProvider and by genesis import
// (reference: akash-chain.md §5.1 ValidateBasic; chain-sdk go/node/provider msgs.go).
import type { Attribute } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { Info } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { Errors } from "../../errors.js";
import { requireAddress } from "../chain-sdk.js";
import { validateAttributes } from "./attributes.js";
import { ProviderErrors } from "./errors.js";

export interface ProviderFields {
  owner: string;
  hostUri: string;
  attributes: Attribute[];
  info?: Info | undefined;
}

// Characters Go's url.Parse refuses anywhere in a URL (control characters), plus whitespace, which it
// refuses in a host.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;

/**
 * The provider's gateway address: an absolute `https` URL with a host and nothing after it, e.g.
 * `https://provider.example.com:8443`. Mirrors Akash's validateProviderURI, which is built on Go's url.Parse:
 * no scheme ⇒ "not absolute" (code 2) unless the first path segment holds a colon, which Go cannot parse
 * (`127.0.0.1:80`); any other scheme, no host, or a path ⇒ "invalid" (code 1).
 */
export function validateHostUri(uri: string): void {
  const invalid = (why: string) =>
    ProviderErrors.invalidProviderUri(`invalid provider host uri ${JSON.stringify(uri)}: ${why}`);
  if (CONTROL_OR_SPACE.test(uri)) throw invalid("it contains whitespace or control characters");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  if (!scheme) {
    if (uri.startsWith(":")) throw invalid("missing protocol scheme");
    if ((uri.split(/[/?#]/, 1)[0] ?? "").includes(":"))
      throw invalid("first path segment in URL cannot contain colon");
    throw ProviderErrors.notAbsProviderUri(
      `provider host uri ${JSON.stringify(uri)} is not absolute: it needs the https:// scheme`,
    );
  }
  if (scheme[1]!.toLowerCase() !== "https") throw invalid(`the scheme must be https, not ${scheme[1]}`);
  const rest = uri.slice(scheme[0].length);
  if (!rest.startsWith("//")) throw invalid("no host");
  const authorityAndPath = rest.slice(2).split(/[?#]/, 1)[0]!;
  const slash = authorityAndPath.indexOf("/");
  const authority = slash < 0 ? authorityAndPath : authorityAndPath.slice(0, slash);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  if (host === "" || host.startsWith(":")) throw invalid("no host");
  if (slash >= 0) throw invalid(`the path must be empty, not ${authorityAndPath.slice(slash)}`);
  // Host characters and port digits: the WHATWG parser is as strict as Go's parseHost here.
  if (!URL.canParse(uri)) throw invalid("malformed host or port");
}

/** Akash only asks that the website parse as a URL; Go's parser accepts bare host names too. */
export function validateWebsite(website: string): void {
  if (website === "") return;
  const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(website);
  const ok = !CONTROL_OR_SPACE.test(website) && URL.canParse(hasScheme ? website : `https://${website}`);
  if (!ok) {
    throw ProviderErrors.invalidInfoWebsite(`provider website ${JSON.stringify(website)} is not a valid URL`);
  }
}

/** All of ValidateBasic for MsgCreateProvider / MsgUpdateProvider, in Akash's order. */
export function validateProvider(p: ProviderFields): void {
  validateHostUri(p.hostUri);
  // Akash wraps the SDK's ErrInvalidAddress here (codespace sdk, code 7), not the provider's own code 5.
  requireAddress(p.owner, "provider owner", Errors.invalidAddress);
  validateAttributes(p.attributes);
  validateWebsite(p.info?.website ?? "");
}
