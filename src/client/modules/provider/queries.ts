// Provider queries (akash.provider.v1beta4.Query) and what auditors signed about them (akash.audit.v1.Query):
// where a provider's gateway is, which attributes it claims, and which of them someone vouches for.
import {
  QueryProvidersResponse as AuditedProvidersResponse,
  QueryAllProvidersAttributesRequest,
  QueryProviderAttributesRequest,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  QueryProviderRequest,
  QueryProviderResponse,
  QueryProvidersRequest,
  QueryProvidersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { assertAddress } from "../../address.js";
import type { PublicClient } from "../../connect.js";
import { DecloudError } from "../../errors.js";
import { queryAbciOptional, queryAllPages } from "../../query.js";

export interface Attribute {
  readonly key: string;
  readonly value: string;
}

export interface ProviderInfo {
  readonly owner: string;
  /** The gateway's URL, e.g. `https://provider.example.com:8443`. */
  readonly hostUri: string;
  readonly attributes: readonly Attribute[];
  readonly email: string;
  readonly website: string;
}

export interface AuditRecord {
  readonly owner: string;
  readonly auditor: string;
  readonly attributes: readonly Attribute[];
}

function providerInfo(p: NonNullable<QueryProviderResponse["provider"]>): ProviderInfo {
  return {
    owner: p.owner,
    hostUri: p.hostUri,
    attributes: p.attributes.map((a) => ({ key: a.key, value: a.value })),
    email: p.info?.email ?? "",
    website: p.info?.website ?? "",
  };
}

export async function getProvider(
  client: PublicClient,
  params: { readonly owner: string },
): Promise<ProviderInfo> {
  assertAddress(params.owner);
  const r = await queryAbciOptional(
    client,
    "/akash.provider.v1beta4.Query/Provider",
    QueryProviderRequest,
    QueryProviderResponse,
    { owner: params.owner },
  );
  if (!r?.provider) {
    throw new DecloudError(`${params.owner} is not a registered provider.`, {
      hint: "Providers register with `decloud provider register`.",
    });
  }
  return providerInfo(r.provider);
}

/** Every registered provider. */
export async function listProviders(client: PublicClient): Promise<ProviderInfo[]> {
  const pages = await queryAllPages(
    client,
    "/akash.provider.v1beta4.Query/Providers",
    QueryProvidersRequest,
    QueryProvidersResponse,
    {},
  );
  return pages.flatMap((p) => p.providers.map(providerInfo));
}

const audit = (p: AuditedProvidersResponse["providers"][number]): AuditRecord => ({
  owner: p.owner,
  auditor: p.auditor,
  attributes: p.attributes.map((a) => ({ key: a.key, value: a.value })),
});

/** What auditors signed about one provider. */
export async function getProviderAudits(
  client: PublicClient,
  params: { readonly owner: string },
): Promise<AuditRecord[]> {
  assertAddress(params.owner);
  const r = await queryAbciOptional(
    client,
    "/akash.audit.v1.Query/ProviderAttributes",
    QueryProviderAttributesRequest,
    AuditedProvidersResponse,
    { owner: params.owner },
  );
  return (r?.providers ?? []).map(audit);
}

/** Every audit record on chain. */
export async function listAudits(client: PublicClient): Promise<AuditRecord[]> {
  const pages = await queryAllPages(
    client,
    "/akash.audit.v1.Query/AllProvidersAttributes",
    QueryAllProvidersAttributesRequest,
    AuditedProvidersResponse,
    {},
  );
  return pages.flatMap((p) => p.providers.map(audit));
}
