// Certificate queries (akash.cert.v1.Query): the certificates an account published, valid or revoked. Tenants
// authenticate to providers with them (mTLS), and tenants check a provider's TLS certificate against them.
import {
  QueryCertificatesRequest,
  QueryCertificatesResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { assertAddress } from "../../address.js";
import type { PublicClient } from "../../connect.js";
import { queryAllPages } from "../../query.js";

export interface ChainCertificate {
  readonly owner: string;
  /** Decimal serial number. */
  readonly serial: string;
  readonly state: "valid" | "revoked";
  /** PEM. */
  readonly cert: string;
}

export interface ListCertificatesParameters {
  readonly owner: string;
  readonly state?: "valid" | "revoked";
}

export async function listCertificates(
  client: PublicClient,
  params: ListCertificatesParameters,
): Promise<ChainCertificate[]> {
  assertAddress(params.owner);
  const pages = await queryAllPages(
    client,
    "/akash.cert.v1.Query/Certificates",
    QueryCertificatesRequest,
    QueryCertificatesResponse,
    { filter: { owner: params.owner, serial: "", state: params.state ?? "" } },
  );
  return pages.flatMap((p) =>
    p.certificates.map((c) => ({
      owner: params.owner,
      serial: c.serial,
      state: c.certificate?.state === 1 ? ("valid" as const) : ("revoked" as const),
      cert: Buffer.from(c.certificate?.cert ?? new Uint8Array()).toString("utf8"),
    })),
  );
}
