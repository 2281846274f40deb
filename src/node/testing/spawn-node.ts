// Runs child-node in a separate process (compiled .js under dist/, or .ts through the tsx loader the test
// runner was started with) and waits until it serves RPC.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface SpawnedNode {
  child: ChildProcess;
  rpcUrl: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export async function spawnNode(home: string, blockTimeMs = 0): Promise<SpawnedNode> {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const script = fileURLToPath(new URL(`./child-node${ext}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, home, String(blockTimeMs)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`child node did not start: ${stderr}`)), 20_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child node exited (${code}): ${stderr}`));
    });
  });
  return { child, rpcUrl, exited };
}
