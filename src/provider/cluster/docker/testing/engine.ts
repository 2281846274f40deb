// The Docker Engine the provider's tests use. Docker is required: a test that needs it fails loudly when no
// daemon answers (CI installs and starts one, .ci/run), unless DECLOUD_SKIP_DOCKER=1 asks to skip it.
import { randomBytes } from "node:crypto";
import Docker from "dockerode";

export const SKIP_DOCKER = process.env.DECLOUD_SKIP_DOCKER === "1";
export const SKIP_REASON = "DECLOUD_SKIP_DOCKER=1: Docker-dependent test skipped";

/** A client for the local engine; throws with what to do when it does not answer. */
export async function testDocker(
  socketPath = process.env.DOCKER_HOST?.replace(/^unix:\/\//, "") ?? "/var/run/docker.sock",
): Promise<Docker> {
  const docker = new Docker({ socketPath });
  try {
    await docker.ping();
  } catch (e) {
    throw new Error(
      `Docker Engine does not answer on ${socketPath} (${(e as Error).message}). The provider's tests run real ` +
        "containers: start dockerd (apt-get install docker.io), or set DECLOUD_SKIP_DOCKER=1 to skip them.",
    );
  }
  return docker;
}

/** A chain id no other test run uses, so that each run's containers are its own. */
export function uniqueChainId(name: string): string {
  return `${name}-${randomBytes(4).toString("hex")}`;
}
