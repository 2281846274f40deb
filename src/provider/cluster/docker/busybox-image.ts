// The BusyBox image that `decloud dev`'s examples, the benchmarks and the tests run: built locally from
// Debian's `busybox-static` (no registry is reachable in CI), as a root filesystem with /bin/busybox and a
// symlink per applet, imported with `docker import`. `httpd -f -p 80` serves HTTP, `nc` serves TCP, `sh` runs
// scripts.
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";

export const BUSYBOX_IMAGE = "decloud-test/busybox:latest";

/** Bumped when the image's contents change, so that an older local image is rebuilt. */
const IMAGE_REVISION = "2";
const REVISION_LABEL = "network.decloud.test-image-revision";

const BUSYBOX_PATHS = ["/usr/bin/busybox", "/bin/busybox"];

/** Builds the image unless an image of the current revision is already there. Returns its name. */
export async function ensureBusyboxImage(docker: Docker, name = BUSYBOX_IMAGE): Promise<string> {
  try {
    const info = await docker.getImage(name).inspect();
    if (info.Config?.Labels?.[REVISION_LABEL] === IMAGE_REVISION) return name;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
  const busybox = BUSYBOX_PATHS.find((p) => existsSync(p));
  if (!busybox) {
    throw new Error(
      "busybox is not installed: `apt-get install busybox-static` (Debian) provides /bin/busybox",
    );
  }
  const root = mkdtempSync(join(tmpdir(), "decloud-busybox-"));
  try {
    for (const dir of ["bin", "etc", "tmp", "www", "root", "proc", "sys", "dev"]) mkdirSync(join(root, dir));
    copyFileSync(busybox, join(root, "bin", "busybox"));
    chmodSync(join(root, "bin", "busybox"), 0o755);
    for (const applet of await applets(busybox)) {
      if (applet !== "busybox") symlinkSync("busybox", join(root, "bin", applet));
    }
    writeFileSync(join(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    writeFileSync(join(root, "etc", "group"), "root:x:0:\n");
    writeFileSync(join(root, "www", "index.html"), "hello from decloud\n");
    const [repo, tag] = name.split(":");
    const tar = spawn("tar", ["-C", root, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
    const stream = await docker.importImage(
      tar.stdout as unknown as string,
      {
        repo,
        tag: tag ?? "latest",
        changes: [`ENV PATH=/bin`, `LABEL ${REVISION_LABEL}=${IMAGE_REVISION}`, `WORKDIR /`],
      } as unknown as object,
    );
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
        const failed = err ?? out.find((o) => o.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(failed.error));
        else resolve();
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return name;
}

function applets(busybox: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(busybox, ["--list"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(out.split("\n").filter((l) => /^[\w.[-]+$/.test(l)))
        : reject(new Error("busybox --list failed")),
    );
  });
}
