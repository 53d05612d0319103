/**
 * Moving a page: what changes in the content, worked out before anything is
 * written. Pure, like the rest of the pipeline: the files and the parsed
 * pages go in, a plan of file changes comes out, for `npm run move` and the
 * editor alike, which then check the content as it would be and write it in
 * one go.
 *
 * - A page file moves to its new place, and its old address is added to its
 *   `formerAddresses` (with comments and key order kept), so that the old
 *   address answers 301 to the new one. Addresses it had before move with it.
 * - A section's page (index.md) moves its whole folder: every page in it
 *   gets its old address, and every other file (images, a document's files)
 *   moves along.
 * - Pictures beside a single page that only that page shows move with it.
 * - site.yml redirects that led to an old address lead to the new one (a
 *   redirect must never point at another), and pages listing a moved
 *   document by its id list it by its new one.
 */
import path from 'node:path';
import { isScalar, isSeq } from 'yaml';
import { SETTINGS_FILE, urlForSource } from './buildSite.js';
import { documentIdForSource } from './documents.js';
import { editFrontMatter, editYamlFile } from './frontMatterEdit.js';
import type { Page } from './model.js';
import type { ContentEntry } from './readContentFolder.js';
import { SLUG } from './schema.js';

export type PlannedChange =
  { kind: 'move'; from: string; to: string } | { kind: 'write'; path: string; bytes: Buffer; from?: string };

export interface MovePlan {
  /** The page moved (for a section: its index.md) and where it goes. */
  from: string;
  to: string;
  fromUrl: string;
  toUrl: string;
  /**
   * The changes in order. A page that moves is a `write` at its new place with `from` set (its new text,
   * formerAddresses added) after a `move` of the same file: the history keeps the file's old bytes.
   */
  changes: PlannedChange[];
  /** Every old address that now leads to a new one. */
  redirects: Array<{ from: string; to: string }>;
}

export type MoveResult = { ok: true; plan: MovePlan } | { ok: false; message: string };

export interface MoveInput {
  entries: readonly ContentEntry[];
  /** Every page that parsed (any state), for the images each shows and the documents each lists. */
  pages: readonly Page[];
}

/** Files that are not pages: the site cannot do without them where they are. */
const FIXED = new Set(['index.md', '404.md', '500.md', SETTINGS_FILE]);

/**
 * `from` and `to` are page files (work-streams/kpi.md) or web addresses
 * (/work-streams/kpi/); a section is named by its index.md or its address.
 */
export function planMove(input: MoveInput, fromArg: string, toArg: string): MoveResult {
  const files = new Map(input.entries.map((e) => [e.path, e]));
  const from = pageFileFor(fromArg, files);
  if (!from)
    return fail(
      `there is no page "${fromArg}": give its file (work-streams/old-name.md) ` +
        'or its address (/work-streams/old-name/)',
    );
  if (FIXED.has(from)) return fail(`${from} cannot move: the website needs it where it is`);
  const fromUrl = urlForSource(from, [])!;
  const isSection = from.endsWith('/index.md');

  const target = toArg
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .replace(/(?:\/index)?\.md$/, '');
  const segments = target.split('/');
  if (target === '' || segments.some((s) => !SLUG.test(s)))
    return fail(
      `"${toArg}" cannot be a web address: use lowercase letters, digits and hyphens, with "/" between a ` +
        'section and a page, for example work-streams/new-name',
    );
  const to = isSection ? `${target}/index.md` : `${target}.md`;
  const toUrl = urlForSource(to, []);
  if (toUrl === null) return fail(`the web address /${target}/ is used by the website itself: choose another`);
  if (toUrl === fromUrl) return fail(`the page is already at ${fromUrl}`);
  if (isSection && toUrl.startsWith(fromUrl)) return fail(`a section cannot move inside itself (${fromUrl})`);
  for (const taken of [`${target}.md`, `${target}/index.md`])
    if (files.has(taken) && !(isSection && taken.startsWith(folderOf(from))))
      return fail(`${taken} already has the address ${toUrl}: choose another, or move that page first`);
  const parent = path.posix.dirname(target);
  if (parent !== '.' && !files.has(`${parent}/index.md`))
    return fail(`there is no section /${parent}/ to move the page into: create its page first`);
  if (documentIdForSource(from) !== null && documentIdForSource(to) === null)
    return fail('a document stays in the documents section: give it a new address under /documents/');
  if (documentIdForSource(from) === null && documentIdForSource(to) !== null)
    return fail("only a document can move to a document's address: choose an address outside /documents/");

  // What moves: a section's whole folder, or the page and the pictures only it shows.
  const moves = new Map<string, string>();
  if (isSection) {
    const oldFolder = folderOf(from);
    const newFolder = folderOf(to);
    for (const file of files.keys())
      if (file.startsWith(oldFolder)) moves.set(file, newFolder + file.slice(oldFolder.length));
  } else {
    moves.set(from, to);
    for (const image of onlyShownBy(input.pages, from)) {
      if (path.posix.dirname(image) !== path.posix.dirname(from)) continue;
      const newFolder = path.posix.dirname(to);
      const moved = `${newFolder === '.' ? '' : `${newFolder}/`}${path.posix.basename(image)}`;
      if (!files.has(moved)) moves.set(image, moved);
    }
  }
  for (const [, destination] of moves)
    if (files.has(destination) && !moves.has(destination))
      return fail(`${destination} already exists: move or rename it first`);

  const changes: PlannedChange[] = [];
  const redirects: Array<{ from: string; to: string }> = [];
  const pagesBySource = new Map(input.pages.map((p) => [p.source, p]));
  for (const [source, destination] of moves) {
    changes.push({ kind: 'move', from: source, to: destination });
    if (!source.endsWith('.md')) continue;
    const oldUrl = urlForSource(source, []);
    const newUrl = urlForSource(destination, []);
    const bytes = files.get(source)?.bytes;
    if (oldUrl === null || newUrl === null || !bytes || !pagesBySource.has(source)) continue;
    const text = addFormerAddress(bytes.toString('utf8'), oldUrl, newUrl);
    if (text === null) return fail(`the front matter of ${source} cannot be read: correct it first`);
    changes.push({ kind: 'write', path: destination, bytes: Buffer.from(text), from: source });
    redirects.push({ from: oldUrl, to: newUrl });
  }

  const urlMoves = new Map(redirects.map((r) => [r.from, r.to]));
  const settings = files.get(SETTINGS_FILE)?.bytes;
  if (settings) {
    const updated = retargetRedirects(settings.toString('utf8'), urlMoves);
    if (updated !== null) changes.push({ kind: 'write', path: SETTINGS_FILE, bytes: Buffer.from(updated) });
  }
  const oldId = documentIdForSource(from);
  const newId = documentIdForSource(to);
  if (oldId !== null && newId !== null) {
    for (const page of input.pages) {
      if (!page.frontMatter.documents?.includes(oldId) || moves.has(page.source)) continue;
      const bytes = files.get(page.source)?.bytes;
      const text = bytes ? renameDocumentId(bytes.toString('utf8'), oldId, newId) : null;
      if (text !== null) changes.push({ kind: 'write', path: page.source, bytes: Buffer.from(text) });
    }
  }
  return { ok: true, plan: { from, to, fromUrl, toUrl, changes, redirects } };
}

function fail(message: string): MoveResult {
  return { ok: false, message };
}

function folderOf(indexFile: string): string {
  return indexFile.slice(0, -'index.md'.length);
}

/** The page file an argument names: a file that exists, or the file at a web address. */
function pageFileFor(arg: string, files: ReadonlyMap<string, ContentEntry>): string | null {
  const trimmed = arg.trim();
  if (trimmed.endsWith('.md')) {
    const file = trimmed.replace(/^\/+/, '').replace(/^content\//, '');
    return files.has(file) ? file : null;
  }
  const bare = trimmed.replace(/^\/+|\/+$/g, '');
  if (bare === '') return 'index.md';
  for (const candidate of [`${bare}.md`, `${bare}/index.md`]) if (files.has(candidate)) return candidate;
  return null;
}

/** Pictures the page shows that no other page shows. */
function onlyShownBy(pages: readonly Page[], source: string): string[] {
  const users = new Map<string, Set<string>>();
  for (const page of pages)
    for (const image of page.images ?? [])
      if (image.source) {
        let set = users.get(image.source);
        if (!set) users.set(image.source, (set = new Set()));
        set.add(page.source);
      }
  return [...users].filter(([, by]) => by.size === 1 && by.has(source)).map(([image]) => image);
}

/**
 * The page's text with `address` added to its formerAddresses (once), and `newAddress` taken out of them: a page
 * moved back to where it was has that address as its own again. Null when its front matter cannot be read.
 */
export function addFormerAddress(text: string, address: string, newAddress?: string): string | null {
  return (
    editFrontMatter(text, (doc) => {
      const list = doc.get('formerAddresses');
      if (!isSeq(list)) doc.set('formerAddresses', doc.createNode([address]));
      else {
        list.items = list.items.filter((item) => !(isScalar(item) && item.value === newAddress));
        if (!list.items.some((item) => isScalar(item) && item.value === address))
          doc.addIn(['formerAddresses'], address);
      }
      return true;
    }) ?? null
  );
}

/** site.yml with every redirect that led to a moved address leading to its new one; null when none did. */
function retargetRedirects(text: string, moved: ReadonlyMap<string, string>): string | null {
  return editYamlFile(text, (doc) => {
    const list = doc.get('redirects');
    if (!isSeq(list)) return false;
    let changed = false;
    list.items.forEach((_item, i) => {
      const to = doc.getIn(['redirects', i, 'to']);
      const next = typeof to === 'string' ? moved.get(to) : undefined;
      if (next !== undefined) {
        doc.setIn(['redirects', i, 'to'], next);
        changed = true;
      }
    });
    return changed;
  });
}

/** A page's text listing a document by its new id; null when nothing changed. */
function renameDocumentId(text: string, oldId: string, newId: string): string | null {
  return editFrontMatter(text, (doc) => {
    const list = doc.get('documents');
    if (!isSeq(list)) return false;
    let changed = false;
    list.items.forEach((_item, i) => {
      if (doc.getIn(['documents', i]) === oldId) {
        doc.setIn(['documents', i], newId);
        changed = true;
      }
    });
    return changed;
  });
}
