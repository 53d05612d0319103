/**
 * The Express application, built by a factory from its configuration and
 * the site view it serves, so that tests (and reloads) can make their own
 * instances. Read top to bottom, it is the request pipeline: one named
 * middleware or route group per line.
 */
import express, { type RequestHandler } from 'express';
import type { TrustProxy } from '../config/config.js';
import type { RenderedSite } from '../render/renderedSite.js';
import { DocumentFileReader } from './documentFiles.js';
import type { Logger } from '../logger.js';
import { checkedPath } from './middleware/checkedPath.js';
import { errorHandler, lastResortErrorHandler, useProductionErrors } from './middleware/errorHandler.js';
import { readOnly } from './middleware/readOnly.js';
import { requestStart } from './middleware/requestStart.js';
import { createRequestCore, type RequestCore } from './requestCore.js';
import './requestState.js';
import { healthRoutes, type HealthOptions } from './routes/health.js';
import { searchRoutes } from './routes/search.js';
import { notFound, siteRoutes } from './routes/site.js';
import type { SearchSource } from '../search/searchPages.js';

export interface AppOptions extends HealthOptions {
  config: { trustProxy: TrustProxy };
  /** The site view served; a function so that a reload can swap it atomically. */
  site: RenderedSite | (() => RenderedSite);
  logger: Logger;
  /** Shared with the fast path in front of the app; made here when absent. */
  core?: RequestCore;
  /**
   * Handlers mounted after the request core and before the read-only public
   * routes: the preview's live reload, the editor. They answer their own
   * addresses and methods, or pass the request on.
   */
  before?: readonly RequestHandler[];
  /**
   * The search index of the view served, kept in step with it; without one, each version builds its own when first
   * searched.
   */
  search?: SearchSource;
}

export function createApp(options: AppOptions): express.Express {
  const site = typeof options.site === 'function' ? options.site : () => options.site as RenderedSite;
  const core = options.core ?? createRequestCore({ trustProxy: options.config.trustProxy, logger: options.logger });
  const app = express();
  useProductionErrors(app);
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', core.trust);

  app.use(requestStart(core));
  for (const handler of options.before ?? []) app.use(handler);
  app.use(readOnly());
  app.use(checkedPath(site));
  app.use(healthRoutes(options));
  app.use(searchRoutes(site, options.search));
  app.use(siteRoutes(site, new DocumentFileReader(), options.logger));
  app.use(notFound(site));
  app.use(errorHandler(core, site));
  app.use(lastResortErrorHandler(core));
  return app;
}
