// The methods of the module table (modules.ts) joined with chain-sdk's service descriptors: gRPC path,
// request and response types, and the command's name.
import { type SdkService, sdkServices } from "../../codec/registry.js";
import { kebabCase, type MethodSpec, type ModuleSpec, type MsgSpec } from "./modules.js";

export interface ResolvedMethod<S extends MethodSpec = MethodSpec> {
  /** `Orders` */
  readonly rpc: string;
  /** `orders` */
  readonly command: string;
  /** `/akash.market.v1beta5.Query/Orders`: what `abci_query` routes on. */
  readonly path: string;
  readonly requestType: string;
  readonly responseType: string;
  readonly spec: S;
}

function service(name: string): SdkService {
  const found = sdkServices().find((s) => s.typeName === name);
  if (!found) throw new Error(`chain-sdk has no service ${name}`);
  return found;
}

function resolve<S extends MethodSpec>(
  serviceName: string,
  methods: Readonly<Record<string, S>>,
): ResolvedMethod<S>[] {
  const byName = new Map(Object.values(service(serviceName).methods).map((m) => [m.name, m]));
  return Object.entries(methods).map(([rpc, spec]) => {
    const m = byName.get(rpc);
    if (!m) throw new Error(`${serviceName} has no method ${rpc}`);
    return {
      rpc,
      command: kebabCase(rpc),
      path: `/${serviceName}/${rpc}`,
      requestType: m.input.$type,
      responseType: m.output.$type,
      spec,
    };
  });
}

export function queryMethods(mod: ModuleSpec): ResolvedMethod[] {
  return mod.query ? resolve(mod.query.service, mod.query.methods) : [];
}

export function msgMethods(mod: ModuleSpec): ResolvedMethod<MsgSpec>[] {
  return mod.tx ? resolve(mod.tx.service, mod.tx.methods) : [];
}

/** Every method name of a service, for checking that the table covers it. */
export function serviceMethodNames(serviceName: string): string[] {
  return Object.values(service(serviceName).methods)
    .filter((m) => !m.kind)
    .map((m) => m.name);
}
