// The Docker Engine the provider's tests use. Docker is required: a test that needs it fails loudly when no
// daemon answers (CI installs and starts one, .ci/run), unless DECLOUD_SKIP_DOCKER=1 asks to skip it.
import { randomBytes } from "node:crypto";
import Docker from "dockerode";

export const SKIP_DOCKER = process.env.DECLOUD_SKIP_DOCKER === "1";
export const SKIP_REASON = "DECLOUD_SKIP_DOCKER=1: Docker-dependent test skipped";

/** Chain ids of test runs start with this: objects of killed runs can be told apart and swept. */
const TEST_CHAIN_PREFIX = "test-";

/** A client for the local engine (stale objects of killed test runs swept); throws with what to do when it does not answer. */
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
  await sweepStaleTestObjects(docker);
  return docker;
}

/**
 * Removes what test runs that were killed (so never cleaned up) left behind: containers, networks and volumes
 * whose chain id is a test run's and that are older than any test. Nothing else is ever touched.
 */
async function sweepStaleTestObjects(docker: Docker, olderThanMs = 30 * 60_000): Promise<void> {
  const label = "network.decloud.chain-id";
  const stale = (labels: Record<string, string> | undefined, created: number) =>
    labels?.[label]?.startsWith(TEST_CHAIN_PREFIX) === true && Date.now() - created > olderThanMs;
  try {
    for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) {
      if (stale(c.Labels, c.Created * 1000)) await docker.getContainer(c.Id).remove({ force: true });
    }
    for (const n of await docker.listNetworks({ filters: { label: [label] } })) {
      if (stale(n.Labels, Date.parse(n.Created))) await docker.getNetwork(n.Id).remove();
    }
    for (const v of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []) {
      const created = Date.parse((v as unknown as { CreatedAt?: string }).CreatedAt ?? "");
      if (stale(v.Labels, Number.isNaN(created) ? 0 : created)) await docker.getVolume(v.Name).remove();
    }
  } catch {
    // Another run may be sweeping the same objects; what is left is swept next time.
  }
}

/** A chain id no other test run uses, so that each run's containers are its own. */
export function uniqueChainId(name: string): string {
  return `${TEST_CHAIN_PREFIX}${name}-${randomBytes(4).toString("hex")}`;
}
