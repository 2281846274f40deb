// cosmos.bank.v1beta1.Msg: MsgSend and MsgMultiSend with the SDK's checks and errors.
import {
  MsgMultiSend,
  MsgMultiSendResponse,
  MsgSend,
  MsgSendResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { fromBech32Address } from "../../../crypto/address.js";
import { type Amount, formatCoins, parseCoins, validateCoins } from "../../coins.js";
import { BankErrors, Errors } from "../../errors.js";
import { defineMsg } from "../../module.js";
import type { AccountKeeper } from "../auth/keeper.js";
import { checkAddress } from "../chain-sdk.js";
import { bankEvents } from "./events.js";
import type { BankKeeper } from "./keeper.js";

function sumCoins(lists: Amount[][]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const list of lists) for (const c of list) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + c.amount);
  return sums;
}

export function bankMsgs(bank: BankKeeper, accounts: AccountKeeper) {
  return [
    defineMsg({
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      codec: MsgSend,
      signers: (msg) => [msg.fromAddress],
      validateBasic(msg) {
        checkAddress(msg.fromAddress, "sender");
        checkAddress(msg.toAddress, "recipient");
        validateCoins(parseCoins(msg.amount), "amount");
      },
      handle(ctx, msg) {
        const coins = parseCoins(msg.amount);
        bank.assertSendEnabled(ctx, coins);
        if (bank.isBlocked(msg.toAddress)) {
          throw Errors.unauthorized(`${msg.toAddress} is not allowed to receive funds`);
        }
        bank.sendCoins(ctx, msg.fromAddress, msg.toAddress, coins);
        return {
          typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse",
          value: MsgSendResponse.encode({}).finish(),
        };
      },
    }),
    defineMsg({
      typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
      codec: MsgMultiSend,
      signers: (msg) => msg.inputs.slice(0, 1).map((i) => i.address),
      validateBasic(msg) {
        if (msg.inputs.length === 0) throw BankErrors.noInputs("no inputs to send transaction");
        if (msg.inputs.length > 1) throw BankErrors.multipleSenders("multiple senders not allowed");
        if (msg.outputs.length === 0) throw BankErrors.noOutputs("no outputs to send transaction");
        for (const i of msg.inputs) {
          checkAddress(i.address, "input");
          validateCoins(parseCoins(i.coins), "input coins");
        }
        for (const o of msg.outputs) {
          checkAddress(o.address, "output");
          validateCoins(parseCoins(o.coins), "output coins");
        }
        const ins = sumCoins(msg.inputs.map((i) => parseCoins(i.coins)));
        const outs = sumCoins(msg.outputs.map((o) => parseCoins(o.coins)));
        const same = ins.size === outs.size && [...ins].every(([d, a]) => outs.get(d) === a);
        if (!same) throw BankErrors.inputOutputMismatch("sum inputs != sum outputs");
      },
      handle(ctx, msg) {
        const input = msg.inputs[0]!;
        const inCoins = parseCoins(input.coins);
        bank.assertSendEnabled(ctx, inCoins);
        for (const o of msg.outputs) {
          if (bank.isBlocked(o.address))
            throw Errors.unauthorized(`${o.address} is not allowed to receive funds`);
        }
        bank.subtractCoins(ctx, fromBech32Address(input.address), input.address, inCoins);
        bankEvents.messageSender(ctx, input.address);
        for (const o of msg.outputs) {
          const outBytes = fromBech32Address(o.address);
          const coins = parseCoins(o.coins);
          bank.addCoins(ctx, outBytes, o.address, coins);
          bankEvents.transfer(ctx, o.address, undefined, formatCoins(coins));
          if (!accounts.hasAccount(ctx, outBytes))
            accounts.setAccount(ctx, accounts.newAccount(ctx, outBytes));
        }
        return {
          typeUrl: "/cosmos.bank.v1beta1.MsgMultiSendResponse",
          value: MsgMultiSendResponse.encode({}).finish(),
        };
      },
    }),
  ];
}
