/**
 * What every request gets, whichever path answers it (the fast path or the
 * Express app): a request id echoed back, one log line when the response
 * ends, and the security headers for its scheme. Built once per server from
 * its configuration; both paths call `begin` and nothing else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TrustProxy } from '../config/config.js';
import type { Logger } from '../logger.js';
import { logRequest, requestIdFor } from './requestContext.js';
import { createSecurityHeaders, type SecurityHeaders } from './securityHeaders.js';
import { compileTrust, isForwardedByUntrustedProxy, isSecureRequest, type TrustFunction } from './trust.js';

export interface RequestCore {
  logger: Logger;
  headers: SecurityHeaders;
  trust: TrustFunction;
  /**
   * Starts a request: its id, its log line and whether it is secure. The
   * caller sends `headers.flat(secure)` with its response (or `apply`s them).
   */
  begin(req: IncomingMessage, res: ServerResponse): RequestStart;
}

export interface RequestStart {
  id: string;
  secure: boolean;
  /** Forwarded by a proxy that TRUST_PROXY does not name: who the client is, and how it connected, is unknown. */
  untrustedProxy: boolean;
  /** Cancels the log line, when another handler takes the request over and logs it itself. */
  cancelLog: () => void;
}

export function createRequestCore(options: { trustProxy: TrustProxy; logger: Logger }): RequestCore {
  const headers = createSecurityHeaders();
  const trust = compileTrust(options.trustProxy);
  return {
    logger: options.logger,
    headers,
    trust,
    begin(req, res) {
      const id = requestIdFor(req);
      const cancelLog = logRequest(req, res, options.logger, id);
      return {
        id,
        secure: isSecureRequest(req, trust),
        untrustedProxy: isForwardedByUntrustedProxy(req, trust),
        cancelLog,
      };
    },
  };
}
