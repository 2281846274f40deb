// The provider's exact decimals are the client's (src/client/decimal.ts): bids are priced with the same code
// a tenant's dry run uses to predict them.
export { formatDec, parseDec } from "../client/decimal.js";
