/**
 * One JSON log line per request, with a request id that is echoed to the
 * client; secrets in cookies, authorization headers and query strings never
 * reach the log.
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';
import { brokenSite } from '../helpers/representativeRequests.js';
import { renderedBundledSite } from '../helpers/site.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  path?: string;
  status?: number;
  durationMs?: number;
  aborted?: boolean;
}

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogLine),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let site: RenderedSite;
beforeAll(async () => {
  site = await renderedBundledSite();
});

function appWithLog(broken = false) {
  const log = capture();
  const app = createSiteHandler({
    config: { trustProxy: false },
    site: broken ? brokenSite(site) : site,
    logger: createLogger('info', log.stream),
  });
  return { app, log };
}

describe('request log', () => {
  it('writes one JSON line per request with id, method, path, status and duration', async () => {
    const { app, log } = appWithLog();
    const paths = ['/', '/about/', '/no-such-page/', '/about', '/%zz'];
    for (const p of paths) await request(app).get(p);
    await request(app).post('/');
    await request(app).head('/about/');
    await settle();
    const lines = log.lines().filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(paths.length + 2);
    expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/', 200],
      ['GET', '/about/', 200],
      ['GET', '/no-such-page/', 404],
      ['GET', '/about', 301],
      ['GET', '/%zz', 400],
      ['POST', '/', 405],
      ['HEAD', '/about/', 200],
    ]);
    for (const l of lines) {
      expect(l.level).toBe(30);
      expect(l.reqId).toMatch(UUID);
      expect(typeof l.durationMs).toBe('number');
      expect(l.durationMs).toBeGreaterThanOrEqual(0);
      expect(l.durationMs).toBeLessThan(5000);
    }
    expect(new Set(lines.map((l) => l.reqId)).size).toBe(lines.length);
  });

  it('honours a safe X-Request-Id, echoes it, and logs it', async () => {
    const { app, log } = appWithLog();
    const res = await request(app).get('/about/').set('X-Request-Id', 'lb-2f1c:42.7_x');
    expect(res.headers['x-request-id']).toBe('lb-2f1c:42.7_x');
    await settle();
    expect(log.lines().find((l) => l.msg === 'request')!.reqId).toBe('lb-2f1c:42.7_x');
  });

  for (const unsafe of ['', 'has space', 'a'.repeat(65), '<script>', 'id\u00e9', 'a,b', '{"json":1}']) {
    it(`replaces an unsafe X-Request-Id ${JSON.stringify(unsafe.slice(0, 20))} with a generated one`, async () => {
      const { app, log } = appWithLog();
      const res = await request(app).get('/').set('X-Request-Id', unsafe);
      expect(res.headers['x-request-id']).toMatch(UUID);
      await settle();
      const line = log.lines().find((l) => l.msg === 'request')!;
      expect(line.reqId).toBe(res.headers['x-request-id']);
      if (unsafe) expect(log.text()).not.toContain(unsafe);
    });
  }

  it('never logs cookies, authorization headers or query strings, even for a request that fails', async () => {
    for (const broken of [false, true]) {
      const { app, log } = appWithLog(broken);
      await request(app)
        .get('/about/?token=SECRET-IN-QUERY')
        .set('Cookie', 'session=SECRET-COOKIE')
        .set('Authorization', 'Bearer SECRET-TOKEN')
        .set('Proxy-Authorization', 'Basic SECRET-PROXY')
        .expect(broken ? 500 : 200);
      await settle();
      const text = log.text();
      expect(text).toContain('"path":"/about/"');
      expect(text).not.toMatch(/SECRET|session=|Bearer|Basic|cookie|authorization/i);
      if (broken) {
        const error = log.lines().find((l) => l.msg === 'request failed');
        expect(error, 'the failure is logged').toBeDefined();
        expect(error!.level).toBe(50);
        expect(error!.reqId).toBe(log.lines().find((l) => l.msg === 'request')!.reqId);
      }
    }
  });

  it('cuts overlong paths in the log', async () => {
    const { app, log } = appWithLog();
    await request(app).get(`/${'a'.repeat(1500)}/`);
    await settle();
    const line = log.lines().find((l) => l.msg === 'request')!;
    expect(line.path!.length).toBeLessThanOrEqual(514);
  });
});
