import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { certificateManager } from "@akashnetwork/chain-sdk";
import {
  Cert_State,
  MsgCreateCertificate,
  MsgRevokeCertificate,
  type QueryCertificatesResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { type TestContext, testContext } from "../../testing/context.js";
import { deliver, query, reject, testAddress } from "../provider/testing.js";
import { CERT_STORE, CertKeeper, certModule } from "./index.js";
import { buildCertificate, ecKeyPair, publicKeyPem } from "./testing.js";

const CREATE = "/akash.cert.v1.MsgCreateCertificate";
const REVOKE = "/akash.cert.v1.MsgRevokeCertificate";
const CERTIFICATES = "/akash.cert.v1.Query/Certificates";

const alice = testAddress(1);
const bob = testAddress(2);
const codeOf = (e: { codespace: string; code: number }) => `${e.codespace}/${e.code}`;

/** A certificate of `owner` with a chosen serial, and its key, as MsgCreateCertificate carries them. */
function certificate(owner: string, serial: bigint) {
  const { privateKey, publicKey } = ecKeyPair();
  return MsgCreateCertificate.fromPartial({
    owner,
    cert: buildCertificate({ commonNames: [owner], serial, signingKey: privateKey }),
    pubkey: publicKeyPem(publicKey),
  });
}

const revoke = (owner: string, serial: string) => MsgRevokeCertificate.fromPartial({ id: { owner, serial } });

describe("cert module", () => {
  let t: TestContext;
  const keeper = new CertKeeper();
  const module = certModule(keeper);

  before(async () => {
    t = await testContext([CERT_STORE]);
  });
  after(() => t.close());

  test("a certificate made by chain-sdk is stored as valid under its serial, with no events", async () => {
    const pem = await certificateManager.generatePEM(alice);
    const msg = MsgCreateCertificate.fromPartial({
      owner: alice,
      cert: Buffer.from(pem.cert),
      pubkey: Buffer.from(pem.publicKey),
    });
    const { response, events } = deliver(t.ctx, module, CREATE, msg);
    assert.equal(response.typeUrl, "/akash.cert.v1.MsgCreateCertificateResponse");
    assert.deepEqual(events, []);
    const { X509Certificate } = await import("node:crypto");
    const serial = BigInt(`0x${new X509Certificate(pem.cert).serialNumber}`);
    assert.deepEqual(keeper.get(t.ctx, alice, serial), {
      state: Cert_State.valid,
      cert: new TextEncoder().encode(pem.cert),
      pubkey: new TextEncoder().encode(pem.publicKey),
    });
    assert.equal(keeper.isValid(t.ctx, alice, serial), true);
    const found = query<QueryCertificatesResponse>(t.ctx, module, CERTIFICATES, {
      filter: { owner: alice, serial: serial.toString() },
    });
    assert.deepEqual(found.certificates, [
      { certificate: keeper.get(t.ctx, alice, serial), serial: serial.toString() },
    ]);
  });

  test("create rejects bad input in ValidateBasic", () => {
    const good = certificate(bob, 10n);
    const cases: [MsgCreateCertificate, string][] = [
      [{ ...good, owner: "akash1nope" }, "cert/2"],
      [{ ...good, owner: alice }, "cert/6"],
      [{ ...good, pubkey: new Uint8Array() }, "cert/7"],
      [{ ...good, cert: new Uint8Array() }, "cert/6"],
      [{ ...good, pubkey: certificate(bob, 10n).pubkey }, "cert/6"],
    ];
    for (const [msg, expected] of cases) {
      const { error, stage } = reject(t.ctx, module, CREATE, msg);
      assert.equal(stage, "validateBasic");
      assert.equal(codeOf(error), expected, error.message);
    }
  });

  test("serials are unique per owner, in any state: a revoked certificate cannot be reused", () => {
    const first = certificate(bob, 10n);
    deliver(t.ctx, module, CREATE, first);
    // The same serial with a fresh key is still the same id.
    const again = reject(t.ctx, module, CREATE, certificate(bob, 10n));
    assert.equal(codeOf(again.error), "cert/3");
    assert.match(again.error.message, new RegExp(`certificate ${bob}/10 already exists \\(valid\\)`));
    // Another owner may use the same serial.
    deliver(t.ctx, module, CREATE, certificate(alice, 10n));

    const { response, events } = deliver(t.ctx, module, REVOKE, revoke(bob, "10"));
    assert.equal(response.typeUrl, "/akash.cert.v1.MsgRevokeCertificateResponse");
    assert.deepEqual(events, []);
    assert.equal(keeper.get(t.ctx, bob, 10n)?.state, Cert_State.revoked);
    assert.deepEqual(keeper.get(t.ctx, bob, 10n)?.cert, new Uint8Array(first.cert));
    assert.equal(keeper.isValid(t.ctx, bob, 10n), false);

    const reuse = reject(t.ctx, module, CREATE, first);
    assert.equal(codeOf(reuse.error), "cert/3");
    assert.match(reuse.error.message, /\(revoked\)/);
    assert.equal(keeper.get(reuse.branch, bob, 10n)?.state, Cert_State.revoked);
  });

  test("revoke: serial must be base 10, the certificate must exist and still be valid", () => {
    const cases: [MsgRevokeCertificate, string, string][] = [
      [revoke(bob, "0x0a"), "cert/5", "validateBasic"],
      [revoke(bob, ""), "cert/5", "validateBasic"],
      [revoke(bob, "-10"), "cert/5", "validateBasic"],
      [revoke("akash1nope", "10"), "cert/2", "validateBasic"],
      [MsgRevokeCertificate.fromPartial({}), "cert/2", "validateBasic"],
      [revoke(bob, "11"), "cert/1", "handle"],
      [revoke(bob, "10"), "cert/4", "handle"],
      [revoke(bob, "010"), "cert/4", "handle"],
    ];
    for (const [msg, expected, stage] of cases) {
      const r = reject(t.ctx, module, REVOKE, msg);
      assert.equal(
        `${codeOf(r.error)} ${r.stage}`,
        `${expected} ${stage}`,
        `${JSON.stringify(msg)}: ${r.error.message}`,
      );
    }
    const def = module.msgs.find((m) => m.typeUrl === REVOKE)!;
    assert.deepEqual(def.signers(revoke(bob, "1") as never), [bob]);
    assert.deepEqual(
      module.msgs.find((m) => m.typeUrl === CREATE)!.signers(certificate(alice, 1n) as never),
      [alice],
    );
  });

  test("Certificates: filters by owner, serial and state, with pagination", () => {
    for (const serial of [1n, 2n, 3n, 300n]) deliver(t.ctx, module, CREATE, certificate(bob, serial));
    deliver(t.ctx, module, REVOKE, revoke(bob, "2"));
    const serials = (res: QueryCertificatesResponse) => res.certificates.map((c) => c.serial);
    const q = (filter: object, pagination?: object) =>
      query<QueryCertificatesResponse>(t.ctx, module, CERTIFICATES, { filter, pagination });

    // An owner's certificates in serial order.
    assert.deepEqual(serials(q({ owner: bob })), ["1", "2", "3", "10", "300"]);
    assert.deepEqual(serials(q({ owner: bob, state: "valid" })), ["1", "3", "300"]);
    assert.deepEqual(serials(q({ owner: bob, state: "revoked" })), ["2", "10"]);
    assert.deepEqual(serials(q({ owner: bob, state: "invalid" })), ["1", "2", "3", "10", "300"]);
    assert.deepEqual(serials(q({ owner: bob, serial: "2", state: "valid" })), []);
    assert.deepEqual(serials(q({ owner: bob, serial: "2", state: "revoked" })), ["2"]);
    assert.deepEqual(serials(q({ owner: bob, serial: "404" })), []);
    assert.equal(q({ owner: bob, serial: "2" }).pagination, undefined);
    // Everyone's, and by serial across owners.
    assert.equal(q({}).certificates.length, 7);
    assert.equal(q({}).pagination?.total.toString(), "7");
    assert.deepEqual(serials(q({ serial: "10" })), ["10", "10"]);
    assert.deepEqual(serials(q({ serial: "10", state: "valid" })), ["10"]);

    const page1 = q({ owner: bob, state: "valid" }, { limit: 2, countTotal: true });
    assert.deepEqual(serials(page1), ["1", "3"]);
    assert.equal(page1.pagination?.total.toString(), "3");
    const page2 = q({ owner: bob, state: "valid" }, { key: page1.pagination!.nextKey, limit: 2 });
    assert.deepEqual(serials(page2), ["300"]);
    const reversed = q({ owner: bob }, { reverse: true, limit: 2 });
    assert.deepEqual(serials(reversed), ["300", "10"]);

    for (const [filter, code] of [
      [{ state: "expired" }, "sdk/18"],
      [{ state: "toString" }, "sdk/18"],
      [{ owner: "akash1nope" }, "sdk/18"],
      [{ owner: bob, serial: "x" }, "sdk/18"],
    ] as const) {
      assert.throws(
        () => q(filter),
        (e: { codespace: string; code: number }) => codeOf(e) === code,
      );
    }
  });

  test("genesis round trip, and validation of imported certificates", async () => {
    const exported = module.exportGenesis(t.ctx) as {
      certificates: { owner: string; certificate: { state: string; cert: string; pubkey: string } }[];
    };
    assert.equal(exported.certificates.length, 7);
    const revoked = exported.certificates.filter((c) => c.certificate.state === "revoked");
    assert.equal(revoked.length, 2);
    const first = exported.certificates.find((c) => c.owner === bob)!;
    assert.match(Buffer.from(first.certificate.cert, "base64").toString(), /^-----BEGIN CERTIFICATE-----/);

    const fresh = await testContext([CERT_STORE]);
    try {
      module.initGenesis(fresh.ctx, JSON.parse(JSON.stringify(exported)));
      assert.deepEqual(module.exportGenesis(fresh.ctx), exported);
      assert.equal(keeper.get(fresh.ctx, bob, 2n)?.state, Cert_State.revoked);
      assert.equal(keeper.isValid(fresh.ctx, bob, 3n), true);
    } finally {
      await fresh.close();
    }

    const empty = await testContext([CERT_STORE]);
    try {
      const one = exported.certificates[0]!;
      assert.throws(() => module.initGenesis(empty.ctx, { certificates: [one, one] }), /twice/);
      assert.throws(
        () =>
          module.initGenesis(empty.ctx, {
            certificates: [{ ...one, certificate: { ...one.certificate, state: "invalid" } }],
          }),
        /state must be valid or revoked/,
      );
      assert.throws(
        () => module.initGenesis(empty.ctx, { certificates: [{ ...one, owner: testAddress(9) }] }),
        /does not match the owner/,
      );
      assert.deepEqual(module.exportGenesis(empty.ctx), { certificates: [] });
    } finally {
      await empty.close();
    }
  });
});
