/**
 * Which proxies are trusted (TRUST_PROXY), compiled once, and what follows
 * from it for a request: whether it came over HTTPS, and the client's
 * address. The Express app and the fast path both ask here, so they agree.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config/config.js';

export type TrustFunction = (address: string | undefined, hop: number) => boolean;

/** Express's meaning of the setting: true trusts every hop, a number that many hops, a list those addresses. */
export function compileTrust(setting: TrustProxy): TrustFunction {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  const trust = proxyaddr.compile(setting);
  return (address, hop) => address !== undefined && trust(address, hop);
}

/** Over TLS, or from a trusted proxy that says the client used https. */
export function isSecureRequest(req: IncomingMessage, trust: TrustFunction): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trust(req.socket.remoteAddress, 0)) return false;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim();
  return first === 'https';
}

/** Headers a reverse proxy adds to say who the client is and how it connected. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip'];

/**
 * A request that a proxy forwarded (it carries forwarding headers) while the
 * proxy is not trusted (TRUST_PROXY unset or not naming it): its client's
 * address and scheme are unknown, since every client looks like the proxy.
 */
export function isForwardedByUntrustedProxy(req: IncomingMessage, trust: TrustFunction): boolean {
  return !trust(req.socket.remoteAddress, 0) && FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
}

/** The client's address: the socket's, or the nearest untrusted one named in X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trust: TrustFunction): string {
  return proxyaddr(req, (address, hop) => trust(address, hop));
}
