/**
 * Which pages a problem concerns, so that the preview can show it where the
 * person is looking: on the page whose file it is in, and only there. A
 * problem in the site settings or a template concerns every page; one in a
 * file no page shows (a stray file, the "page not found" page) concerns none.
 */
import { SETTINGS_FILE, urlForSource } from './buildSite.js';
import type { Diagnostic } from './diagnostics.js';
import { DOCUMENTS_FOLDER } from './documents.js';
import { SLUG } from './schema.js';

export type ProblemScope =
  /** Every page: the site settings, the templates, the content folder itself. */
  | { kind: 'site' }
  /** The page at this address: its own file, or a file of its document. */
  | { kind: 'page'; url: string }
  /** No page in particular. */
  | { kind: 'file' };

const DOCUMENT_FILE = new RegExp(`^${DOCUMENTS_FOLDER}/([^/]+)/`);

export function scopeOfFile(file: string): ProblemScope {
  if (file === SETTINGS_FILE || file === '.' || file === 'views' || file.startsWith('views/')) return { kind: 'site' };
  const documentId = DOCUMENT_FILE.exec(file)?.[1];
  if (documentId !== undefined) {
    return SLUG.test(documentId) ? { kind: 'page', url: `/${DOCUMENTS_FOLDER}/${documentId}/` } : { kind: 'file' };
  }
  if (!file.endsWith('.md') || file === '404.md' || file === '500.md') return { kind: 'file' };
  const url = urlForSource(file, []);
  return url === null ? { kind: 'file' } : { kind: 'page', url };
}

export interface ProblemMap {
  /** Problems that concern every page. */
  site: Diagnostic[];
  /** Problems by the address of the page they concern. */
  pages: Map<string, Diagnostic[]>;
  /** Problems that concern no page in particular. */
  elsewhere: Diagnostic[];
}

/** Sorts problems by the pages they concern: one pass, each file's scope worked out once. */
export function mapProblems(diagnostics: readonly Diagnostic[]): ProblemMap {
  const map: ProblemMap = { site: [], pages: new Map(), elsewhere: [] };
  const scopes = new Map<string, ProblemScope>();
  for (const d of diagnostics) {
    let scope = scopes.get(d.file);
    if (!scope) scopes.set(d.file, (scope = scopeOfFile(d.file)));
    if (scope.kind === 'site') map.site.push(d);
    else if (scope.kind === 'file') map.elsewhere.push(d);
    else {
      let list = map.pages.get(scope.url);
      if (!list) map.pages.set(scope.url, (list = []));
      list.push(d);
    }
  }
  return map;
}
