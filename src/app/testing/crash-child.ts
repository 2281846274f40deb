// A chain that commits blocks of signed sends forever, logging each block's app hash before it commits and
// the height after. The crash test kills it with SIGKILL at random moments.
// Usage: node crash-child.js <data dir> <log file>
import { appendFileSync, closeSync, fsyncSync, openSync } from "node:fs";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { TEST_CHAIN_ID, TestChain } from "./harness.js";
import { makeSenders, signSend } from "./native-signer.js";

const [dir, log] = process.argv.slice(2) as [string, string];
export const CRASH_SENDERS = 20;
const senders = makeSenders(CRASH_SENDERS, "decloud-crash");

function record(line: string): void {
  appendFileSync(log, `${line}\n`);
  const fd = openSync(log, "r");
  fsyncSync(fd);
  closeSync(fd);
}

const chain = await TestChain.open(dir);
// resume every sender's sequence from the committed state
for (const s of senders) {
  const res = await chain.query(
    "/cosmos.auth.v1beta1.Query/Account",
    QueryAccountRequest.encode({ address: s.address }).finish(),
  );
  if (res.code === 0)
    s.sequence = BaseAccount.decode(QueryAccountResponse.decode(res.value).account!.value).sequence;
}
process.send?.("ready");
for (;;) {
  const txs = senders.map((s, i) => signSend(s, senders[(i + 1) % senders.length]!.address, TEST_CHAIN_ID));
  await chain.block(txs, (height, appHash) =>
    record(`finalize ${height} ${Buffer.from(appHash).toString("hex")}`),
  );
  record(`commit ${chain.height}`);
}
