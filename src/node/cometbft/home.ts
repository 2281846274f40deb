// Node homes for CometBFT mode: `decloud node init` (keys, a one-validator genesis, config.toml, app.toml) and
// the network genesis that several homes share (`decloud node genesis --validators home1,home2,…`): every
// home's validator key in one genesis, written to every home, and each node's persistent peers set to the
// others. This stands in for the Cosmos SDK's gentx/collect-gentxs, which exist to stake the validators'
// power from their accounts; DeCloud has no staking module yet, so the power is given directly.
import { writeFileSync } from "node:fs";
import { initNodeHome } from "../init.js";
import { loadOrCreateNodeKey, loadOrCreateValidatorKey } from "../privval/keys.js";
import { createGenesisDoc, type GenesisDoc, loadGenesisFile } from "../types/genesis.js";
import {
  type AppConfig,
  type CometConfigOptions,
  ensureValidatorState,
  homePaths,
  hostPort,
  readNodeHomeConfig,
  updateToml,
  writeAppConfig,
  writeCometConfig,
} from "./config.js";

export interface InitCometHomeOptions extends CometConfigOptions {
  chainId: string;
  /** Genesis app_state of the one-validator genesis init writes (replaced by `network genesis` later). */
  appState?: unknown;
  app: AppConfig;
  /** A fixed validator key seed (deterministic localnets); random when absent. */
  validatorSeed?: Uint8Array;
}

/** Writes a fresh node home; keys and genesis that exist are kept, config files are rewritten. */
export function initCometHome(home: string, o: InitCometHomeOptions): GenesisDoc {
  const genesis = initNodeHome(home, {
    chainId: o.chainId,
    appState: o.appState ?? {},
    validatorSeed: o.validatorSeed,
  });
  writeCometConfig(home, o);
  writeAppConfig(home, o.app);
  ensureValidatorState(home);
  return genesis;
}

export interface NodeIdentity {
  home: string;
  moniker: string;
  nodeId: string;
  /** host:port other nodes dial. */
  p2pAddress: string;
  validatorPubKey: Uint8Array;
}

export function nodeIdentity(home: string): NodeIdentity {
  const p = homePaths(home);
  const config = readNodeHomeConfig(home);
  const { host, port } = hostPort(config.p2pLaddr);
  return {
    home,
    moniker: config.moniker,
    nodeId: loadOrCreateNodeKey(p.nodeKey).id,
    p2pAddress: `${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    validatorPubKey: loadOrCreateValidatorKey(p.validatorKey).pubKey,
  };
}

export interface NetworkGenesisOptions {
  chainId?: string;
  appState?: unknown;
  /** Voting power of each validator (default 10). */
  power?: bigint;
  genesisTime?: Date;
  /** Set each node's persistent_peers to all the others (default true). */
  peers?: boolean;
}

/**
 * One genesis for the validators of `homes` (chain id and app_state from the first home's genesis unless
 * given), written to every home; returns it.
 */
export function writeNetworkGenesis(homes: string[], o: NetworkGenesisOptions = {}): GenesisDoc {
  if (homes.length === 0) throw new Error("no validator homes given");
  const first = loadGenesisFile(homePaths(homes[0]!).genesis);
  const nodes = homes.map(nodeIdentity);
  const genesis = createGenesisDoc({
    chainId: o.chainId ?? first.chain_id,
    appState: o.appState ?? first.app_state ?? {},
    genesisTime: o.genesisTime,
    validators: nodes.map((n) => ({ pubKey: n.validatorPubKey, power: o.power ?? 10n, name: n.moniker })),
  });
  for (const n of nodes) {
    writeFileSync(homePaths(n.home).genesis, `${JSON.stringify(genesis, null, 2)}\n`);
    if (o.peers !== false) {
      const peers = nodes
        .filter((m) => m !== n)
        .map((m) => `${m.nodeId}@${m.p2pAddress}`)
        .join(",");
      updateToml(homePaths(n.home).configToml, { p2p: { persistent_peers: peers } });
    }
  }
  return genesis;
}
