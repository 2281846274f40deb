// `decloud dev --json` run in-process until a simulated Ctrl-C, for tests and the bench: free ports, the
// given home, and the JSON document it prints once ready.
import { type Ran, runCli } from "./cli.js";

export interface DevInfo {
  readonly rpc: string;
  readonly rest: string;
  readonly provider?: {
    readonly address: string;
    readonly gateway?: string;
    readonly ingress?: string;
    readonly off?: string;
    readonly hint?: string;
  };
  readonly accounts: readonly { readonly name: string }[];
}

export interface RunningDev {
  readonly info: DevInfo;
  /** Ctrl-C, as the terminal sends it; resolves with how the command ended. */
  stop(): Promise<Ran>;
}

export async function startDev(
  home: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<RunningDev> {
  let ready!: (info: DevInfo) => void;
  const printed = new Promise<DevInfo>((resolve) => {
    ready = resolve;
  });
  const ports = [
    "--rpc-port",
    "0",
    "--rest-port",
    "0",
    "--grpc-port",
    "0",
    "--gateway-port",
    "0",
    "--ingress-port",
    "0",
  ];
  const running = runCli(["--home", home, "--json", "dev", ...ports, ...args], {
    env,
    onStdout: (out) => {
      try {
        ready(JSON.parse(out) as DevInfo);
      } catch {
        // Not the whole document yet.
      }
    },
  });
  const info = await Promise.race([
    printed,
    running.then((r: Ran): never => {
      throw new Error(`decloud dev exited (${r.code}): ${r.stderr}`);
    }),
  ]);
  return {
    info,
    stop: async () => {
      process.emit("SIGINT" as never);
      return running;
    },
  };
}
