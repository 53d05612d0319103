/**
 * A plain static file server for a site export, as a CDN or nginx would
 * serve it: a URL maps to a file, a folder to its index.html, anything else
 * to 404.html; and the app's security headers (so the strict CSP applies).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createSecurityHeaders } from '../../../src/server/securityHeaders.js';
import type { TestServer } from './server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function serveExport(root: string): Promise<TestServer> {
  const headers = createSecurityHeaders().list(false);
  const server = http.createServer((req, res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      pathname = '/';
    }
    let file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    let status = 200;
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      status = 404;
      file = path.join(root, '404.html');
    }
    res.writeHead(status, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
