// HTTPS to a provider's gateway: TLS 1.3, the tenant's credentials (gateway/auth.ts), and the gateway's
// certificate checked against the chain before a byte of the request is written (gateway/provider.ts).
// Answers are mapped to errors a person can act on: an unreachable provider, a certificate the provider
// refuses (expired, revoked, unknown), or the provider's own message.
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { CertificateError, DecloudError, GatewayRequestError, ProviderUnreachableError } from "../errors.js";
import { authOptions, type GatewayAuth } from "./auth.js";
import { type GatewayTarget, verifyGatewayCertificate } from "./provider.js";

export interface GatewayRequest {
  readonly method?: "GET" | "PUT" | "POST";
  /** `/lease/12/1/1/status` */
  readonly path: string;
  readonly body?: string;
  readonly auth?: GatewayAuth;
  /** Per request (default 30 s; a manifest may take the provider up to 120 s). */
  readonly timeoutMs?: number;
}

export interface GatewayResponse {
  readonly status: number;
  readonly body: string;
}

/** Sends one request; any HTTP status resolves. Transport failures reject with ProviderUnreachableError. */
export function gatewayRequest(target: GatewayTarget, req: GatewayRequest): Promise<GatewayResponse> {
  const url = new URL(req.path, `${target.hostUri}/`);
  const { tls, headers } = authOptions(req.auth);
  const body = req.body;
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: req.method ?? "GET",
      // A fresh connection per request, so that every connection's certificate is checked.
      agent: false,
      minVersion: "TLSv1.3",
      // The gateway's certificate is self-signed: it is checked against the chain on `secureConnect`.
      rejectUnauthorized: false,
      ...tls,
      headers: {
        ...headers,
        ...(body !== undefined
          ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
          : {}),
      },
      timeout: req.timeoutMs ?? 30_000,
    });
    request.on("socket", (socket) => {
      (socket as TLSSocket).once("secureConnect", () => {
        try {
          verifyGatewayCertificate(target, (socket as TLSSocket).getPeerCertificate()?.raw);
        } catch (e) {
          request.destroy(e as Error);
          return;
        }
        request.end(body);
      });
    });
    request.on("timeout", () =>
      request.destroy(
        Object.assign(new Error(`no answer within ${(req.timeoutMs ?? 30_000) / 1000} s`), {
          code: "ETIMEDOUT",
        }),
      ),
    );
    request.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", (e) => reject(unreachable(target, e)));
    });
    request.on("error", (e) => reject(e instanceof DecloudError ? e : unreachable(target, e)));
  });
}

/** Whatever broke the connection (refused, reset, timed out, TLS): the provider cannot be reached. */
function unreachable(target: GatewayTarget, e: Error): DecloudError {
  const code = (e as NodeJS.ErrnoException).code;
  return new ProviderUnreachableError(
    target.provider,
    target.hostUri,
    `${code ? `${code}: ` : ""}${e.message}`,
  );
}

/** The gateway's auth error message (`{"message": …}`), or the plain-text body. */
export function gatewayMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { message?: unknown };
    if (typeof json.message === "string") return json.message;
  } catch {
    // Plain text.
  }
  return body.trim();
}

/** Turns a refusal into the error a person can act on. `what` names the request ("the manifest"). */
export function gatewayError(
  target: GatewayTarget,
  owner: string,
  response: GatewayResponse,
  what: string,
): DecloudError {
  const message = gatewayMessage(response.body);
  if (response.status === 401) {
    if (/expired|not valid yet/.test(message)) {
      return new CertificateError(
        owner,
        "expired",
        `Provider ${target.provider} refused your certificate: ${message}.`,
      );
    }
    if (/revoked/.test(message)) {
      return new CertificateError(
        owner,
        "revoked",
        `Provider ${target.provider} refused your certificate: ${message}.`,
      );
    }
    if (/not on chain|differs from the one published/.test(message)) {
      return new CertificateError(
        owner,
        "not-on-chain",
        `Provider ${target.provider} refused your certificate: ${message}.`,
      );
    }
  }
  if (response.status === 503) {
    return new GatewayRequestError(
      target.provider,
      response.status,
      message,
      what,
      "The provider is up but its chain connection or its cluster is not answering; try again shortly.",
    );
  }
  return new GatewayRequestError(target.provider, response.status, message, what);
}

/** GET/PUT expecting 2xx; JSON bodies are parsed (an empty body is undefined). */
export async function gatewayCall<T>(
  target: GatewayTarget,
  owner: string,
  req: GatewayRequest & { readonly what: string },
): Promise<T> {
  const response = await gatewayRequest(target, req);
  if (response.status < 200 || response.status >= 300) throw gatewayError(target, owner, response, req.what);
  if (response.body.trim() === "") return undefined as T;
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new GatewayRequestError(
      target.provider,
      response.status,
      response.body.slice(0, 200),
      req.what,
      "The provider answered something that is not JSON.",
    );
  }
}
