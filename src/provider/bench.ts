// Provider figures for `npm run bench` (issue: provider performance): how fast the bid engine answers an
// order, how long from a manifest to the service answering HTTP (local image), and requests per second
// through the ingress against straight to the container (the proxy's overhead as a ratio), and the same
// against a fast Node upstream, where the proxy's own cost shows. A fake chain stands in for the chain, so
// the figures are the provider's own; a bid's inclusion adds one block.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "./cluster/docker/busybox-image.js";
import { testDocker } from "./cluster/docker/testing/engine.js";
import { benchIngressFastUpstream, load } from "./ingress/bench.js";
import { startDevnetProvider } from "./testing/devnet-provider.js";
import { eventually, newTenant, startTestProvider } from "./testing/harness.js";
import { buildSdl, webSdl } from "./testing/sdl.js";

type Figures = Record<string, string>;

const ms = (t: number) => `${t.toFixed(1)} ms`;

/** On a devnet: blocks and time from an order's block to the block with this provider's bid. */
async function bidOnChain(figures: Figures): Promise<void> {
  const net = await startDevnetProvider({ blockTimeMs: 200 });
  try {
    const blocks: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
      const dseq = String(5000 + i);
      const created = await net.tenant.createDeployment(dseq, sdl);
      for (;;) {
        const bid = (await net.chain.providerBids("open")).find((b) => b.id.dseq === dseq);
        if (bid) {
          blocks.push(bid.createdAt - created.height);
          // Block times, not wall clocks here: cosmjs reports inclusion only at its next poll.
          const time = async (h: number) => Date.parse((await net.tenant.client.getBlock(h)).header.time);
          times.push((await time(bid.createdAt)) - (await time(created.height)));
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    blocks.sort((a, b) => a - b);
    times.sort((a, b) => a - b);
    figures["provider: order's block → bid's block, devnet at 200 ms blocks (median of 10)"] =
      `${blocks[5]} block(s), max ${blocks[9]}`;
    figures["provider: order's block time → bid's block time (median of 10)"] = ms(times[5]!);
  } finally {
    await net.stop();
  }
}

export async function benchProvider(): Promise<Figures> {
  // The ingress against a fast upstream needs no Docker; the rest does.
  const figures: Figures = await benchIngressFastUpstream();
  try {
    await ensureBusyboxImage(await testDocker());
  } catch (e) {
    console.log(`provider bench skipped: ${(e as Error).message}`);
    return { ...figures, "provider: skipped": "no Docker Engine" };
  }
  await bidOnChain(figures);
  const p = await startTestProvider();
  try {
    const alice = await newTenant(p.chain);
    p.chain.providers.set(p.chain.address, {
      owner: p.chain.address,
      hostUri: "",
      attributes: [{ key: "region", value: "local" }],
    });

    // Bid: from the order's event to the bid sent, over 20 orders.
    const bidTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
      const [order] = p.chain.addDeployment(
        { owner: alice.address, dseq: String(1000 + i) },
        sdl.version,
        sdl.groupSpecs,
      );
      const decided = new Promise<void>((resolve) => {
        const off = p.provider.bids.onDecision(() => {
          off();
          resolve();
        });
      });
      const t0 = performance.now();
      p.chain.emit({ type: "OrderCreated", id: order! });
      await decided;
      bidTimes.push(performance.now() - t0);
    }
    bidTimes.sort((a, b) => a - b);
    if (p.chain.sent.filter((m) => m.type === "MsgCreateBid").length !== 20)
      throw new Error("not every order got a bid");
    figures["provider: order event → bid handed to the chain client, fake chain (median of 20)"] = ms(
      bidTimes[10]!,
    );

    // Manifest → serving: PUT accepted to the first 200 through the ingress.
    const sdl = await buildSdl(webSdl({ image: BUSYBOX_IMAGE }));
    const [order] = p.chain.addDeployment({ owner: alice.address, dseq: "1" }, sdl.version, sdl.groupSpecs);
    const lease = p.chain.createLease(order!);
    p.chain.emit({ type: "LeaseCreated", id: lease.id, price: lease.price });
    const t0 = performance.now();
    await p.leases.submitManifest({ owner: alice.address, dseq: "1" }, sdl.json);
    const host = (await p.leases.leaseStatus(lease.id)).services.web!.uris![0]!.replace(/:\d+$/, "");
    await eventually(
      () =>
        new Promise<true | undefined>((resolve) => {
          const req = http.get(
            { host: "127.0.0.1", port: p.ingress.port, path: "/", headers: { host } },
            (res) => {
              res.resume();
              resolve(res.statusCode === 200 ? true : undefined);
            },
          );
          req.on("error", () => resolve(undefined));
        }),
      "serving",
      30_000,
    );
    figures["provider: manifest → serving HTTP (local image)"] = ms(performance.now() - t0);

    // Ingress overhead: the same load through the ingress and straight to the container's published port
    // (BusyBox httpd, whose own cost hides most of the proxy's; the fast upstream above shows it).
    const direct = (await p.cluster.status(lease.id, sdl.groups[0])).ports[0]!.hostPort;
    await load({ port: direct, host, seconds: 1, concurrency: 16 });
    await load({ port: p.ingress.port, host, seconds: 1, concurrency: 16 });
    const rpsDirect = await load({ port: direct, host, seconds: 3, concurrency: 32 });
    const rpsIngress = await load({ port: p.ingress.port, host, seconds: 3, concurrency: 32 });
    figures["provider: requests/s straight to BusyBox httpd in the container (32 clients)"] =
      rpsDirect.toFixed(0);
    figures["provider: requests/s through the ingress to BusyBox httpd (32 clients)"] = rpsIngress.toFixed(0);
    figures["provider: ingress / direct throughput, BusyBox httpd"] = (rpsIngress / rpsDirect).toFixed(2);
  } finally {
    for (const l of await p.cluster.leases()) await p.cluster.teardown(l);
    await p.stop();
  }
  return figures;
}
