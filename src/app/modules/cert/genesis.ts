// cert genesis: `{"certificates": [{"owner", "certificate": {"state", "cert", "pubkey"}}, ...]}` in
// proto-JSON, the shape of Akash's akash.cert.v1.GenesisState (reference: akash-chain.md §10). Imported
// certificates are validated as Akash's ValidateGenesis does: a known state and a certificate that passes
// the same checks as MsgCreateCertificate.
import {
  Cert_GenesisState,
  Cert_State,
  type Certificate,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { toJson } from "../../../codec/json.js";
import { fromJson } from "../../../codec/json-parse.js";
import type { Context } from "../../context.js";
import { requireAddress } from "../chain-sdk.js";
import { CertErrors } from "./errors.js";
import type { CertKeeper } from "./keeper.js";
import { parseAndValidateCertificate } from "./x509.js";

export function initCertGenesis(keeper: CertKeeper, ctx: Context, state: unknown): void {
  if (state === undefined) return;
  const genesis = Cert_GenesisState.decode(fromJson(Cert_GenesisState.$type, state));
  const seen = new Set<string>();
  const valid: { owner: string; serial: bigint; certificate: Certificate }[] = [];
  for (const [i, { owner, certificate }] of genesis.certificates.entries()) {
    let serial: bigint;
    try {
      const ownerBytes = requireAddress(owner, "owner", CertErrors.invalidAddress);
      if (certificate?.state !== Cert_State.valid && certificate?.state !== Cert_State.revoked) {
        throw CertErrors.invalidState(
          `state must be valid or revoked, not ${Cert_State[certificate?.state ?? 0]}`,
        );
      }
      serial = parseAndValidateCertificate(ownerBytes, certificate.cert, certificate.pubkey);
    } catch (e) {
      throw new Error(`genesis certificate #${i} of ${owner}: ${(e as Error).message}`);
    }
    const id = `${owner}/${serial}`;
    if (seen.has(id)) throw new Error(`genesis lists certificate ${id} twice`);
    seen.add(id);
    valid.push({ owner, serial, certificate });
  }
  for (const { owner, serial, certificate } of valid) keeper.set(ctx, owner, serial, certificate);
}

export function exportCertGenesis(keeper: CertKeeper, ctx: Context): unknown {
  const certificates = [...keeper.all(ctx)].map(({ owner, certificate }) => ({ owner, certificate }));
  return toJson(Cert_GenesisState.$type, Cert_GenesisState.encode({ certificates }).finish());
}
