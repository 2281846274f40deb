// Authentication failures: JSON `{"message"}` bodies, 400 for a malformed header or claims, 401 for a token
// or certificate that is invalid, expired or does not grant the request (reference: akash-provider.md §4.3).
export class AuthError extends Error {
  override name = "AuthError";
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}
