// A solo node with a persisted KV app in its own process, for kill tests:
//   node child-node.js <home> [blockTimeMs]
// It prints "READY <rpcUrl>" once serving, and stops cleanly on SIGTERM/SIGINT.
import { join } from "node:path";
import { pino } from "pino";
import { initNodeHome } from "../init.js";
import { Node, stopOnSignals } from "../node.js";
import { KvApp } from "./kv-app.js";

const [home, blockTime] = process.argv.slice(2);
if (!home) {
  console.error("usage: child-node <home> [blockTimeMs]");
  process.exit(2);
}
initNodeHome(home, { chainId: "kill-test-1", appState: {} });
const node = new Node(
  { home, blockTimeMs: Number(blockTime ?? 0), rpc: { port: 0 }, logger: pino({ level: "silent" }) },
  { app: new KvApp({ persistPath: join(home, "data", "kv-app.json") }) },
);
stopOnSignals(node);
await node.start();
process.stdout.write(`READY ${node.rpcUrl}\n`);
