// Errors the gateway turns into HTTP answers: Akash's status codes and plain-text messages (reference:
// akash-provider.md §4.3) — 404 for an unknown lease, 422 for a refused manifest, 400/403 for a refused
// hostname migration, 503 when the chain or the cluster does not answer.
export class GatewayError extends Error {
  override name = "GatewayError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new GatewayError(400, message);
export const forbidden = (message: string) => new GatewayError(403, message);
export const notFound = (message: string) => new GatewayError(404, message);
export const unprocessable = (message: string) => new GatewayError(422, message);
export const unavailable = (message: string) => new GatewayError(503, message);
