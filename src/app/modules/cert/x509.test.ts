import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, test } from "node:test";
import { certificateManager } from "@akashnetwork/chain-sdk";
import { fromBech32Address } from "../../../crypto/address.js";
import { AppError } from "../../errors.js";
import { testAddress } from "../provider/testing.js";
import { decodePem } from "./pem.js";
import { buildCertificate, ecKeyPair, publicKeyPem } from "./testing.js";
import { parseAndValidateCertificate } from "./x509.js";

const owner = testAddress(7);
const ownerBytes = fromBech32Address(owner);
const text = (s: string) => new TextEncoder().encode(s);

/** The error code of a validation, or the serial when it passes. */
function outcome(cert: Uint8Array, pubkey: Uint8Array, who = ownerBytes): string {
  try {
    return `serial ${parseAndValidateCertificate(who, cert, pubkey)}`;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return `${e.codespace}/${e.code}`;
  }
}

describe("certificate validation", () => {
  test("accepts what chain-sdk's certificate manager generates (as Akash's tools send it)", async () => {
    const pem = await certificateManager.generatePEM(owner);
    const result = outcome(text(pem.cert), text(pem.publicKey));
    assert.match(result, /^serial \d+$/);
    // The serial is the certificate's, read as an unsigned integer.
    const { X509Certificate } = await import("node:crypto");
    assert.equal(result, `serial ${BigInt(`0x${new X509Certificate(pem.cert).serialNumber}`)}`);
    // Someone else's address in the CN.
    assert.equal(outcome(text(pem.cert), text(pem.publicKey), fromBech32Address(testAddress(8))), "cert/6");
  });

  test("public key: one PEM block labelled EC PUBLIC KEY holding an ECDSA key on a Go curve", () => {
    const { privateKey, publicKey } = ecKeyPair();
    const cert = buildCertificate({ commonNames: [owner], serial: 5n, signingKey: privateKey });
    assert.equal(outcome(cert, publicKeyPem(publicKey)), "serial 5");
    assert.equal(outcome(cert, publicKeyPem(publicKey, "PUBLIC KEY")), "cert/7");
    assert.equal(outcome(cert, text("garbage")), "cert/7");
    assert.equal(outcome(cert, Buffer.concat([publicKeyPem(publicKey), publicKeyPem(publicKey)])), "cert/7");
    assert.equal(
      outcome(cert, text("-----BEGIN EC PUBLIC KEY-----\nAAAA\n-----END EC PUBLIC KEY-----\n")),
      "cert/7",
    );
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    assert.equal(outcome(cert, publicKeyPem(rsa.publicKey)), "cert/7");
    const k1 = ecKeyPair("secp256k1");
    const k1Cert = buildCertificate({ commonNames: [owner], serial: 5n, signingKey: k1.privateKey });
    assert.equal(outcome(k1Cert, publicKeyPem(k1.publicKey)), "cert/7");
    for (const curve of ["secp384r1", "secp521r1", "secp224r1"]) {
      const k = ecKeyPair(curve);
      const c = buildCertificate({ commonNames: [owner], serial: 9n, signingKey: k.privateKey });
      assert.equal(outcome(c, publicKeyPem(k.publicKey)), "serial 9", curve);
    }
  });

  test("certificate: one PEM CERTIFICATE block, self-signed by the key with ECDSA-SHA256, CN = owner", () => {
    const { privateKey, publicKey } = ecKeyPair();
    const pub = publicKeyPem(publicKey);
    const good = buildCertificate({ commonNames: [owner], serial: 1n, signingKey: privateKey });
    assert.equal(outcome(good, pub), "serial 1");
    // Surrounding whitespace is fine; a second block or a different label is not.
    assert.equal(outcome(Buffer.concat([text("\n  "), good, text("\n\n")]), pub), "serial 1");
    assert.equal(outcome(Buffer.concat([good, good]), pub), "cert/6");
    assert.equal(
      outcome(Buffer.from(Buffer.from(good).toString().replaceAll("CERTIFICATE", "X509 CRL")), pub),
      "cert/6",
    );
    assert.equal(
      outcome(text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), pub),
      "cert/6",
    );

    const other = ecKeyPair();
    const signedByOther = buildCertificate({
      commonNames: [owner],
      serial: 1n,
      signingKey: other.privateKey,
    });
    assert.equal(outcome(signedByOther, pub), "cert/6");
    // Signed by the given key but certifying another one.
    const forOtherKey = buildCertificate({
      commonNames: [owner],
      serial: 1n,
      signingKey: privateKey,
      subjectKey: other.publicKey,
    });
    assert.equal(outcome(forOtherKey, pub), "cert/6");
    // Akash verifies SHA-256 over the TBS bytes whatever the certificate says.
    const sha384 = buildCertificate({
      commonNames: [owner],
      serial: 1n,
      signingKey: privateKey,
      hash: "sha384",
    });
    assert.equal(outcome(sha384, pub), "cert/6");

    assert.equal(
      outcome(buildCertificate({ commonNames: [testAddress(8)], serial: 1n, signingKey: privateKey }), pub),
      "cert/6",
    );
    assert.equal(
      outcome(buildCertificate({ commonNames: ["not an address"], serial: 1n, signingKey: privateKey }), pub),
      "cert/6",
    );
    assert.equal(
      outcome(buildCertificate({ commonNames: [], serial: 1n, signingKey: privateKey }), pub),
      "cert/6",
    );
    // Go's CommonName is the last CN.
    assert.equal(
      outcome(
        buildCertificate({ commonNames: [testAddress(8), owner], serial: 2n, signingKey: privateKey }),
        pub,
      ),
      "serial 2",
    );
    assert.equal(
      outcome(
        buildCertificate({ commonNames: [owner, testAddress(8)], serial: 2n, signingKey: privateKey }),
        pub,
      ),
      "cert/6",
    );
  });

  test("serials: large ones are exact, negative ones are refused", () => {
    const { privateKey, publicKey } = ecKeyPair();
    const pub = publicKeyPem(publicKey);
    const big = 2n ** 150n + 12345n;
    assert.equal(
      outcome(buildCertificate({ commonNames: [owner], serial: big, signingKey: privateKey }), pub),
      `serial ${big}`,
    );
    assert.equal(
      outcome(buildCertificate({ commonNames: [owner], serial: 0x80n, signingKey: privateKey }), pub),
      "serial 128",
    );
    assert.equal(
      outcome(buildCertificate({ commonNames: [owner], serial: 0n, signingKey: privateKey }), pub),
      "serial 0",
    );
    assert.equal(
      outcome(buildCertificate({ commonNames: [owner], serial: -5n, signingKey: privateKey }), pub),
      "cert/6",
    );
  });

  test("PEM decoding", () => {
    assert.deepEqual(decodePem(text("-----BEGIN A B-----\nAQI=\n-----END A B-----")), {
      type: "A B",
      der: Buffer.from([1, 2]),
    });
    assert.deepEqual(
      decodePem(text("-----BEGIN X-----\r\nAQ\r\nI=\r\n-----END X-----\r\n"))?.der,
      Buffer.from([1, 2]),
    );
    assert.equal(decodePem(text("-----BEGIN X-----\nAQI=\n-----END Y-----")), undefined);
    assert.equal(decodePem(text("-----BEGIN X-----\nAQI\n-----END X-----")), undefined);
    assert.equal(
      decodePem(text("-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nAQI=\n-----END X-----")),
      undefined,
    );
    assert.equal(decodePem(text("junk-----BEGIN X-----\nAQI=\n-----END X-----")), undefined);
  });
});
