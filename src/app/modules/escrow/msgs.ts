// akash.escrow.v1.Msg: MsgAccountDeposit tops up any deployment or bid account; anyone may sign it
// (reference: akash-chain.md §4.3). The signer is the depositor and gets back what is not spent.
import { MsgAccountDeposit, MsgAccountDepositResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { defineMsg } from "../../module.js";
import { checkAddress, msgResponse } from "../chain-sdk.js";
import { validateDeposit } from "./deposit.js";
import { validateAccountId } from "./ids.js";
import type { EscrowKeeper } from "./keeper.js";

export function escrowMsgs(escrow: EscrowKeeper) {
  return [
    defineMsg({
      typeUrl: "/akash.escrow.v1.MsgAccountDeposit",
      codec: MsgAccountDeposit,
      signers: (msg) => [msg.signer],
      validateBasic(msg) {
        checkAddress(msg.signer, "signer");
        validateAccountId(msg.id);
        validateDeposit(msg.deposit, "account deposit");
      },
      handle(ctx, msg) {
        const deposit = validateDeposit(msg.deposit, "account deposit");
        const depositors = escrow.authorizeDeposits(ctx, msg.signer, deposit);
        escrow.accountDeposit(ctx, validateAccountId(msg.id), depositors);
        return msgResponse(MsgAccountDepositResponse);
      },
    }),
  ];
}
