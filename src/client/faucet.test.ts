import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { after, before, test } from "node:test";
import { getDevAccounts } from "../params/devnet.js";
import { FaucetError, InvalidAddressError, NodeUnreachableError } from "./errors.js";
import { requestFaucet, restUrlFromNode } from "./faucet.js";

test("the REST URL sits beside the RPC URL on port 1317 unless --rest says otherwise", () => {
  assert.equal(restUrlFromNode("http://127.0.0.1:26657"), "http://127.0.0.1:1317");
  assert.equal(restUrlFromNode("https://rpc.example.com/"), "https://rpc.example.com:1317");
  assert.equal(restUrlFromNode("http://10.0.0.5:26657", "1417"), "http://10.0.0.5:1417");
  assert.equal(
    restUrlFromNode("http://10.0.0.5:26657", "http://faucet.local:8000/"),
    "http://faucet.local:8000",
  );
});

// A stand-in for the devnet's faucet route: records requests, answers as the contract says.
let server: Server;
let restUrl: string;
const requests: unknown[] = [];

async function body(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

before(async () => {
  server = createServer(async (req, res) => {
    const parsed = JSON.parse(await body(req)) as { address: string; amount?: string };
    requests.push({ method: req.method, url: req.url, type: req.headers["content-type"], body: parsed });
    res.setHeader("content-type", "application/json");
    if (parsed.amount === "too much") {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: "the faucet gives at most 1000akt" }));
      return;
    }
    res.end(
      JSON.stringify({
        address: parsed.address,
        amount: [{ denom: "uakt", amount: "5000000" }],
        hash: "AB".repeat(32),
        height: 7,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  restUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("requestFaucet posts {address, amount} and returns the faucet's answer", async () => {
  const [alice] = await getDevAccounts();
  const answer = await requestFaucet({ restUrl, address: alice!.address, amount: "5akt" });
  assert.deepEqual(answer.amount, [{ denom: "uakt", amount: "5000000" }]);
  assert.equal(answer.height, 7);
  assert.deepEqual(requests.at(-1), {
    method: "POST",
    url: "/faucet",
    type: "application/json",
    body: { address: alice!.address, amount: "5akt" },
  });
  await requestFaucet({ restUrl, address: alice!.address });
  assert.deepEqual((requests.at(-1) as { body: unknown }).body, { address: alice!.address });
});

test("requestFaucet reports refusals, bad addresses and absent faucets", async () => {
  const [alice] = await getDevAccounts();
  await assert.rejects(
    requestFaucet({ restUrl, address: alice!.address, amount: "too much" }),
    (e: unknown) => {
      assert.ok(e instanceof FaucetError);
      assert.match(e.message, /at most 1000akt/);
      return true;
    },
  );
  await assert.rejects(requestFaucet({ restUrl, address: "akash1nope" }), InvalidAddressError);
  await assert.rejects(
    requestFaucet({ restUrl: "http://127.0.0.1:9", address: alice!.address }),
    NodeUnreachableError,
  );
});
