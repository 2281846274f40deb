// A lease manager over the stand-ins a unit test gives (a fake chain, a fake cluster, a real or fake store):
// no manifest timeout and no periodic work unless a period is given.
import { pino } from "pino";
import { LeaseManager } from "../lease/manager.js";

export function managerOf(
  modules: { chain?: object; cluster?: object; store: object },
  periods: { fundsCheckPeriodMs?: number } = {},
): LeaseManager {
  return new LeaseManager(
    {
      ingressDomain: "localhost",
      ingressPort: 8080,
      publicHostname: "localhost",
      manifestTimeoutMs: 0,
      withdrawalPeriodMs: 0,
      fundsCheckPeriodMs: periods.fundsCheckPeriodMs ?? 0,
    },
    {
      chain: (modules.chain ?? {}) as never,
      cluster: (modules.cluster ?? {}) as never,
      store: modules.store as never,
      logger: pino({ level: "silent" }),
    },
  );
}
