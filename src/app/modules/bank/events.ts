// Bank events exactly as the Cosmos SDK emits them (x/bank/keeper/send.go; reference: cometbft-cosmos.md
// §3.10), so `transfer.recipient='…'` and `message.sender='…'` searches work as on any Cosmos chain.
import type { Context } from "../../context.js";

export const bankEvents = {
  coinSpent: (ctx: Context, spender: string, amount: string) =>
    ctx.events.emit("coin_spent", { spender, amount }),
  coinReceived: (ctx: Context, receiver: string, amount: string) =>
    ctx.events.emit("coin_received", { receiver, amount }),
  transfer: (ctx: Context, recipient: string, sender: string | undefined, amount: string) =>
    ctx.events.emit("transfer", sender === undefined ? { recipient, amount } : { recipient, sender, amount }),
  messageSender: (ctx: Context, sender: string) => ctx.events.emit("message", { sender }),
};
