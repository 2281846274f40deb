// The provider, audit and cert modules behind the real baseapp: transactions encoded with chain-sdk's
// types and signed by cosmjs, run through the ante pipeline and finalizeBlock, read back over abci_query.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { certificateManager } from "@akashnetwork/chain-sdk";
import {
  QueryProvidersResponse as AuditQueryProvidersResponse,
  MsgCreateCertificate,
  MsgRevokeCertificate,
  MsgSignProviderAttributes,
  QueryCertificatesRequest,
  QueryCertificatesResponse,
  QueryProviderAuditorRequest,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCreateProvider,
  MsgDeleteProvider,
  QueryProviderRequest,
  QueryProviderResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { openCommitMultiStore } from "../../../store/index.js";
import { AnteHandler } from "../../ante.js";
import { BaseApp } from "../../baseapp.js";
import { parseDecCoins } from "../../coins.js";
import {
  genesisFor,
  registry,
  signTx,
  TEST_CHAIN_ID,
  type TestAccount,
  testAccounts,
} from "../../testing/harness.js";
import { AUDIT_STORE, AuditKeeper, auditModule } from "../audit/index.js";
import { AccountKeeper, authModule } from "../auth/index.js";
import { BankKeeper, bankModule } from "../bank/index.js";
import { CERT_STORE, CertKeeper, certModule } from "../cert/index.js";
import { PROVIDER_STORE, ProviderKeeper, providerModule } from "./index.js";

for (const codec of [
  MsgCreateProvider,
  MsgDeleteProvider,
  MsgSignProviderAttributes,
  MsgCreateCertificate,
  MsgRevokeCertificate,
]) {
  // chain-sdk codecs are ts-proto codecs with their own BinaryWriter type; cosmjs only calls encode/decode.
  registry.register(`/${codec.$type}`, codec as unknown as GeneratedType);
}

describe("provider, audit and cert through the baseapp", () => {
  let dir: string;
  let app: BaseApp;
  let close: () => Promise<void>;
  let provider: TestAccount;
  let auditor: TestAccount;
  let height = 0n;

  before(async () => {
    [provider, auditor] = (await testAccounts(2)) as [TestAccount, TestAccount];
    dir = mkdtempSync(join(tmpdir(), "decloud-akash-"));
    const accounts = new AccountKeeper();
    const bank = new BankKeeper(accounts);
    const modules = [
      authModule(accounts),
      bankModule(bank, accounts),
      providerModule(new ProviderKeeper(), { providerHasActiveLeases: () => false }),
      auditModule(new AuditKeeper()),
      certModule(new CertKeeper()),
    ];
    const cms = await openCommitMultiStore({ dir, storeNames: modules.map((m) => m.storeKey) });
    assert.deepEqual(
      modules.slice(2).map((m) => m.storeKey),
      [PROVIDER_STORE, AUDIT_STORE, CERT_STORE],
    );
    const minGasPrices = parseDecCoins("0.025uakt");
    app = new BaseApp(
      { chainId: TEST_CHAIN_ID, version: "test" },
      cms,
      modules,
      (checked) => new AnteHandler({ minGasPrices }, accounts, bank, checked),
    );
    close = () => cms.close();
    const coins = [{ denom: "uakt", amount: "100000000" }];
    const state = genesisFor([
      { address: provider.address, coins },
      { address: auditor.address, coins },
    ]);
    await app.initChain({
      time: { seconds: 1_700_000_000n, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
      initialHeight: 1n,
    });
    await block([]);
  });
  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function block(txs: Uint8Array[]): Promise<ExecTxResult[]> {
    height += 1n;
    const res = await app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height,
      time: { seconds: 1_700_000_000n + height, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    await app.commit();
    return res.txResults;
  }

  async function queryOk(path: string, data: Uint8Array): Promise<Uint8Array> {
    const res = await app.query({ path, data, height: 0n, prove: false });
    assert.equal(res.code, 0, res.log);
    return res.value;
  }

  async function send(signer: TestAccount, msgs: EncodeObject[]): Promise<ExecTxResult> {
    const value = await queryOk(
      "/cosmos.auth.v1beta1.Query/Account",
      QueryAccountRequest.encode({ address: signer.address }).finish(),
    );
    const account = BaseAccount.decode(QueryAccountResponse.decode(value).account!.value);
    const tx = await signTx(signer, msgs, {
      accountNumber: account.accountNumber,
      sequence: account.sequence,
    });
    const [result] = await block([tx]);
    return result!;
  }

  test("MsgCreateProvider: events with msg_index, then the Provider query", async () => {
    const result = await send(provider, [
      {
        typeUrl: "/akash.provider.v1beta4.MsgCreateProvider",
        value: MsgCreateProvider.fromPartial({
          owner: provider.address,
          hostUri: "https://provider.localhost:8443",
          attributes: [{ key: "region", value: "local" }],
        }),
      },
    ]);
    assert.equal(result.code, 0, result.log);
    const created = result.events.find((e) => e.type === "akash.provider.v1beta4.EventProviderCreated");
    assert.deepEqual(
      created?.attributes.map((a) => [a.key, a.value]),
      [
        ["owner", JSON.stringify(provider.address)],
        ["msg_index", "0"],
      ],
    );
    const message = result.events.find(
      (e) => e.type === "message" && e.attributes.some((a) => a.key === "module"),
    );
    assert.deepEqual(Object.fromEntries(message!.attributes.map((a) => [a.key, a.value])), {
      action: "/akash.provider.v1beta4.MsgCreateProvider",
      sender: provider.address,
      module: "provider",
      msg_index: "0",
    });
    const res = QueryProviderResponse.decode(
      await queryOk(
        "/akash.provider.v1beta4.Query/Provider",
        QueryProviderRequest.encode({ owner: provider.address }).finish(),
      ),
    );
    assert.equal(res.provider?.hostUri, "https://provider.localhost:8443");
  });

  test("module errors reach the client with their codespace and code", async () => {
    const again = await send(provider, [
      {
        typeUrl: "/akash.provider.v1beta4.MsgCreateProvider",
        value: MsgCreateProvider.fromPartial({ owner: provider.address, hostUri: "https://other.localhost" }),
      },
    ]);
    assert.equal(`${again.codespace}/${again.code}`, "provider/4");
    assert.match(again.log, /already exists/);
    const missing = await app.query({
      path: "/akash.provider.v1beta4.Query/Provider",
      data: QueryProviderRequest.encode({ owner: auditor.address }).finish(),
      height: 0n,
      prove: false,
    });
    assert.equal(missing.code, 22);
    assert.match(missing.log, /NotFound/);
  });

  test("an auditor signs the provider's attributes", async () => {
    const result = await send(auditor, [
      {
        typeUrl: "/akash.audit.v1.MsgSignProviderAttributes",
        value: MsgSignProviderAttributes.fromPartial({
          owner: provider.address,
          auditor: auditor.address,
          attributes: [{ key: "region", value: "local" }],
        }),
      },
    ]);
    assert.equal(result.code, 0, result.log);
    assert.ok(result.events.some((e) => e.type === "akash.audit.v1.EventTrustedAuditorCreated"));
    const res = AuditQueryProvidersResponse.decode(
      await queryOk(
        "/akash.audit.v1.Query/ProviderAuditorAttributes",
        QueryProviderAuditorRequest.encode({ owner: provider.address, auditor: auditor.address }).finish(),
      ),
    );
    assert.deepEqual(res.providers[0]?.attributes, [{ key: "region", value: "local" }]);
  });

  test("a certificate from chain-sdk is created and revoked; the signer of revoke is id.owner", async () => {
    const pem = await certificateManager.generatePEM(provider.address);
    const created = await send(provider, [
      {
        typeUrl: "/akash.cert.v1.MsgCreateCertificate",
        value: MsgCreateCertificate.fromPartial({
          owner: provider.address,
          cert: new TextEncoder().encode(pem.cert),
          pubkey: new TextEncoder().encode(pem.publicKey),
        }),
      },
    ]);
    assert.equal(created.code, 0, created.log);
    const list = async (state: string) =>
      QueryCertificatesResponse.decode(
        await queryOk(
          "/akash.cert.v1.Query/Certificates",
          QueryCertificatesRequest.encode(
            QueryCertificatesRequest.fromPartial({ filter: { owner: provider.address, state } }),
          ).finish(),
        ),
      ).certificates;
    const [valid] = await list("valid");
    assert.ok(valid);

    const revoke = {
      typeUrl: "/akash.cert.v1.MsgRevokeCertificate",
      value: MsgRevokeCertificate.fromPartial({ id: { owner: provider.address, serial: valid.serial } }),
    };
    // Signed by someone else than id.owner: the signature check refuses it.
    const forged = await send(auditor, [revoke]);
    assert.equal(forged.codespace, "sdk", forged.log);
    assert.notEqual(forged.code, 0);
    assert.equal((await list("valid")).length, 1);
    const revoked = await send(provider, [revoke]);
    assert.equal(revoked.code, 0, revoked.log);
    assert.deepEqual(
      (await list("revoked")).map((c) => c.serial),
      [valid.serial],
    );
  });

  test("MsgDeleteProvider deletes a provider without leases", async () => {
    const result = await send(provider, [
      { typeUrl: "/akash.provider.v1beta4.MsgDeleteProvider", value: { owner: provider.address } },
    ]);
    assert.equal(result.code, 0, result.log);
    assert.ok(result.events.some((e) => e.type === "akash.provider.v1beta4.EventProviderDeleted"));
  });
});
