// The devnet faucet: `POST /faucet` on the REST port. It sends from the genesis faucet account, signing like
// any client over the node's own RPC; it never mints. Requests are served one at a time so that the
// faucet's sequence numbers never collide.

import { stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { FastifyInstance } from "fastify";
import { isAddress } from "../client/address.js";
import { type Coin, formatCoins, parseAmounts } from "../client/amount.js";
import type { FaucetRequest, FaucetResponse } from "../client/faucet.js";
import { connectWithSigner, sendTokens } from "../client/index.js";
import { BOND_DENOM, USDC_DENOM } from "../params/chain.js";
import { DEV_MNEMONIC, devHdPath, FAUCET_ACCOUNT_INDEX } from "../params/devnet.js";

/** What one request gets when it names no amount: enough to deploy a few apps. */
export const DEFAULT_FAUCET_AMOUNT = "1000akt,1000usdc";
/** The most one request may ask for, per denom (in micro units). */
const MAX_PER_REQUEST: Record<string, bigint> = {
  [BOND_DENOM]: 100_000_000_000n,
  [USDC_DENOM]: 100_000_000_000n,
};

export class Faucet {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly rpcUrl: () => string | undefined) {}

  /** Sends `amount` (default DEFAULT_FAUCET_AMOUNT) to `address`; serialized with other requests. */
  fund(address: string, amount = DEFAULT_FAUCET_AMOUNT): Promise<FaucetResponse> {
    const run = this.queue.then(() => this.send(address, amount));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(address: string, amount: string): Promise<FaucetResponse> {
    const coins: Coin[] = parseAmounts(amount);
    for (const c of coins) {
      const max = MAX_PER_REQUEST[c.denom];
      if (max === undefined)
        throw new FaucetRequestError(`the faucet has no ${c.denom}; it gives uakt and USDC`);
      if (BigInt(c.amount) > max) {
        throw new FaucetRequestError(
          `${formatCoins([c])} is more than the faucet gives at once (${formatCoins([{ denom: c.denom, amount: max.toString() }])})`,
        );
      }
    }
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, {
      prefix: "akash",
      hdPaths: [stringToPath(devHdPath(FAUCET_ACCOUNT_INDEX))],
    });
    const [faucet] = await wallet.getAccounts();
    const client = await connectWithSigner(this.rpcUrl()!, wallet);
    try {
      const result = await sendTokens(client, { from: faucet!.address, to: address, amount: coins });
      return { address, amount: coins, hash: result.hash, height: result.height };
    } finally {
      client.disconnect();
    }
  }
}

export class FaucetRequestError extends Error {}

export function registerFaucetRoute(app: FastifyInstance, faucet: Faucet): void {
  app.post("/faucet", async (request, reply) => {
    const body = (request.body ?? {}) as Partial<FaucetRequest>;
    if (typeof body.address !== "string" || !isAddress(body.address)) {
      return reply
        .code(400)
        .send({ error: `"address" must be an akash1… address, got ${JSON.stringify(body.address)}` });
    }
    try {
      return await faucet.fund(body.address, body.amount);
    } catch (e) {
      const status =
        e instanceof FaucetRequestError || (e as Error).name === "InvalidAmountError" ? 400 : 500;
      return reply.code(status).send({ error: (e as Error).message });
    }
  });
}
