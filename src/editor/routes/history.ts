/**
 * A page's history: who changed it, when, and what changed (in words), and
 * "Restore this version", which saves that version again as a new change
 * (validated and merged like any save; history is never rewritten). The
 * deleted pages, from which a page comes back the same way.
 */
import type { Request, Response } from 'express';
import { HISTORY_PAGE_SIZE, versionOf, type HistoryEntry } from '../../store/contentStore.js';
import { message, noSuchFile, pageOf, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { wordDiff } from '../history/wordDiff.js';
import { authorName, contentFileFrom, formatDateTime, isEditableFile, seeOther, sendHtml } from '../http.js';
import { currentEntry, openedFrom, saveEdit } from '../pages/saveEdit.js';
import { saveDestination } from '../review/reviewPolicy.js';
import { changeUrl, recordSubmission } from '../review/submissions.js';

const ROUTE = /^\/edit\/(history|restore)\/(.+)$/;

export function historyRoutes(context: EditorContext): EditorRoute {
  return async (req, res) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === '/edit/trash' && get) return trash(context, res, pageFrom(req.query.from));
    const m = ROUTE.exec(req.path);
    if (!m) return false;
    const file = contentFileFrom(m[2]!, isEditableFile);
    if (!file) return noSuchFile(context, res);
    if (m[1] === 'history' && get)
      return typeof req.query.at === 'string'
        ? version(context, res, file, req.query.at)
        : history(context, res, file, pageFrom(req.query.from));
    if (m[1] === 'restore' && !get) return restore(context, req, res, file);
    return false;
  };
}

function versionNotFound(context: EditorContext, res: Response, file: string): true {
  const history = { href: `/edit/history/${file}`, text: 'History' };
  sendHtml(res, 404, message(context, 'Version not found', ['There is no such version of this page.'], history, res));
  return true;
}

function describeEntry(entry: HistoryEntry) {
  return {
    id: entry.id,
    short: entry.id.slice(0, 7),
    when: formatDateTime(entry.date),
    who: authorName(entry.author),
    action: entry.action === 'removed' ? 'Deleted' : 'Saved',
    message: entry.message ?? '',
  };
}

/** Where a page of a long history starts: an entry id from an "Older versions" link. */
function pageFrom(from: unknown): string | undefined {
  return typeof from === 'string' && /^[0-9a-z-]{1,64}$/.test(from) ? from : undefined;
}

/** The address of a list's next, older page; null on its last page. */
function olderLink(base: string, older: string | null): string | null {
  return older === null ? null : `${base}?from=${encodeURIComponent(older)}`;
}

async function history(context: EditorContext, res: Response, file: string, from: string | undefined): Promise<true> {
  const page = await context.store.history(file, from ? { from } : {});
  const current = await context.store.read(file);
  // Only the newest version can be the one on the website: its bytes are the one version read.
  const newest = from === undefined ? page.entries[0] : undefined;
  const newestIsCurrent =
    newest !== undefined &&
    newest.action !== 'removed' &&
    current !== null &&
    versionOf((await context.store.readAt(file, newest.id)) ?? Buffer.alloc(0)) === current.version;
  const title = pageOf(context, file)?.frontMatter.title ?? file;
  sendHtml(
    res,
    200,
    context.views.render('history', {
      ...signedIn(res, 'pages'),
      pageTitle: `History of ${title}`,
      title,
      file,
      exists: current !== null,
      entries: page.entries.map((e) => ({ ...describeEntry(e), current: e === newest && newestIsCurrent })),
      newer: from !== undefined,
      older: olderLink(`/edit/history/${file}`, page.older),
      pageSize: HISTORY_PAGE_SIZE,
    }),
  );
  return true;
}

/** One version: what it changed (against the version before it), and "Restore this version". */
async function version(context: EditorContext, res: Response, file: string, id: string): Promise<true> {
  const [entry, previous] = (await context.store.history(file, { from: id, limit: 2 })).entries;
  const bytes = entry?.id === id ? await context.store.readAt(file, id) : null;
  if (!entry || bytes === null) {
    return versionNotFound(context, res, file);
  }
  const before =
    previous && previous.action !== 'removed'
      ? ((await context.store.readAt(file, previous.id))?.toString('utf8') ?? '')
      : '';
  const after = entry.action === 'removed' ? '' : bytes.toString('utf8');
  const current = await context.store.read(file);
  const isCurrent = current !== null && entry.action !== 'removed' && current.version === versionOf(bytes);
  const title = pageOf(context, file)?.frontMatter.title ?? file;
  sendHtml(
    res,
    200,
    context.views.render('version', {
      ...signedIn(res, 'pages'),
      pageTitle: `Version of ${formatDateTime(entry.date)}: ${title}`,
      title,
      file,
      entry: describeEntry(entry),
      diff: wordDiff(before, after),
      firstVersion: !previous,
      isCurrent,
      canRestore: !isCurrent,
      currentVersion: current?.version ?? '',
      currentAt: current ? ((await currentEntry(context.store, file)) ?? '') : '',
      text: bytes.toString('utf8'),
    }),
  );
  return true;
}

async function restore(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const id = String(body.entry ?? '');
  const [entry] = (await context.store.history(file, { from: id, limit: 1 })).entries;
  const bytes = entry?.id === id ? await context.store.readAt(file, id) : null;
  if (!entry || bytes === null) {
    return versionNotFound(context, res, file);
  }
  const destination = await saveDestination(context, res.locals.editor!.user, file, bytes.toString('utf8'));
  const outcome = await saveEdit(destination.deps, {
    file,
    text: bytes.toString('utf8'),
    ...openedFrom(body),
    author: { name: res.locals.editor!.user.displayName, email: res.locals.editor!.user.email },
    message: `Restore ${file} to the version of ${formatDateTime(entry.date)} (${entry.id.slice(0, 7)})`,
  });
  const user = res.locals.editor!.user.name;
  if (outcome.kind === 'saved' && destination.pending) {
    const change = await recordSubmission(context, user, res.locals.clientAddress!, destination.pending, 'a restore');
    seeOther(res, change ? `${changeUrl(change)}?notice=submitted` : `/edit/history/${file}`);
    return true;
  }
  if (outcome.kind === 'saved') {
    await context.audit.record({
      event: 'page-restored',
      user,
      from: res.locals.clientAddress!,
      path: file,
      detail: `${entry.id} -> ${outcome.version}`,
    });
    seeOther(res, `/edit/${file.endsWith('.md') ? 'page' : 'source'}/${file}?notice=restored`);
    return true;
  }
  if (outcome.kind === 'conflict') {
    sendHtml(
      res,
      200,
      message(
        context,
        'The page changed meanwhile',
        [
          'Someone saved this page after you opened its history, so nothing was restored. ' +
            'Open the history again to see their change, then restore if you still want to.',
        ],
        { href: `/edit/history/${file}`, text: 'History' },
        res,
      ),
    );
    return true;
  }
  const problems = outcome.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}, line ${d.line}: ${d.message}`);
  sendHtml(
    res,
    200,
    message(
      context,
      'This version cannot be restored as it is',
      [
        'It has problems with the website as it is now, so nothing was restored:',
        ...problems,
        'Open the page, make the change by hand and save it.',
      ],
      { href: `/edit/history/${file}`, text: 'History' },
      res,
    ),
  );
  return true;
}

async function trash(context: EditorContext, res: Response, from: string | undefined): Promise<true> {
  const page = await context.store.trash(from ? { from } : {});
  sendHtml(
    res,
    200,
    context.views.render('trash', {
      ...signedIn(res, 'trash'),
      pageTitle: 'Deleted pages',
      entries: page.entries.map((e) => ({ ...describeEntry(e), file: e.path })),
      newer: from !== undefined,
      older: olderLink('/edit/trash', page.older),
    }),
  );
  return true;
}
