/**
 * The webhook that makes a delivery server fetch the content remote at
 * once: only with the secret (a signature of the body, GitLab's token or a
 * bearer token), compared in constant time; anything else is refused and
 * starts nothing. Without a secret there is no webhook: the public site
 * refuses the POST like any other. /readyz reports why content is stale.
 */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { contentWebhook, CONTENT_WEBHOOK_PATH } from '../../src/server/routes/contentWebhook.js';
import { renderedBundledSite } from '../helpers/site.js';

const SECRET = 'a-webhook-secret-for-tests';
let site: RenderedSite;
beforeAll(async () => {
  site = await renderedBundledSite();
});

function server(options: { webhook: boolean; stale?: string }) {
  let updates = 0;
  const logger = createLogger('silent');
  const handler = createSiteHandler({
    config: { trustProxy: false },
    site,
    logger,
    contentStatus: () =>
      options.stale ? { state: 'stale', staleReason: options.stale } : { state: 'current' as const },
    before: options.webhook
      ? [contentWebhook({ secret: new Secret(SECRET), update: () => void updates++, logger })]
      : [],
  });
  return { handler, updates: () => updates };
}

const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('the content webhook', () => {
  it('starts an update when the sender knows the secret, in any of the ways git hosts send it', async () => {
    const s = server({ webhook: true });
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const signed = await request(s.handler)
      .post(CONTENT_WEBHOOK_PATH)
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature-256', sign(body))
      .send(body);
    expect([signed.status, signed.headers['cache-control']]).toEqual([202, 'no-store']);
    const gitlab = await request(s.handler).post(CONTENT_WEBHOOK_PATH).set('X-Gitlab-Token', SECRET).send('{}');
    const bearer = await request(s.handler).post(CONTENT_WEBHOOK_PATH).set('Authorization', `Bearer ${SECRET}`);
    expect([gitlab.status, bearer.status]).toEqual([202, 202]);
    expect(s.updates()).toBe(3);
  });

  it('refuses anyone else, starting nothing', async () => {
    const s = server({ webhook: true });
    const body = '{"ref":"refs/heads/main"}';
    const attempts = [
      request(s.handler).post(CONTENT_WEBHOOK_PATH).send(body),
      request(s.handler).post(CONTENT_WEBHOOK_PATH).set('X-Hub-Signature-256', sign(body, 'wrong-secret')).send(body),
      request(s.handler).post(CONTENT_WEBHOOK_PATH).set('X-Hub-Signature-256', sign('{}')).send(body),
      request(s.handler).post(CONTENT_WEBHOOK_PATH).set('X-Hub-Signature-256', sign(body).toUpperCase()).send(body),
      request(s.handler).post(CONTENT_WEBHOOK_PATH).set('X-Gitlab-Token', `${SECRET}x`),
      request(s.handler)
        .post(CONTENT_WEBHOOK_PATH)
        .set('Authorization', `Bearer ${SECRET.slice(0, -1)}`),
      request(s.handler).post(CONTENT_WEBHOOK_PATH).set('Authorization', `Basic ${SECRET}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(res.text).not.toContain(SECRET);
    }
    const get = await request(s.handler).get(CONTENT_WEBHOOK_PATH);
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    const big = await request(s.handler)
      .post(CONTENT_WEBHOOK_PATH)
      .set('Authorization', `Bearer ${SECRET}`)
      .send('x'.repeat(70 * 1024));
    expect(big.status).toBe(413);
    expect(s.updates()).toBe(0);
  });

  it('does not exist without a secret: the public site refuses the POST', async () => {
    const s = server({ webhook: false });
    const res = await request(s.handler).post(CONTENT_WEBHOOK_PATH).set('Authorization', `Bearer ${SECRET}`);
    expect(res.status).toBe(405);
    expect((await request(s.handler).get(CONTENT_WEBHOOK_PATH)).status).toBe(404);
  });

  it('leaves /readyz at 200 while content is stale, saying why', async () => {
    const s = server({ webhook: true, stale: 'the content remote /srv/site.git could not be reached' });
    const res = await request(s.handler).get('/readyz');
    expect([res.status, res.headers['x-content-status']]).toEqual([200, 'stale']);
    expect(res.text).toContain('content stale: the content remote /srv/site.git could not be reached');
  });
});
