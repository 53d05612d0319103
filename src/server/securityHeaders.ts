/**
 * Security headers for every response. The CSP allows only our own files and
 * the hashes of our fixed inline scripts: no 'unsafe-inline', no nonces, so
 * every page is the same for every visitor and can be cached and exported.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { cspHash, INLINE_SCRIPTS } from '../render/inlineScripts.js';

export function contentSecurityPolicyDirectives(extraScriptSources: readonly string[] = [], extraConnectSources: readonly string[] = []) {
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

export function securityHeaders(): RequestHandler[] {
  const helmetMiddleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicyDirectives() },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Sent only over HTTPS (below): a browser ignores it over plain HTTP anyway.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });
  const extra: RequestHandler = (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    // req.secure is true over TLS, or behind a trusted proxy (TRUST_PROXY)
    // that says X-Forwarded-Proto: https.
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
  return [helmetMiddleware, extra];
}
