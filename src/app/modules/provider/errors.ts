// Errors of the provider module, codespace `provider` (reference: akash-chain.md §5.1; chain-sdk
// go/node/provider/v1beta4/errors.go). Codes are Akash's, so that clients matching on them keep working.
import { AppError } from "../../errors.js";

const provider = (code: number) => (message: string) => new AppError("provider", code, message);

export const ProviderErrors = {
  invalidProviderUri: provider(1),
  notAbsProviderUri: provider(2),
  providerNotFound: provider(3),
  providerExists: provider(4),
  invalidAddress: provider(5),
  attributes: provider(6),
  incompatibleAttributes: provider(7),
  invalidInfoWebsite: provider(8),
  // Code 10, not 9: chain-sdk pins it "for backwards compatibility" (errors.go, go/v0.2.2).
  internal: provider(10),
  // Akash's next release refuses to delete a provider with active leases with this code (chain-sdk main).
  providerHasActiveLeases: provider(24),
};
