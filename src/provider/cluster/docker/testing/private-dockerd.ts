// A Docker Engine of the test's own, so that a test can restart it without disturbing anyone else's
// containers: its own data root, exec root, socket and containerd namespace, no default bridge and no
// iptables rules (published ports go through docker-proxy, which is all loopback publishing needs).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";

export class PrivateDockerd {
  private process: ChildProcess | undefined;
  readonly socketPath: string;
  readonly docker: Docker;

  private constructor(readonly dir: string) {
    this.socketPath = join(dir, "docker.sock");
    this.docker = new Docker({ socketPath: this.socketPath });
  }

  static async start(): Promise<PrivateDockerd> {
    const d = new PrivateDockerd(mkdtempSync(join(tmpdir(), "decloud-dockerd-")));
    await d.up();
    return d;
  }

  private async up(): Promise<void> {
    const name = this.dir.split("/").pop()!;
    this.process = spawn(
      "dockerd",
      [
        `--data-root=${join(this.dir, "data")}`,
        `--exec-root=${join(this.dir, "exec")}`,
        `--pidfile=${join(this.dir, "dockerd.pid")}`,
        `--host=unix://${this.socketPath}`,
        "--bridge=none",
        "--iptables=false",
        "--ip-masq=false",
        `--containerd-namespace=${name}`,
        `--containerd-plugins-namespace=${name}-plugins`,
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.docker.ping();
        return;
      } catch {
        if (Date.now() > deadline || this.process.exitCode !== null)
          throw new Error("private dockerd did not start");
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Stops the daemon as a service manager would (SIGTERM, it stops its containers) and waits for it. */
  async down(): Promise<void> {
    const p = this.process;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once("exit", () => resolve()));
    p.kill("SIGTERM");
    await exited;
  }

  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  /** Removes every container, then the daemon and its files. */
  async destroy(): Promise<void> {
    try {
      for (const c of await this.docker.listContainers({ all: true })) {
        await this.docker.getContainer(c.Id).remove({ force: true });
      }
    } catch {
      // Already down.
    }
    await this.down();
    // dockerd bind-mounts its data root onto itself; a failed unmount only leaves a temp dir behind.
    spawn("umount", [join(this.dir, "data")], { stdio: "ignore" }).on("exit", () => {
      rmSync(this.dir, { recursive: true, force: true });
    });
  }
}
