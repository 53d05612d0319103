/**
 * The security headers the app sends, as a fixed list, for static hosts and
 * proxies that must reproduce them (see nginxConfig.ts). Taken from the very
 * middleware the app uses, so the two cannot drift apart.
 */
import type { Request, Response } from 'express';
import { securityHeaders } from './securityHeaders.js';

export function securityHeaderList(secure: boolean): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return res;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
    getHeader(name: string) {
      return headers.get(name);
    },
  };
  const req = { secure, headers: {}, method: 'GET' };
  for (const middleware of securityHeaders()) {
    middleware(req as unknown as Request, res as unknown as Response, () => undefined);
  }
  return [...headers.entries()];
}
