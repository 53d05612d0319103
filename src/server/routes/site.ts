/**
 * The site's own addresses: pages, assets, sitemap and robots from memory,
 * declared document files, and the redirect to a page's canonical address.
 * Everything is looked up by exact path in maps; nothing a visitor types
 * reaches the file system.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { RenderedSite } from '../../render/renderedSite.js';
import type { DocumentFileReader } from '../documentFiles.js';
import { findInMemory } from '../inMemory.js';
import type { Logger } from '../../logger.js';
import { redirectFor, redirectLocation, sendRedirect } from '../redirects.js';
import { sendPrepared } from '../respond.js';

export function siteRoutes(site: () => RenderedSite, files: DocumentFileReader, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const current = site();
    const path = res.locals.path;
    const target = findInMemory(current, path);
    if (target) {
      const options = { cacheControl: target.cacheControl };
      if (!(target.response instanceof Promise)) return sendPrepared(req, res, target.response, options);
      target.response.then((response) => sendPrepared(req, res, response, options)).catch(next);
      return;
    }

    // Only files a document declares: a map lookup, never a path built from the URL.
    const download = current.model.library.downloads.get(path);
    if (download) return files.serve(req, res, download, logger, notFound(site));

    // An old address of a moved page: straight to where it is now (before the trailing-slash redirect: one hop).
    const movedTo = redirectFor(current, path);
    if (movedTo !== undefined) return sendRedirect(req, res, redirectLocation(movedTo, res.locals.query));

    // One canonical URL per page: the form without the trailing slash redirects.
    if (!path.endsWith('/') && current.pages.has(`${path}/`)) {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      return res.redirect(301, `${encodeURI(`${path}/`)}${res.locals.query}`);
    }
    next();
  };
}

export function notFound(site: () => RenderedSite): (req: Request, res: Response) => void {
  return (req, res) => sendPrepared(req, res, site().notFound, { status: 404 });
}
