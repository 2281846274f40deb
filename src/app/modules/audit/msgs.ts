// akash.audit.v1.Msg: an auditor signs or withdraws provider attributes (reference: akash-chain.md §5.2, §9).
import {
  MsgDeleteProviderAttributes,
  MsgDeleteProviderAttributesResponse,
  MsgSignProviderAttributes,
  MsgSignProviderAttributesResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { Errors } from "../../errors.js";
import { defineMsg } from "../../module.js";
import { msgResponse, requireAddress } from "../chain-sdk.js";
import { validateAttributes } from "../provider/attributes.js";
import { AuditErrors } from "./errors.js";
import type { AuditKeeper } from "./keeper.js";

function checkParties(msg: { owner: string; auditor: string }): void {
  // Akash's ValidateBasic skips these checks (commented out); a malformed address only fails later.
  requireAddress(msg.owner, "provider", AuditErrors.invalidAddress);
  requireAddress(msg.auditor, "auditor", AuditErrors.invalidAddress);
}

export function auditMsgs(keeper: AuditKeeper) {
  return [
    defineMsg({
      typeUrl: `/${MsgSignProviderAttributes.$type}`,
      codec: MsgSignProviderAttributes,
      signers: (msg) => [msg.auditor],
      validateBasic(msg) {
        checkParties(msg);
        // Akash signs whatever it is given; keys that no provider attribute can have, duplicates (which
        // would make the merge ambiguous) and empty lists are refused here instead.
        if (msg.attributes.length === 0) throw Errors.invalidRequest("no attributes to sign");
        validateAttributes(msg.attributes);
      },
      handle(ctx, msg) {
        keeper.signProviderAttributes(ctx, msg.owner, msg.auditor, msg.attributes);
        return msgResponse(MsgSignProviderAttributesResponse, {});
      },
    }),
    defineMsg({
      typeUrl: `/${MsgDeleteProviderAttributes.$type}`,
      codec: MsgDeleteProviderAttributes,
      signers: (msg) => [msg.auditor],
      validateBasic: (msg) => checkParties(msg),
      handle(ctx, msg) {
        keeper.deleteProviderAttributes(ctx, msg.owner, msg.auditor, msg.keys);
        return msgResponse(MsgDeleteProviderAttributesResponse, {});
      },
    }),
  ];
}
