// How a tenant proves who it is to a provider's gateway (reference: akash-provider.md §4.2): its client
// certificate (mTLS, full access to its leases) or a JWT signed with its account key.
export type GatewayAuth =
  | { readonly type: "mtls"; readonly cert: string; readonly key: string }
  | { readonly type: "jwt"; readonly token: string };

/** TLS options and headers for an authenticated connection. */
export function authOptions(auth: GatewayAuth | undefined): {
  tls: { cert?: string; key?: string };
  headers: Record<string, string>;
} {
  if (!auth) return { tls: {}, headers: {} };
  if (auth.type === "mtls") return { tls: { cert: auth.cert, key: auth.key }, headers: {} };
  return { tls: {}, headers: { authorization: `Bearer ${auth.token}` } };
}
