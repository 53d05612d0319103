/** The Nunjucks environment: our views, then the NHS.UK frontend's macros. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { nhsukDistDir } from './assets.js';

/** Project folders, found relative to this module (src/render or dist/render). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_VIEWS_DIR = path.join(PROJECT_ROOT, 'views');
export const DEFAULT_PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');

/**
 * Templates are compiled once per environment: a content or template reload
 * makes a new environment rather than re-reading files on every render.
 */
export function createTemplateEnvironment(viewsDir: string = DEFAULT_VIEWS_DIR): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsDir, path.dirname(nhsukDistDir())], { noCache: false });
  // Autoescape is on for every value; only Markdown output (already safe) is marked safe.
  return new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
}
