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
  /** `staleReason`: why, when it is not that the latest content has errors (a content remote out of reach). */
  contentStatus?: () => Pick<ContentStatus, 'state'> & { staleReason?: string };
  /** An authoring server: whether the content remote has its newest commit (X-Content-Remote). */
  remoteStatus?: () => { state: 'current' | 'behind' };
}

export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => sendText(res, 200, 'ok'));
  router.get('/readyz', (_req, res) => {
    if (options.isDraining?.()) return sendText(res, 503, 'draining');
    const status = options.contentStatus?.();
    const content = status?.state ?? 'current';
    res.setHeader('X-Content-Status', content);
    const remote = options.remoteStatus?.().state;
    if (remote) res.setHeader('X-Content-Remote', remote);
    return sendText(
      res,
      200,
      content === 'stale'
        ? `ready (content stale: ${status?.staleReason ?? 'the latest content has errors'}, ` +
            'the previous version is served)'
        : remote === 'behind'
          ? 'ready (the content remote does not have the latest changes yet: pushing is retried)'
          : 'ready',
    );
  });
  return router;
}
