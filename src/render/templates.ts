/** The Nunjucks environment: our views, then the NHS.UK frontend's macros. */
import path from 'node:path';
import nunjucks from 'nunjucks';
import { VIEWS_DIR } from '../paths.js';
import { nhsukDistDir } from './assets.js';

/**
 * Templates are compiled once per environment: a content or template reload
 * makes a new environment rather than re-reading files on every render.
 */
export function createTemplateEnvironment(viewsDir: string = VIEWS_DIR): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsDir, path.dirname(nhsukDistDir())], { noCache: false });
  // Autoescape is on for every value; only Markdown output (already safe) is marked safe.
  return new nunjucks.Environment(loader, {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
}
