/**
 * The preview answers only to this machine's names. It binds to 127.0.0.1,
 * but a web page can point a name of its own at 127.0.0.1 (DNS rebinding)
 * and then read drafts, and the source lines the error page quotes, as a
 * same-origin page. The browser still sends that name in Host, so any Host
 * other than a loopback name or address, or the configured HOST, gets 421.
 */
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';

/** Host header values without the port, lower-cased, with no trailing dot. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  const name = value.startsWith('[')
    ? value.slice(1, value.indexOf(']') === -1 ? value.length : value.indexOf(']'))
    : value.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(name);
  return false;
}

/** Hosts a server listening on `configuredHost` may be reached by, besides the loopback ones. */
export function allowsHost(configuredHost: string | undefined, header: string): boolean {
  const name = hostName(header);
  if (name === '') return false;
  if (isLoopbackName(name)) return true;
  if (configuredHost === undefined) return false;
  const own = hostName(
    configuredHost.includes(':') && !configuredHost.startsWith('[') ? `[${configuredHost}]` : configuredHost,
  );
  // 0.0.0.0 and :: are not names: listening on every interface does not make every name ours.
  return own !== '0.0.0.0' && own !== '::' && name === own;
}

export function hostCheck(options: { host?: string }): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.host;
    // HTTP/1.1 requires Host (Node refuses a request without it); browsers always send it.
    if (header === undefined || allowsHost(options.host, header)) return next();
    res.status(421);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end('Misdirected Request: the preview answers only to localhost, 127.0.0.1, [::1] and the configured HOST.\n');
  };
}
