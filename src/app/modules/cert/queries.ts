// akash.cert.v1.Query/Certificates with its filter (owner, serial, state) and pagination (reference:
// akash-chain.md §5.3, §8; Akash x/cert/keeper/grpc_query.go). Owner and serial together name one
// certificate (no pagination in the answer); an owner alone pages through their certificates; otherwise every
// certificate is paged. A state filter ("valid", "revoked"; "" or "invalid" for any) and, unlike Akash, a
// serial without an owner narrow the pages.
import {
  Cert_State,
  Certificate,
  CertificateFilter,
  type CertificateResponse,
  QueryCertificatesRequest,
  QueryCertificatesResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { invalidArgument } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { parseAddressArg } from "../auth/queries.js";
import { paginateSdk } from "../chain-sdk.js";
import { CERT_PREFIX, CERT_STORE, type CertKeeper, ownerPrefix, parseCertificateKey } from "./keeper.js";
import { parseSerial } from "./serial.js";

const STATES: Record<string, Cert_State | undefined> = {
  "": undefined,
  invalid: undefined,
  valid: Cert_State.valid,
  revoked: Cert_State.revoked,
};

function parseFilter(filter: CertificateFilter) {
  if (!Object.hasOwn(STATES, filter.state))
    throw invalidArgument(`invalid state value ${JSON.stringify(filter.state)}`);
  const serial = filter.serial === "" ? undefined : parseSerial(filter.serial);
  if (filter.serial !== "" && serial === undefined) {
    throw invalidArgument(`invalid serial number ${JSON.stringify(filter.serial)}`);
  }
  return {
    state: STATES[filter.state],
    owner: filter.owner === "" ? undefined : parseAddressArg(filter.owner),
    serial,
  };
}

export function certQueries(keeper: CertKeeper) {
  return [
    defineQuery({
      path: "/akash.cert.v1.Query/Certificates",
      request: QueryCertificatesRequest,
      response: QueryCertificatesResponse,
      handle(ctx, req) {
        const filter = parseFilter(req.filter ?? CertificateFilter.fromPartial({}));
        const wanted = (state: Cert_State) => filter.state === undefined || state === filter.state;
        if (filter.owner && filter.serial !== undefined) {
          const certificate = keeper.get(ctx, req.filter!.owner, filter.serial);
          const certificates: CertificateResponse[] =
            certificate && wanted(certificate.state)
              ? [{ certificate, serial: filter.serial.toString() }]
              : [];
          return { certificates, pagination: undefined };
        }
        const { items, pagination } = paginateSdk(
          ctx.kv(CERT_STORE),
          filter.owner ? ownerPrefix(filter.owner) : Uint8Array.of(CERT_PREFIX),
          req.pagination,
          (key, value): CertificateResponse | undefined => {
            const { serial } = parseCertificateKey(key);
            if (filter.serial !== undefined && serial !== filter.serial) return undefined;
            const certificate = Certificate.decode(value);
            return wanted(certificate.state) ? { certificate, serial: serial.toString() } : undefined;
          },
        );
        return { certificates: items, pagination };
      },
    }),
  ];
}
