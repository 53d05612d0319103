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

export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
  'interest-cohort=()',
  'browsing-topics=()',
].join(', ');

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
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
  return [helmetMiddleware, extra];
}
