// akash.audit.v1.Query (reference: akash-chain.md §5.2, §8). All four answer QueryProvidersResponse.
// Where Akash differs: ProviderAttributes pages (Akash returns every record and no pagination), and
// AuditorAttributes lists the given auditor's records (Akash lists every auditor's).
import {
  AuditedProvider,
  QueryAllProvidersAttributesRequest,
  QueryAuditorAttributesRequest,
  QueryProviderAttributesRequest,
  QueryProviderAuditorRequest,
  QueryProvidersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { notFound } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { prefixEnd } from "../../pagination.js";
import { parseAddressArg } from "../auth/queries.js";
import { paginateSdk } from "../chain-sdk.js";
import {
  AUDIT_STORE,
  type AuditKeeper,
  auditorIndexPrefix,
  providerRecordsPrefix,
  RECORD_PREFIX,
  recordKeyOfIndexKey,
} from "./keeper.js";

const decodeRecord = (_key: Uint8Array, value: Uint8Array) => AuditedProvider.decode(value);

export function auditQueries(keeper: AuditKeeper) {
  return [
    defineQuery({
      path: "/akash.audit.v1.Query/AllProvidersAttributes",
      request: QueryAllProvidersAttributesRequest,
      response: QueryProvidersResponse,
      handle(ctx, req) {
        const { items, pagination } = paginateSdk(
          ctx.kv(AUDIT_STORE),
          Uint8Array.of(RECORD_PREFIX),
          req.pagination,
          decodeRecord,
        );
        return { providers: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.audit.v1.Query/ProviderAttributes",
      request: QueryProviderAttributesRequest,
      response: QueryProvidersResponse,
      handle(ctx, req) {
        parseAddressArg(req.owner);
        const store = ctx.kv(AUDIT_STORE);
        const prefix = providerRecordsPrefix(req.owner);
        if (store.iterator(prefix, prefixEnd(prefix)).next().done) {
          throw notFound(`no auditor has signed attributes of provider ${req.owner}`);
        }
        const { items, pagination } = paginateSdk(store, prefix, req.pagination, decodeRecord);
        return { providers: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.audit.v1.Query/ProviderAuditorAttributes",
      request: QueryProviderAuditorRequest,
      response: QueryProvidersResponse,
      handle(ctx, req) {
        parseAddressArg(req.owner);
        parseAddressArg(req.auditor);
        const record = keeper.getProviderAuditorAttributes(ctx, req.owner, req.auditor);
        if (!record) {
          throw notFound(`auditor ${req.auditor} has signed no attributes of provider ${req.owner}`);
        }
        return { providers: [record], pagination: undefined };
      },
    }),
    defineQuery({
      path: "/akash.audit.v1.Query/AuditorAttributes",
      request: QueryAuditorAttributesRequest,
      response: QueryProvidersResponse,
      handle(ctx, req) {
        parseAddressArg(req.auditor);
        const store = ctx.kv(AUDIT_STORE);
        const { items, pagination } = paginateSdk(
          store,
          auditorIndexPrefix(req.auditor),
          req.pagination,
          (key) => AuditedProvider.decode(store.get(recordKeyOfIndexKey(key))!),
        );
        return { providers: items, pagination };
      },
    }),
  ];
}
