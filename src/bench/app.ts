// Signed bank sends through the app's full path — checkTx, finalizeBlock, commit — with real signatures and
// a real database on disk. The txs are signed before the clock starts (signing is the client's cost).
import { TEST_CHAIN_ID, TestChain } from "../app/testing/harness.js";
import { fundedGenesis, makeSenders, type NativeSender, signSend } from "../app/testing/native-signer.js";

function blocksOf(senders: NativeSender[], blockSize: number, blocks: number): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  let k = 0;
  for (let b = 0; b < blocks; b++) {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < blockSize; i++, k++)
      txs.push(
        signSend(senders[k % senders.length]!, senders[(k + 1) % senders.length]!.address, TEST_CHAIN_ID),
      );
    out.push(txs);
  }
  return out;
}

export async function benchApp(): Promise<Record<string, string>> {
  const senders = makeSenders(2000);
  const chain = await TestChain.start(fundedGenesis(senders));
  const figures: Record<string, string> = {};
  try {
    await chain.block();
    for (const [blockSize, blocks] of [
      [1000, 5],
      [10_000, 2],
    ] as const) {
      const prepared = blocksOf(senders, blockSize, blocks);
      let blockMs = 0;
      let commitMs = 0;
      let total = 0;
      const start = performance.now();
      for (const txs of prepared) {
        for (const tx of txs) {
          const res = await chain.checkTx(tx);
          if (res.code !== 0) throw new Error(`checkTx failed: ${res.log}`);
        }
        const t0 = performance.now();
        const block = await chain.block(txs);
        blockMs += performance.now() - t0;
        commitMs += block.commitMs;
        const failed = block.results.find((r) => r.code !== 0);
        if (failed) throw new Error(`tx failed in block: ${failed.log}`);
        total += txs.length;
      }
      const seconds = (performance.now() - start) / 1000;
      const perBlock = (ms: number) => (ms / prepared.length).toFixed(1);
      figures[`app: bank sends/s (checkTx+finalize+commit, ${blockSize}-tx blocks)`] = (
        total / seconds
      ).toFixed(0);
      figures[`app: finalizeBlock per ${blockSize}-tx block (ms)`] = perBlock(blockMs - commitMs);
      figures[`app: commit per ${blockSize}-tx block (ms)`] = perBlock(commitMs);
    }
    figures["app: resident memory (MiB)"] = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  } finally {
    await chain.close();
  }
  return figures;
}
