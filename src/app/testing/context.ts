// A Context over a real multistore in a temp directory, for keeper-level unit tests of a module.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCommitMultiStore } from "../../store/index.js";
import type { CommitMultiStore } from "../../store/types.js";
import { Context, type ExecMode } from "../context.js";
import { infiniteGasMeter } from "../gas.js";

export interface TestContext {
  ctx: Context;
  cms: CommitMultiStore;
  /** A context at another height/time; every context writes straight to the working state. */
  at(height: bigint, timeNs?: bigint, mode?: ExecMode): Context;
  close(): Promise<void>;
}

export async function testContext(storeNames: string[], chainId = "decloud-test"): Promise<TestContext> {
  const dir = mkdtempSync(join(tmpdir(), "decloud-ctx-"));
  const cms = await openCommitMultiStore({ dir, storeNames });
  const at = (height: bigint, timeNs = height * 6_000_000_000n, mode: ExecMode = "finalize") =>
    new Context({ chainId, height, timeNs }, mode, cms, infiniteGasMeter());
  return {
    ctx: at(1n),
    cms,
    at,
    async close() {
      await cms.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
