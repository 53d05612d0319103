/**
 * Security headers for every response. The CSP allows only our own files and
 * the hashes of our fixed inline scripts: no 'unsafe-inline', no nonces, so
 * every page is the same for every visitor and can be cached and exported.
 */
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cspHash, INLINE_SCRIPTS } from '../render/inlineScripts.js';

export function contentSecurityPolicyDirectives(
  extraScriptSources: readonly string[] = [],
  extraConnectSources: readonly string[] = [],
) {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...INLINE_SCRIPTS.map(cspHash), ...extraScriptSources],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...extraConnectSources],
    'manifest-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
  };
}

/**
 * Powerful browser features, all denied: the site shows text and links.
 * Only names current browsers recognise (an unknown name, such as the
 * retired interest-cohort, makes Chrome log an error on every page).
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'encrypted-media=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

export const HSTS = 'max-age=31536000; includeSubDomains';

/** A header list as node:http's writeHead takes it: [name, value, name, value, ...]. */
export type FlatHeaders = readonly string[];

/**
 * The security headers of every response: one list for plain HTTP and one
 * for HTTPS (which adds Strict-Transport-Security), computed once. The
 * Express app, the fast path, error responses and the nginx config all use
 * these lists, so they cannot drift apart.
 */
export interface SecurityHeaders {
  list(secure: boolean): readonly (readonly [string, string])[];
  flat(secure: boolean): FlatHeaders;
  /** Sets them on a response that has not started. */
  apply(res: ServerResponse, secure: boolean): void;
}

export function createSecurityHeaders(): SecurityHeaders {
  const http = computeList(false);
  const https = computeList(true);
  const flat = { http: http.flat(), https: https.flat() };
  return {
    list: (secure) => (secure ? https : http),
    flat: (secure) => (secure ? flat.https : flat.http),
    apply(res, secure) {
      for (const [name, value] of secure ? https : http) res.setHeader(name, value);
    },
  };
}

/**
 * helmet is the authority on header values (its defaults follow current
 * advice); it is a middleware, so its output is recorded once, here,
 * rather than run on every request.
 */
function computeList(secure: boolean): [string, string][] {
  const helmetMiddleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicyDirectives() },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Added below over HTTPS only: a browser ignores it over plain HTTP anyway.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
    getHeader(name: string) {
      return headers.get(name);
    },
  };
  helmetMiddleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  headers.set('Permissions-Policy', PERMISSIONS_POLICY);
  if (secure) headers.set('Strict-Transport-Security', HSTS);
  return [...headers.entries()];
}
