// Constants the command tree needs at registration (option choices, help texts), kept free of imports
// so that `decloud --help` does not load the modules behind them.
import type { KeyringBackend } from "../client/keyring.js";

export const DEFAULT_NODE = "http://127.0.0.1:26657";

/** The keyring's backends (client/keyring.ts), restated here; the type check keeps the two lists equal. */
export const KEYRING_BACKEND_CHOICES = ["test", "file"] as const satisfies readonly KeyringBackend[];
type Missing = Exclude<KeyringBackend, (typeof KEYRING_BACKEND_CHOICES)[number]>;
const allListed: [Missing] extends [never] ? true : Missing = true;
void allListed;

/** client/tx.ts's DEFAULT_GAS_ADJUSTMENT, for the --gas-adjustment help (defaults.test.ts keeps them equal). */
export const DEFAULT_GAS_ADJUSTMENT = 1.4;
