// Which chain services `decloud query|tx MODULE METHOD` covers, and what the descriptors cannot say: a line
// of description per method, who signs each message, and the odd example. Everything else (arguments,
// flags, types, paths) is read from chain-sdk's service and message descriptors (see layout.ts), as the
// Cosmos SDK's autocli reads its module options next to the proto descriptors.
//
// Methods are listed (rather than taking every method of a service) because the list is what the chain
// serves: for bank and auth the node serves part of the Cosmos services (src/app/modules/*/queries.ts), and a
// test checks that every Akash service method is here.

export interface MethodSpec {
  /** One line for `--help`. */
  readonly description: string;
  /** Examples after `decloud query MODULE ` or `decloud tx MODULE `; generated from the arguments when absent. */
  readonly examples?: readonly string[];
}

export interface MsgSpec extends MethodSpec {
  /**
   * The message's signer field (dotted proto names), filled from `--from` when absent (the `cosmos.msg.v1.signer`
   * option, which the generated code does not carry). None for messages whose signer is inside a list.
   */
  readonly signer?: string;
  /** A `dseq` defaulting to the latest block height, as Akash's CLI does for new deployments. */
  readonly dseqFromHeight?: boolean;
}

export interface ModuleSpec {
  readonly name: string;
  readonly description: string;
  /** Full name of the query service, and its methods by RPC name. */
  readonly query?: { readonly service: string; readonly methods: Readonly<Record<string, MethodSpec>> };
  readonly tx?: { readonly service: string; readonly methods: Readonly<Record<string, MsgSpec>> };
  /**
   * Methods a hand-written command of the same module already covers (RPC name → that command), left out so
   * that there is one way to do each thing.
   */
  readonly covered?: Readonly<Record<string, string>>;
}

const GOV_ONLY = "(governance only: the authority must be the gov module account)";

export const MODULES: readonly ModuleSpec[] = [
  {
    name: "deployment",
    description: "deployments and their groups",
    query: {
      service: "akash.deployment.v1beta4.Query",
      methods: {
        Deployments: {
          description: "list deployments, filtered by owner, dseq or state (active, closed)",
          examples: ["deployments --owner alice --state active", "deployments --limit 10 --json"],
        },
        Deployment: { description: "a deployment with its groups and escrow account" },
        Group: { description: "one group of a deployment" },
        Params: { description: "the module's parameters (minimum deposits)" },
      },
    },
    tx: {
      service: "akash.deployment.v1beta4.Msg",
      methods: {
        CreateDeployment: {
          description: "create a deployment from groups (JSON), a manifest hash and a deposit",
          signer: "id.owner",
          dseqFromHeight: true,
          examples: [
            "create-deployment --msg-json deployment.json --from alice",
            "create-deployment 1234 --groups @groups.json --hash BASE64 --deposit 5akt --from alice",
          ],
        },
        UpdateDeployment: { description: "set a deployment's new manifest hash", signer: "id.owner" },
        CloseDeployment: {
          description: "close a deployment: its groups, orders, bids and leases, and refund the escrow",
          signer: "id.owner",
        },
        CloseGroup: { description: "close one group of a deployment", signer: "id.owner" },
        PauseGroup: { description: "pause a group (its leases close)", signer: "id.owner" },
        StartGroup: { description: "start a paused group again (a new order opens)", signer: "id.owner" },
        UpdateParams: { description: `set the module's parameters ${GOV_ONLY}`, signer: "authority" },
      },
    },
  },
  {
    name: "market",
    description: "orders, bids and leases",
    query: {
      service: "akash.market.v1beta5.Query",
      methods: {
        Orders: {
          description: "list orders, filtered by owner, dseq, gseq, oseq or state (open, active, closed)",
          examples: ["orders --owner alice --state open", "orders --dseq 1234 --json"],
        },
        Order: { description: "one order" },
        Bids: {
          description: "list bids, filtered by order, provider or state (open, active, lost, closed)",
          examples: ["bids --owner alice --dseq 1234", "bids --provider bob --state open"],
        },
        Bid: { description: "one bid with its escrow account" },
        Leases: {
          description:
            "list leases, filtered by order, provider or state (active, insufficient_funds, closed)",
          examples: ["leases --owner alice --state active", "leases --provider bob --json"],
        },
        Lease: { description: "one lease with its escrow payment" },
        Params: { description: "the module's parameters (bid deposits, maximum bids per order)" },
      },
    },
    tx: {
      service: "akash.market.v1beta5.Msg",
      methods: {
        CreateBid: {
          description: "bid on an order, as a provider",
          signer: "id.provider",
          examples: ["create-bid alice 1234 1 1 --price 800uakt --deposit 0.5akt --from bob"],
        },
        CloseBid: { description: "withdraw a bid, as its provider", signer: "id.provider" },
        WithdrawLease: {
          description: "collect what a lease has earned so far, as its provider",
          signer: "id.provider",
        },
        CreateLease: {
          description: "accept a bid, as the order's owner: the lease starts",
          signer: "bid_id.owner",
          examples: ["create-lease 1234 1 1 bob --from alice"],
        },
        CloseLease: { description: "end a lease, as the deployment's owner", signer: "id.owner" },
        UpdateParams: { description: `set the module's parameters ${GOV_ONLY}`, signer: "authority" },
      },
    },
  },
  {
    name: "escrow",
    description: "escrow accounts of deployments and bids, and their payments",
    query: {
      service: "akash.escrow.v1.Query",
      methods: {
        Accounts: {
          description: "list escrow accounts, filtered by state (open, closed, overdrawn) or id prefix (xid)",
          examples: ["accounts --xid deployment/akash1…/1234", "accounts --state overdrawn --json"],
        },
        Payments: {
          description: "list payments (one per lease), filtered by state or id prefix (xid)",
          examples: ["payments --xid deployment/akash1…/1234 --json"],
        },
      },
    },
    tx: {
      service: "akash.escrow.v1.Msg",
      methods: {
        AccountDeposit: {
          description: "top up an escrow account (anyone may)",
          signer: "signer",
          examples: ["account-deposit deployment akash1…/1234 --deposit 5akt --from alice"],
        },
      },
    },
  },
  {
    name: "provider",
    description: "providers: who offers compute, where, with which attributes",
    query: {
      service: "akash.provider.v1beta4.Query",
      methods: {
        Providers: { description: "list providers", examples: ["providers", "providers --limit 10 --json"] },
        Provider: { description: "one provider" },
      },
    },
    tx: {
      service: "akash.provider.v1beta4.Msg",
      methods: {
        CreateProvider: {
          description: "register as a provider",
          signer: "owner",
          examples: [
            "create-provider --host-uri https://provider.example.com:8443 --attributes region=us-east --info.email ops@example.com --from bob",
          ],
        },
        UpdateProvider: { description: "change a provider's address, attributes or info", signer: "owner" },
        DeleteProvider: { description: "unregister a provider", signer: "owner" },
      },
    },
  },
  {
    name: "audit",
    description: "auditors' signatures on providers' attributes",
    query: {
      service: "akash.audit.v1.Query",
      methods: {
        AllProvidersAttributes: { description: "every audited attribute of every provider" },
        ProviderAttributes: { description: "the audited attributes of a provider" },
        ProviderAuditorAttributes: { description: "the attributes one auditor signed for a provider" },
        AuditorAttributes: { description: "every attribute an auditor signed" },
      },
    },
    tx: {
      service: "akash.audit.v1.Msg",
      methods: {
        SignProviderAttributes: {
          description: "sign attributes of a provider, as an auditor",
          signer: "auditor",
          examples: ["sign-provider-attributes bob --attributes region=us-east --from carol"],
        },
        DeleteProviderAttributes: {
          description: "withdraw signatures from a provider's attributes, as their auditor",
          signer: "auditor",
          examples: ["delete-provider-attributes bob --keys region --from carol"],
        },
      },
    },
  },
  {
    name: "cert",
    description: "X.509 certificates for mTLS with providers",
    query: {
      service: "akash.cert.v1.Query",
      methods: {
        Certificates: {
          description: "list certificates, filtered by owner, serial or state (valid, revoked)",
          examples: ["certificates --owner alice --state valid"],
        },
      },
    },
    tx: {
      service: "akash.cert.v1.Msg",
      methods: {
        CreateCertificate: {
          description: "publish a certificate (PEM) and its public key (PEM)",
          signer: "owner",
          examples: ["create-certificate --cert @client.crt --pubkey @client.pub --from alice"],
        },
        RevokeCertificate: { description: "revoke one of your certificates by serial", signer: "id.owner" },
      },
    },
  },
  {
    name: "take",
    description: "the take rate: the network's share of lease payments",
    query: {
      service: "akash.take.v1.Query",
      methods: { Params: { description: "the take rate per denom and the default" } },
    },
    tx: {
      service: "akash.take.v1.Msg",
      methods: {
        UpdateParams: { description: `set the take rates ${GOV_ONLY}`, signer: "authority" },
      },
    },
  },
  {
    name: "bank",
    description: "balances, supply and denoms",
    query: {
      service: "cosmos.bank.v1beta1.Query",
      methods: {
        Balance: { description: "one balance of an account", examples: ["balance alice uakt"] },
        SpendableBalances: { description: "the balances an account can spend now" },
        SpendableBalanceByDenom: { description: "the spendable balance of one denom" },
        TotalSupply: { description: "the total supply of every denom" },
        SupplyOf: { description: "the total supply of one denom", examples: ["supply-of uakt"] },
        Params: { description: "the module's parameters" },
        DenomMetadata: {
          description: "a denom's metadata (units, symbol)",
          examples: ["denom-metadata uakt"],
        },
        DenomsMetadata: { description: "every denom's metadata" },
        SendEnabled: { description: "which denoms may be sent" },
      },
    },
    tx: {
      service: "cosmos.bank.v1beta1.Msg",
      methods: {
        MultiSend: {
          description: "send from one account to several in one message (inputs and outputs as JSON)",
          examples: [
            `multi-send --msg-json '{"inputs":[{"address":"akash1…","coins":[{"denom":"uakt","amount":"2"}]}],"outputs":[…]}' --from alice`,
          ],
        },
      },
    },
    covered: { AllBalances: "balances", Send: "send" },
  },
  {
    name: "auth",
    description: "accounts: numbers, sequences, public keys",
    query: {
      service: "cosmos.auth.v1beta1.Query",
      methods: {
        Account: { description: "an account (number, sequence, public key)" },
        Accounts: { description: "every account" },
        ModuleAccountByName: {
          description: "a module account by name",
          examples: ["module-account-by-name escrow"],
        },
        Params: { description: "the module's parameters" },
      },
    },
  },
];

/** `CreateBid` → `create-bid`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

/** Verbs of message names (`create-bid`): Akash's CLI puts them after the noun (`bid-create`). */
const VERBS = new Set([
  "create",
  "update",
  "close",
  "delete",
  "withdraw",
  "pause",
  "start",
  "revoke",
  "sign",
]);

/**
 * Other names of a transaction command, as Akash's CLI spells them: noun first (`bid-create` for
 * `create-bid`), and the bare verb where the noun is the module (`deployment create`).
 */
export function txAliases(command: string, moduleName: string): string[] {
  const [verb, ...rest] = command.split("-");
  if (!verb || !VERBS.has(verb) || rest.length === 0) return [];
  const noun = rest.join("-");
  return noun === moduleName ? [`${noun}-${verb}`, verb] : [`${noun}-${verb}`];
}

/** Every name a module's commands answer to on one side (`query` or `tx`), hand-written ones included. */
export function commandNamesOf(mod: ModuleSpec, role: "query" | "tx"): string[] {
  const methods = Object.keys((role === "query" ? mod.query : mod.tx)?.methods ?? {}).map(kebabCase);
  const aliases = role === "tx" ? methods.flatMap((m) => txAliases(m, mod.name)) : [];
  return [...methods, ...aliases, ...Object.values(mod.covered ?? {})];
}
