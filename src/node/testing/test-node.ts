// Starts a solo node in a temporary home on free ports, for tests. Any AbciApplication can be driven: the
// KvApp of this folder today, the real DeCloud app (with StargateClient on top) tomorrow.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { AbciApplication } from "../../app/abci.js";
import { initNodeHome } from "../init.js";
import { Node, type NodeOptions } from "../node.js";

export interface TestNode {
  node: Node;
  home: string;
  rpcUrl: string;
  /** Stops the node (idempotent); removes the home unless `keepHome`. */
  stop(opts?: { keepHome?: boolean }): Promise<void>;
}

export interface TestNodeOptions extends Partial<Omit<NodeOptions, "home">> {
  app: AbciApplication;
  home?: string;
  chainId?: string;
  appState?: unknown;
}

export function makeTempHome(prefix = "decloud-node-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestNode(opts: TestNodeOptions): Promise<TestNode> {
  const { app, home: givenHome, chainId, appState, ...nodeOpts } = opts;
  const home = givenHome ?? makeTempHome();
  initNodeHome(home, { chainId: chainId ?? "test-chain-1", appState: appState ?? {} });
  const node = new Node(
    {
      logger: pino({ level: process.env.DECLOUD_TEST_LOG ?? "silent" }),
      blockTimeMs: 0,
      ...nodeOpts,
      home,
      rpc: { port: 0, ...nodeOpts.rpc },
    },
    { app },
  );
  await node.start();
  return {
    node,
    home,
    rpcUrl: node.rpcUrl!,
    async stop({ keepHome = false } = {}) {
      await node.stop();
      if (!keepHome && !givenHome) rmSync(home, { recursive: true, force: true });
    },
  };
}
