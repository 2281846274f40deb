// Host ports for published container ports. The provider picks them itself (rather than letting Docker pick
// at each start) so that a port stays the same when a container restarts, when the Docker daemon restarts,
// and when a replica is replaced by a manifest update: tenants' forwarded ports do not move under them.
import { createServer } from "node:net";

export class PortAllocator {
  /** Ports handed out recently, which may not be bound yet: never hand them out twice. */
  private readonly recent = new Set<string>();

  async allocate(hostIp: string, proto: "TCP" | "UDP"): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await freeTcpPort(hostIp);
      const key = `${hostIp}:${port}/${proto}`;
      if (this.recent.has(key)) continue;
      this.recent.add(key);
      // Bound by then; a short memory keeps the set small.
      setTimeout(() => this.recent.delete(key), 60_000).unref();
      return port;
    }
    throw new Error(`no free port on ${hostIp}`);
  }
}

/** A port the kernel says is free on `host` (UDP ports are taken from the same range and rarely collide). */
function freeTcpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
