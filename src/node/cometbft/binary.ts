// Finding the `cometbft` binary: $DECLOUD_COMETBFT, else the project's tools/bin (where
// scripts/install-cometbft.sh puts it with `go install`), else the PATH. Only a 0.38.x release speaks the ABCI
// 2.0 this node serves (reference: cometbft-cosmos.md §1.5).
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The project root (this file is src/node/cometbft/binary.ts, or its build under dist/). */
export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const TOOLS_BIN = join(PROJECT_ROOT, "tools", "bin");
export const INSTALL_SCRIPT = join(PROJECT_ROOT, "scripts", "install-cometbft.sh");

export interface CometbftBinary {
  path: string;
  version: string;
}

function versionOf(path: string): string | undefined {
  try {
    return execFileSync(path, ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

function candidates(): string[] {
  const out: string[] = [];
  if (process.env.DECLOUD_COMETBFT) out.push(process.env.DECLOUD_COMETBFT);
  out.push(join(TOOLS_BIN, "cometbft"));
  for (const dir of (process.env.PATH ?? "").split(delimiter)) if (dir) out.push(join(dir, "cometbft"));
  return out;
}

/** The first cometbft 0.38.x found, or undefined. */
export function findCometbft(): CometbftBinary | undefined {
  for (const path of candidates()) {
    if (!existsSync(path)) continue;
    const version = versionOf(path);
    if (version?.startsWith("0.38.")) return { path, version };
  }
  return undefined;
}

/** Like findCometbft, with an error that says how to install it. */
export function requireCometbft(): CometbftBinary {
  const found = findCometbft();
  if (found) return found;
  throw new Error(
    "cometbft 0.38.x not found (looked at $DECLOUD_COMETBFT, tools/bin and the PATH): " +
      "install it with scripts/install-cometbft.sh (needs the Go toolchain)",
  );
}

/**
 * Finds cometbft, installing it with scripts/install-cometbft.sh when it is missing and the Go toolchain is
 * there; undefined when neither works (with the reason), which tests report as a skip.
 */
export async function ensureCometbft(): Promise<CometbftBinary | { missing: string }> {
  const found = findCometbft();
  if (found) return found;
  if (!existsSync(INSTALL_SCRIPT))
    return { missing: "cometbft is not installed and the install script is absent" };
  try {
    await promisify(execFile)("bash", [INSTALL_SCRIPT], { timeout: 15 * 60_000 });
  } catch (e) {
    return { missing: `cometbft is not installed and could not be installed: ${(e as Error).message}` };
  }
  return findCometbft() ?? { missing: "cometbft was installed but does not run" };
}
