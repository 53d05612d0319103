/**
 * The Mozilla HTTP Observatory's own scanner (@mdn/mdn-http-observatory),
 * grading our real responses as they would be served behind TLS.
 *
 * The scanner fetches https://host/ itself, which cannot reach a test
 * server on a random port, so its retriever is replaced by one that hands
 * it what our server really answered (over a socket, through a trusted
 * proxy saying X-Forwarded-Proto: https): the front page with its headers
 * and HTML, the CORS preflight, robots.txt. Everything else — every test,
 * the scoring and the grade — is the scanner's own code. Two assumptions,
 * both the least favourable to us: the host is not on the HSTS preload
 * list (the scanner downloads that list at install time, which an offline
 * install skips), and plain HTTP is not served (TLS and the redirect to it
 * are the proxy's job; the scanner scores that the same as a redirect).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSiteHandler } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';
import { renderedBundledSite, SITE_URL } from '../helpers/site.js';

const HOST = new URL(SITE_URL).hostname;

interface Captured {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  data: string;
}

const captured: { home?: Captured; cors?: Captured } = {};

vi.mock('@mdn/mdn-http-observatory/src/analyzer/hsts.js', () => ({
  hsts: () => new Map(),
  isHstsPreloaded: () => null,
}));

vi.mock('@mdn/mdn-http-observatory/src/retriever/retriever.js', async () => {
  const { Requests } = await import('@mdn/mdn-http-observatory/src/types.js');
  const { Session } = await import('@mdn/mdn-http-observatory/src/retriever/session.js');
  const { parseHttpEquivHeaders } = await import('@mdn/mdn-http-observatory/src/retriever/utils.js');
  // The scanner's own HTTP client library (a dependency of the scanner), for its header type.
  const { AxiosHeaders } = await import('axios');
  return {
    retrieve: async (hostname: string) => {
      const url = new URL(`https://${hostname}/`);
      const asAxios = (c: Captured) => ({
        ...c,
        headers: new AxiosHeaders(c.headers as Record<string, string>),
        verified: true,
        request: { headers: new AxiosHeaders() },
        config: { headers: new AxiosHeaders() },
      });
      const requests = new Requests(hostname);
      const home = asAxios(captured.home!);
      requests.responses.auto = home;
      requests.responses.https = home;
      requests.responses.http = null;
      requests.responses.httpsRedirects = [{ url, status: home.status }];
      requests.responses.cors = asAxios(captured.cors!);
      requests.resources.path = home.data;
      requests.responses.auto.httpEquiv = parseHttpEquivHeaders(home.data, url.href);
      requests.session = new Session(url);
      return requests;
    },
  };
});

function capture(port: number, method: string, path: string, headers: Record<string, string>): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: { Host: HOST, 'X-Forwarded-Proto': 'https', ...headers } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () =>
          resolve({ status: res.statusCode!, statusText: res.statusMessage ?? '', headers: res.headers, data }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let server: http.Server;
beforeAll(async () => {
  if (!installed) return;
  const site = await renderedBundledSite();
  server = http.createServer(
    createSiteHandler({ config: { trustProxy: ['loopback'] }, site, logger: createLogger('silent') }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  captured.home = await capture(port, 'GET', '/', {
    Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  });
  captured.cors = await capture(port, 'OPTIONS', '/', {
    Origin: 'https://http-observatory.security.mozilla.org',
    'Access-Control-Request-Method': 'GET',
  });
});
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const installed = process.env.OBSERVATORY_INSTALLED === '1';
if (!installed) {
  console.warn(
    'SKIPPED: the Mozilla HTTP Observatory scanner is not installed (.ci/run ' +
      'installs it into node_modules/.cache/observatory).',
  );
}

describe('Mozilla HTTP Observatory scanner is available under CI', () => {
  it.skipIf(process.env.CI !== 'true')('is installed by .ci/run', () => {
    expect(installed).toBe(true);
  });
});

describe.skipIf(!installed)('Mozilla HTTP Observatory', () => {
  it('grades the front page A+ when served behind TLS, passing every test', async () => {
    const { scan } = await import('@mdn/mdn-http-observatory');
    const result = await scan(HOST);
    const report = Object.values(result.tests)
      .map((t) => `${t.pass ? 'pass' : 'FAIL'} ${t.result} (${t.scoreModifier})`)
      .join('\n');
    expect(result.scan.grade, `score ${result.scan.score}\n${report}`).toBe('A+');
    expect(result.scan.testsFailed, report).toBe(0);
    expect(result.scan.score).toBeGreaterThanOrEqual(100);
    console.info(`Observatory: ${result.scan.grade}, score ${result.scan.score}\n${report}`);
  });

  it('is a real grader: the same page without our CSP and HSTS scores lower', async () => {
    const { scan } = await import('@mdn/mdn-http-observatory');
    const original = captured.home!;
    const weakened = { ...original.headers };
    delete weakened['content-security-policy'];
    delete weakened['strict-transport-security'];
    captured.home = { ...original, headers: weakened };
    try {
      const result = await scan(HOST);
      expect(result.scan.grade).not.toBe('A+');
      expect(result.scan.score).toBeLessThan(70);
    } finally {
      captured.home = original;
    }
  });
});
