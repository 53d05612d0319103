import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveSite } from '../../../src/live/liveSite.js';
import type { RenderedSite } from '../../../src/render/renderedSite.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/server/app.js';
import { createDevApp } from '../../../src/server/devServer.js';
import { lastResortErrorHandler, useProductionErrors } from '../../../src/server/middleware/errorHandler.js';
import { requestStart } from '../../../src/server/middleware/requestStart.js';
import { createRequestCore } from '../../../src/server/requestCore.js';
import { SITE_URL } from '../../helpers/site.js';

const logger = createLogger('silent');
const savedEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = savedEnv;
});

describe('production error handling in every mode', () => {
  it('is set on the site and the preview whatever NODE_ENV says', () => {
    process.env.NODE_ENV = 'development';
    const site = () => {
      throw new Error('unused');
    };
    expect(createApp({ config: { trustProxy: false }, site, logger }).get('env')).toBe('production');
    const live = new LiveSite({ contentDir: '/nonexistent', siteUrl: SITE_URL, logger });
    const dev = createDevApp({ live, config: { trustProxy: false }, logger, pathPrefix: '' });
    expect(dev.app.get('env')).toBe('production');
    dev.close();
  });

  it(
    'answers an error that escapes every handler with a plain 500 and the ' + 'security headers, never the stack',
    async () => {
      process.env.NODE_ENV = 'development';
      const app = express();
      useProductionErrors(app);
      const core = createRequestCore({ trustProxy: false, logger });
      app.use(requestStart(core));
      app.get('/boom', (_req, res) => {
        res.setHeader('Content-Disposition', 'attachment; filename="secret.csv"');
        throw new Error(`failed in ${import.meta.url}`);
      });
      app.use(lastResortErrorHandler(core));
      const res = await request(app).get('/boom');
      expect(res.status).toBe(500);
      expect(res.text).toBe('Internal Server Error\n');
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      expect(res.headers['cache-control']).toBe('no-store');
    },
  );

  it(
    "ends the app with it: when even the site's error pages fail, the answer " +
      'is a plain 500 with the security headers',
    async () => {
      process.env.NODE_ENV = 'development';
      const failing = (name: string) => () => {
        throw new Error(`${name} failed at /srv/app/src/secret.ts:1`);
      };
      const site = Object.defineProperties(
        {},
        { notFound: { get: failing('notFound') }, serverError: { get: failing('serverError') } },
      ) as unknown as RenderedSite;
      const res = await request(createApp({ config: { trustProxy: false }, site: () => site, logger })).get('/%zz');
      expect(res.status).toBe(500);
      expect(res.text).toBe('Internal Server Error\n');
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      expect(res.headers['x-request-id']).toMatch(/\S/);
    },
  );

  it('leaves no stack in what Express itself answers, even without our last handler', async () => {
    process.env.NODE_ENV = 'development';
    const app = express();
    useProductionErrors(app);
    app.get('/boom', () => {
      throw new Error('internal detail at /srv/app/src/secret.ts:1');
    });
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('/srv/app');
    expect(res.text).not.toMatch(/\bat .*:\d+/);
  });
});
