/**
 * Probes for load balancers and orchestrators. /healthz: the process
 * answers. /readyz: it should receive traffic (503 while draining); stale
 * content is still a complete, valid site, so it stays in rotation and says
 * so in X-Content-Status (see README, "Reloading content").
 */
import { Router } from 'express';
import type { ContentStatus } from '../../live/liveSite.js';
import { sendText } from '../respond.js';

export interface HealthOptions {
  isDraining?: () => boolean;
  contentStatus?: () => Pick<ContentStatus, 'state'>;
}

export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => sendText(res, 200, 'ok'));
  router.get('/readyz', (_req, res) => {
    if (options.isDraining?.()) return sendText(res, 503, 'draining');
    const content = options.contentStatus?.().state ?? 'current';
    res.setHeader('X-Content-Status', content);
    return sendText(
      res,
      200,
      content === 'stale'
        ? 'ready (content stale: the latest content has errors, the previous version is served)'
        : 'ready',
    );
  });
  return router;
}
