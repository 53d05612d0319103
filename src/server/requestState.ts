/**
 * What the request core and the path check leave for the routes, typed:
 * Express's `res.locals`, declared here once instead of read as `any`.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The request's id, also sent as X-Request-Id and logged. */
      requestId: string;
      /** Over TLS, or from a trusted proxy saying https. */
      secure: boolean;
      /** Forwarded by a proxy that TRUST_PROXY does not name (see trust.ts). */
      untrustedProxy: boolean;
      /** The decoded, checked path (see requestPath.ts); set before any route runs. */
      path: string;
      /** The raw query string, with its "?", or "". */
      query: string;
    }
  }
}

export {};
