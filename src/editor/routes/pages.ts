/**
 * The pages: the list, a page's form with its preview, the whole-file
 * editor, creating and deleting a page, and a kept conflict. Every save
 * goes through saveEdit (validated like `npm run check`, written over the
 * version the form was opened from, merged or kept as a conflict).
 */
import type { Request, Response } from 'express';
import type { Diagnostic } from '../../content/diagnostics.js';
import { planNewPage, rankCategories } from '../../content/newPage.js';
import { ukDate } from '../../content/publication.js';
import { RESERVED_SECTIONS, SETTINGS_FILE } from '../../content/buildSite.js';
import { message, noSuchFile, pageOf, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { buildControls } from '../forms/controls.js';
import { placeDiagnostics } from '../forms/fieldErrors.js';
import { fieldsFor } from '../forms/fields.js';
import { MAX_ROWS, openPage, writePage, type FormValues } from '../forms/pageForm.js';
import { wordDiff } from '../history/wordDiff.js';
import { ago, contentFileFrom, formatDateTime, isEditableFile, seeOther, sendHtml } from '../http.js';
import { pageTree } from '../pages/pageTree.js';
import type { KeptConflict } from '../pages/keptConflicts.js';
import { currentEntry, findVersion, openedFrom, saveEdit, type Opened, type SaveOutcome } from '../pages/saveEdit.js';
import type { PendingTarget } from '../review/pendingChanges.js';
import { readTarget, saveDestination, savesGoToReview, waitsForReview } from '../review/reviewPolicy.js';
import { changeUrl, recordSubmission } from '../review/submissions.js';
import { canPublish } from '../users/users.js';

const FILE_ROUTE = /^\/edit\/(page|preview|source|conflict|delete)\/(.+)$/;
const BODY_HINT =
  'Written in Markdown: start a heading with ##, a list item with -, and write a link as [words](/address/). ' +
  'Write {{contactEmail}} where the contact email address should appear.';
/**
 * The preview's notice on a draft says what to do here; the page comes
 * without its scripts, since the sandboxed preview frame runs none.
 */
export const EDITOR_PREVIEW = { publishDraftAdvice: 'To publish it, untick "Draft" and save.', withoutScripts: true };
/** Files the site cannot do without: they can be changed, not deleted. */
const KEPT_FILES = new Set(['index.md', '404.md', '500.md', SETTINGS_FILE]);

export function pageRoutes(context: EditorContext): EditorRoute {
  return async (req, res) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === '/edit/' && get) return home(context, res);
    if (req.path === '/edit/new') return get ? newPageForm(context, res, {}, {}) : createPage(context, req, res);
    const m = FILE_ROUTE.exec(req.path);
    if (!m) return false;
    const file = contentFileFrom(m[2]!, isEditableFile);
    if (!file) return noSuchFile(context, res);
    switch (m[1]) {
      case 'page':
        if (!file.endsWith('.md')) return redirectTo(res, `/edit/source/${file}`);
        return get ? pageForm(context, req, res, file) : postPageForm(context, req, res, file);
      case 'preview':
        return get ? false : livePreview(context, req, res, file);
      case 'source':
        return get ? sourceForm(context, res, file, null) : postSource(context, req, res, file);
      case 'conflict':
        return get ? conflictPage(context, req, res, file) : discardConflict(context, req, res, file);
      case 'delete':
        return get ? deleteForm(context, res, file) : deletePage(context, req, res, file);
    }
    return false;
  };
}

function redirectTo(res: Response, location: string): true {
  seeOther(res, location);
  return true;
}

function author(res: Response): { name: string; email: string } {
  const user = res.locals.editor!.user;
  return { name: user.displayName, email: user.email };
}

async function home(context: EditorContext, res: Response): Promise<true> {
  const { tree, specialPages } = pageTree(context.live.sourcePages(), ukDate(context.now()));
  const problems = new Map<string, string>();
  for (const d of context.live.previewStatus().diagnostics) {
    if (d.severity === 'error' && !problems.has(d.file)) problems.set(d.file, `line ${d.line}: ${d.message}`);
  }
  const conflicts = await context.conflicts.list(res.locals.editor!.user.name);
  const user = res.locals.editor!.user;
  const open = context.review.all().filter((c) => c.state === 'waiting' || c.state === 'returned');
  sendHtml(
    res,
    200,
    context.views.render('home', {
      ...signedIn(res, 'pages'),
      pageTitle: 'Pages',
      tree,
      specialPages,
      problems: [...problems].map(([file, text]) => ({ file, message: text, form: file.endsWith('.md') })),
      conflicts: conflicts.map((c) => ({ file: c.file, id: c.id, when: ago(context.now() - Date.parse(c.keptAt)) })),
      myChanges: open
        .filter((c) => c.author === user.name)
        .map((c) => ({ id: c.id, title: c.title, returned: c.state === 'returned' })),
      waitingForMe: canPublish(user.role)
        ? open.filter((c) => c.state === 'waiting' && c.author !== user.name).length
        : 0,
      notice:
        res.req.query.notice === 'deleted'
          ? 'The page was deleted. You can bring it back from Deleted pages.'
          : undefined,
    }),
  );
  return true;
}

// ---------------------------------------------------------------- the page form

interface FormState {
  file: string;
  opened: Opened;
  values: FormValues;
  body: string;
  rows: Record<string, number>;
  /** The file the form stands for, for the preview and for placing errors. */
  text: string;
  diagnostics: Diagnostic[];
  notice?: string;
  status?: number;
}

async function pageForm(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const mine = context.review.openChange(res.locals.editor!.user.name, file);
  // A change of theirs that must be combined with the published page, or a deletion, is shown as the change.
  if (mine && (mine.conflict || mine.kind === 'delete')) return redirectTo(res, changeUrl(mine));
  // Their open change, when they have one: the form is opened at its newest version.
  const target = readTarget(context, res.locals.editor!.user, file);
  const current = await target.read(file);
  if (!current) return missing(context, res, file);
  const text = current.bytes.toString('utf8');
  const opened = openPage(fieldsFor(file), text);
  if (!opened) return redirectTo(res, `/edit/source/${file}`);
  const notices: Record<string, string> = {
    saved: 'Saved. The website shows the new version now.',
    merged: 'Saved. Someone else changed other parts of this page meanwhile: both changes are kept.',
    restored: 'The earlier version is restored and is now on the website.',
    created: 'The page is created as a draft. Fill in its description and content, then untick "Draft" to publish it.',
    moved: 'The page is moved. Its old web address takes visitors here (see "Former web addresses").',
    submitted:
      'Saved for review. A publisher will check your change before it goes on the website: ' +
      'until then, visitors see the page as it was.',
    unchanged: 'Nothing was changed: the page is the same as before.',
  };
  const notice = typeof req.query.notice === 'string' ? notices[req.query.notice] : undefined;
  const diagnostics = context.live.validateEdit(file, current.bytes).filter((d) => d.file === file);
  renderPageForm(
    context,
    res,
    {
      file,
      opened: { openedVersion: current.version, openedAt: await currentEntry(target, file) },
      ...opened,
      text,
      diagnostics,
      ...(notice ? { notice } : {}),
    },
    true,
  );
  return true;
}

async function postPageForm(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const values = formValues(body);
  const opened = openedFrom(body);
  const fields = fieldsFor(file);
  const text = writePage(
    fields,
    values,
    typeof body.body === 'string' ? body.body : '',
    await baseText(context, res, file, opened),
  );
  const rows = rowCounts(fields, values);
  const pageBody = typeof body.body === 'string' ? body.body.replace(/\r\n?/g, '\n') : '';
  if (body.action !== 'save') {
    const diagnostics = context.live.validateEdit(file, Buffer.from(text)).filter((d) => d.file === file);
    renderPageForm(context, res, { file, opened, values, body: pageBody, rows, text, diagnostics }, false);
    return true;
  }
  const destination = await saveDestination(context, res.locals.editor!.user, file, text);
  const outcome = await saveEdit(destination.deps, {
    file,
    text,
    ...opened,
    author: author(res),
    message: `Edit ${pageName(context, file, text)}`,
  });
  if (outcome.kind === 'invalid') {
    renderPageForm(
      context,
      res,
      { file, opened, values, body: pageBody, rows, text, diagnostics: outcome.diagnostics },
      false,
    );
    return true;
  }
  return afterSave(context, res, file, outcome, 'page-saved', destination.pending);
}

/**
 * After a save: a conflict is kept (beside any others) and shown; a saved
 * text is recorded, or, when it went to a change waiting for review, sent
 * for review. Only a save from a conflict's own page (its form names the
 * conflict) closes that conflict: archived, never deleted.
 */
export async function afterSave(
  context: EditorContext,
  res: Response,
  file: string,
  outcome: SaveOutcome,
  event: 'page-saved' | 'page-restored' | 'page-created',
  pending: PendingTarget | null = null,
  resolving: KeptConflict | null = null,
): Promise<true> {
  const user = res.locals.editor!.user.name;
  if (outcome.kind === 'conflict') {
    const kept = await context.conflicts.keep(user, {
      file,
      mine: outcome.mine,
      theirVersion: outcome.theirVersion,
      keptAt: new Date(context.now()).toISOString(),
    });
    // Saving a resolution that conflicted again: the new conflict holds the newer text.
    if (resolving) await context.conflicts.resolve(user, resolving.id, 'kept again');
    await context.audit.record({
      event: 'page-conflict',
      user,
      from: res.locals.clientAddress!,
      path: file,
      detail: 'kept for its author to resolve',
    });
    return redirectTo(res, conflictAddress(kept));
  }
  if (outcome.kind !== 'saved') throw new Error('an invalid save reached afterSave');
  if (resolving) await context.conflicts.resolve(user, resolving.id, 'saved');
  if (pending) {
    const what = event === 'page-restored' ? 'a restore' : outcome.merged ? 'merged' : 'saved';
    const change = await recordSubmission(context, user, res.locals.clientAddress!, pending, what);
    const form = `/edit/${file.endsWith('.md') ? 'page' : 'source'}/${file}`;
    return redirectTo(res, `${form}?notice=${change ? 'submitted' : 'unchanged'}`);
  }
  await context.audit.record({
    event: outcome.merged ? 'page-merged' : event,
    user,
    from: res.locals.clientAddress!,
    path: file,
    detail: outcome.version,
  });
  const notice =
    event === 'page-created' ? 'created' : event === 'page-restored' ? 'restored' : outcome.merged ? 'merged' : 'saved';
  return redirectTo(res, `/edit/${file.endsWith('.md') ? 'page' : 'source'}/${file}?notice=${notice}`);
}

function conflictAddress(conflict: KeptConflict): string {
  return `/edit/conflict/${conflict.file}?kept=${conflict.id}`;
}

function renderPageForm(context: EditorContext, res: Response, state: FormState, opening: boolean): void {
  const fields = fieldsFor(state.file);
  const placed = placeDiagnostics(state.file, state.text, fields, state.diagnostics, 'body');
  const editor = res.locals.editor!;
  const others = opening ? context.presence.open(state.file, editor.user.name, editor.user.displayName) : [];
  const preview = context.live.previewEdit(state.file, Buffer.from(state.text), EDITOR_PREVIEW);
  const page = pageOf(context, state.file);
  const title = state.values['fm-title']?.trim() || page?.frontMatter.title || state.file;
  sendHtml(
    res,
    state.status ?? 200,
    context.views.render('page-form', {
      ...signedIn(res, 'pages'),
      pageTitle: `Edit ${title}`,
      heading: `Edit “${title}”`,
      containerClass: 'nhsuk-width-container-fluid app-edit-container',
      file: state.file,
      url: page?.role === 'page' ? page.url : null,
      version: state.opened.openedVersion ?? '',
      at: state.opened.openedAt ?? '',
      controls: buildControls(fields, state.values, placed.fields, state.rows),
      body: state.body,
      bodyHint: BODY_HINT,
      bodyErrorsHtml: bodyErrors(placed.body),
      errors: placed.summary,
      warnings: placed.warnings.map((d) => `Line ${d.line}: ${d.message}`),
      others: others.map((o) => ({ displayName: o.displayName, ago: ago(context.now() - o.at) })),
      previewHtml: preview.html
        ? inFrame(preview.html)
        : placeholderPreview('The preview appears when the problems in the form are fixed.'),
      previewStatus: preview.html
        ? 'The preview shows the page as the website will show it after saving.'
        : 'The page cannot be previewed until the problems in the form are fixed.',
      deletable: !KEPT_FILES.has(state.file),
      movable: !KEPT_FILES.has(state.file) && page?.role === 'page',
      documentId: page?.documentId,
      notice: state.notice,
      review: reviewState(context, res, state.file),
    }),
  );
}

/** What the form says about review: the person's change to the page, others' changes, where a save goes. */
export function reviewState(context: EditorContext, res: Response, file: string) {
  const user = res.locals.editor!.user;
  const mine = context.review.openChange(user.name, file);
  const others = context.review.openChangesTo(file).filter((c) => c.author !== user.name);
  return {
    mine: mine && {
      url: changeUrl(mine),
      returned: mine.state === 'returned',
      when: ago(context.now() - Date.parse(mine.submitted)),
      comments: mine.comments.map((c) => ({ byName: c.byName, text: c.text })),
    },
    others: others.map((c) => ({ authorName: c.authorName, url: changeUrl(c) })),
    goesToReview: !mine && savesGoToReview(context, user),
  };
}

/** The body's problems as an error message: escaped here, since it is passed to the macro as HTML. */
function bodyErrors(errors: ReadonlyArray<{ line: number; message: string }>): string | undefined {
  if (errors.length === 0) return undefined;
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return errors.map((e) => `Line ${e.line}: ${escape(e.message)}`).join('<br>');
}

/** The live preview, for the editor's script: the page as it would be, and whether it can be shown. */
async function livePreview(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const text =
    file.endsWith('.md') && body.whole === undefined
      ? writePage(
          fieldsFor(file),
          formValues(body),
          typeof body.body === 'string' ? body.body : '',
          await baseText(context, res, file, openedFrom(body)),
        )
      : String(body.whole ?? '').replace(/\r\n?/g, '\n');
  const preview = context.live.previewEdit(file, Buffer.from(text), EDITOR_PREVIEW);
  const errors = preview.diagnostics.filter((d) => d.file === file && d.severity === 'error').length;
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      html: preview.html ? inFrame(preview.html) : null,
      status: preview.html
        ? 'The preview shows the page as the website will show it after saving.'
        : `The page cannot be previewed: ${errors === 1 ? 'there is 1 problem' : `there are ${errors} problems`}. ` +
          'Select Preview to see where.',
    }),
  );
  return true;
}

/**
 * The page as the preview frame shows it: its links open the website in a new
 * tab, so following one never leaves the form (and what was typed in it).
 */
export function inFrame(html: string): string {
  // Pictures come from the editor, which has drafts' pictures too (the public site serves only published ones).
  return html
    .replace('<head>', '<head>\n  <base target="_blank">')
    .replace(/ src="\/assets\/content\//g, ' src="/edit/assets/content/')
    .replace(/ srcset="([^"]*)"/g, (_m, set: string) => ` srcset="${set.replace(/\/assets\/content\//g, '/edit$&')}"`);
}

/** A complete little document for the preview frame when there is nothing to show. */
export function placeholderPreview(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const head = '<head><meta charset="utf-8"><title>Preview</title></head>';
  return `<!DOCTYPE html><html lang="en-GB">${head}<body><p>${escaped}</p></body></html>`;
}

// ---------------------------------------------------------------- the whole file

async function sourceForm(
  context: EditorContext,
  res: Response,
  file: string,
  state: { text: string; opened: Opened; diagnostics: Diagnostic[]; conflict: KeptConflict | null } | null,
  notice?: string,
): Promise<true> {
  let text = state?.text;
  let opened = state?.opened;
  if (!state) {
    const mine = context.review.openChange(res.locals.editor!.user.name, file);
    if (mine && (mine.conflict || mine.kind === 'delete')) return redirectTo(res, changeUrl(mine));
    const target = readTarget(context, res.locals.editor!.user, file);
    const current = await target.read(file);
    if (!current) return missing(context, res, file);
    text = current.bytes.toString('utf8');
    opened = { openedVersion: current.version, openedAt: await currentEntry(target, file) };
  }
  const diagnostics =
    state?.diagnostics ?? context.live.validateEdit(file, Buffer.from(text!)).filter((d) => d.file === file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  sendHtml(
    res,
    200,
    context.views.render('source', {
      ...signedIn(res, 'pages'),
      pageTitle: `Edit ${file}`,
      file,
      text,
      version: opened?.openedVersion ?? '',
      at: opened?.openedAt ?? '',
      conflict: state?.conflict?.id,
      isPage: file.endsWith('.md'),
      errors: errors.map((d) => ({
        text: `${d.file === file ? '' : `${d.file}, `}line ${d.line}: ${d.message}`,
        href: '#whole',
      })),
      errorText: errors.length
        ? errors.map((d) => `${d.file === file ? '' : `${d.file}, `}Line ${d.line}: ${d.message}`).join('. ')
        : undefined,
      warnings: diagnostics.filter((d) => d.severity === 'warning').map((d) => `Line ${d.line}: ${d.message}`),
      notice:
        notice ??
        (res.req.query.notice === 'saved'
          ? 'Saved. The website shows the new version now.'
          : res.req.query.notice === 'restored'
            ? 'The earlier version is restored and is now on the website.'
            : res.req.query.notice === 'submitted'
              ? 'Saved for review. A publisher will check your change before it goes on the website.'
              : res.req.query.notice === 'unchanged'
                ? 'Nothing was changed: the file is the same as before.'
                : undefined),
      review: reviewState(context, res, file),
    }),
  );
  return true;
}

async function postSource(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const text = String(body.whole ?? '').replace(/\r\n?/g, '\n');
  const opened = openedFrom(body);
  // Sent from a conflict's page: saving resolves that conflict.
  const kept = await context.conflicts.get(res.locals.editor!.user.name, body.conflict);
  const resolving = kept?.file === file ? kept : null;
  const destination = await saveDestination(context, res.locals.editor!.user, file, text);
  const outcome = await saveEdit(destination.deps, {
    file,
    text,
    ...opened,
    author: author(res),
    message: `Edit ${pageName(context, file, text)}`,
  });
  if (outcome.kind === 'invalid')
    return sourceForm(context, res, file, { text, opened, diagnostics: outcome.diagnostics, conflict: resolving });
  return afterSave(context, res, file, outcome, 'page-saved', destination.pending, resolving);
}

// ---------------------------------------------------------------- conflicts

/** A kept conflict: the one the address names, or this person's newest on the page. */
async function conflictPage(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const user = res.locals.editor!.user.name;
  const named = await context.conflicts.get(user, req.query.kept);
  const kept =
    named?.file === file ? named : (await context.conflicts.list(user)).filter((c) => c.file === file).at(-1);
  if (!kept) return redirectTo(res, `/edit/page/${file}`);
  const target = readTarget(context, res.locals.editor!.user, file);
  const current = await target.read(file);
  const theirs = current?.bytes.toString('utf8') ?? '';
  const [history] = current ? (await target.history(file, { limit: 1 })).entries : [];
  sendHtml(
    res,
    200,
    context.views.render('conflict', {
      ...signedIn(res, 'pages'),
      pageTitle: `Choose what to save: ${file}`,
      file,
      conflict: kept.id,
      mine: kept.mine,
      theirs,
      deleted: current === null,
      version: current?.version ?? '',
      at: current && history?.action !== 'removed' ? (history?.id ?? '') : '',
      savedBy: history
        ? `${history.author?.replace(/\s*<[^>]*>$/, '') ?? 'Someone'} saved it on ${formatDateTime(history.date)}`
        : null,
      diff: wordDiff(theirs, kept.mine),
    }),
  );
  return true;
}

/** "Discard my version": the conflict is closed and archived (its text is kept there, never deleted). */
async function discardConflict(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const user = res.locals.editor!.user.name;
  const kept = await context.conflicts.get(user, (req.body as Record<string, unknown>).kept);
  if (kept?.file === file) await context.conflicts.resolve(user, kept.id, 'discarded');
  return redirectTo(res, `/edit/page/${file}`);
}

// ---------------------------------------------------------------- new pages

interface NewPageValues {
  section?: string;
  name?: string;
  title?: string;
}

function sectionsOf(context: EditorContext): Array<{ value: string; text: string }> {
  const sections = context.live
    .sourcePages()
    .filter(({ page }) => page.role === 'page' && page.source.endsWith('/index.md'))
    .map(({ page }) => ({
      value: page.source.slice(0, -'/index.md'.length),
      text: `${page.frontMatter.title} (${page.url})`,
    }))
    .sort((a, b) => a.value.localeCompare(b.value));
  return [{ value: '', text: 'The top of the site (/)' }, ...sections];
}

function newPageForm(
  context: EditorContext,
  res: Response,
  values: NewPageValues,
  errors: Record<string, string>,
): true {
  sendHtml(
    res,
    200,
    context.views.render('new-page', {
      ...signedIn(res, 'new'),
      pageTitle: 'Create a new page',
      sections: sectionsOf(context).map((s) => ({ ...s, selected: s.value === (values.section ?? '') })),
      values,
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { text: v }])),
      errors: Object.entries(errors).map(([k, v]) => ({ text: v, href: `#${k}` })),
    }),
  );
  return true;
}

async function createPage(context: EditorContext, req: Request, res: Response): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const values: NewPageValues = {
    section: String(body.section ?? ''),
    name: String(body.name ?? '').trim(),
    title: String(body.title ?? '').trim(),
  };
  const errors: Record<string, string> = {};
  if (!sectionsOf(context).some((s) => s.value === values.section)) errors.section = 'Choose a section from the list';
  if (values.name === '') errors.name = 'Enter the last part of the web address, for example survey-results';
  else if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.name!))
    errors.name =
      'The web address can only use lowercase letters, digits and single hyphens, for example survey-results';
  else if (values.section === '' && RESERVED_SECTIONS.has(values.name!))
    errors.name = `The web address /${values.name}/ is used by the site itself: choose another`;
  if (values.title === '') errors.title = 'Enter a title for the page';
  if (Object.keys(errors).length) return newPageForm(context, res, values, errors);
  // The paths only: the folder may hold documents of many megabytes, and none of them needs reading here.
  const existing = new Set((await context.store.list()).map((e) => e.path));
  const target = values.section ? `${values.section}/${values.name}` : values.name!;
  // A new document (in the documents section) takes the category most documents use.
  const categories = rankCategories(context.live.sourcePages().map(({ page }) => page.document?.category));
  const plan = planNewPage(target, values.title!, ukDate(context.now()), (p) => existing.has(p), categories);
  if (!plan.ok)
    return newPageForm(context, res, values, {
      [/title/.test(plan.message) ? 'title' : 'name']: capitalise(plan.message),
    });
  const destination = await saveDestination(context, res.locals.editor!.user, plan.plan.file, plan.plan.text);
  const outcome = await saveEdit(destination.deps, {
    file: plan.plan.file,
    text: plan.plan.text,
    openedVersion: null,
    openedAt: null,
    author: author(res),
    message: `Create ${values.title} (${plan.plan.file})`,
  });
  if (outcome.kind === 'invalid')
    return newPageForm(context, res, values, {
      name: capitalise(
        outcome.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the page could not be created',
      ),
    });
  if (outcome.kind === 'conflict')
    return newPageForm(context, res, values, {
      name: `${plan.plan.file} was created by someone else a moment ago: choose another address`,
    });
  if (destination.pending) {
    const change = await recordSubmission(
      context,
      res.locals.editor!.user.name,
      res.locals.clientAddress!,
      destination.pending,
      'a new page',
    );
    return redirectTo(res, `/edit/page/${plan.plan.file}?notice=${change ? 'submitted' : 'unchanged'}`);
  }
  await context.audit.record({
    event: 'page-created',
    user: res.locals.editor!.user.name,
    from: res.locals.clientAddress!,
    path: plan.plan.file,
    detail: outcome.version,
  });
  return redirectTo(res, `/edit/page/${plan.plan.file}?notice=created`);
}

// ---------------------------------------------------------------- deleting

/** Why a file cannot be deleted now (the site needs it, or published pages link to it); empty when it can. */
export function deleteProblems(context: EditorContext, file: string): string[] {
  if (KEPT_FILES.has(file)) return ['The website cannot do without this file: it can be changed but not deleted.'];
  const sources = context.live.sourcePages();
  const page = sources.find((s) => s.page.source === file)?.page;
  if (!page) return [];
  const problems: string[] = [];
  if (file.endsWith('/index.md')) {
    const folder = file.slice(0, -'index.md'.length);
    const inside = sources.filter((s) => s.page.source !== file && s.page.source.startsWith(folder)).length;
    if (inside > 0)
      problems.push(
        `This is the page of a section with ${inside} other ${inside === 1 ? 'page' : 'pages'} in it: ` +
          'delete or move those first.',
      );
  }
  const linking = sources.filter(
    (s) => s.page !== page && s.page.links.some((l) => l.target.kind === 'path' && l.target.pathname === page.url),
  );
  for (const s of linking)
    problems.push(`“${s.page.frontMatter.title}” (${s.page.source}) links to this page: change that link first.`);
  if (page.documentId !== undefined && sources.some((s) => s.page.frontMatter.documents?.includes(page.documentId!))) {
    problems.push('Other pages list this document: remove it from their documents first.');
  }
  return problems;
}

async function deleteForm(context: EditorContext, res: Response, file: string): Promise<true> {
  const current = await context.store.read(file);
  if (!current) return missing(context, res, file);
  const page = pageOf(context, file);
  sendHtml(
    res,
    200,
    context.views.render('delete', {
      ...signedIn(res, 'pages'),
      pageTitle: `Delete ${page?.frontMatter.title ?? file}`,
      file,
      title: page?.frontMatter.title ?? file,
      url: page?.role === 'page' ? page.url : null,
      version: current.version,
      problems: deleteProblems(context, file),
      forReview: waitsForReview(context, res.locals.editor!.user, file, current.bytes.toString('utf8'), null),
    }),
  );
  return true;
}

async function deletePage(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const problems = deleteProblems(context, file);
  const current = await context.store.read(file);
  if (!current) return missing(context, res, file);
  if (problems.length > 0 || body.version !== current.version) {
    if (problems.length === 0)
      problems.push('The page changed since you opened this: check it again before deleting it.');
    sendHtml(
      res,
      200,
      context.views.render('delete', {
        ...signedIn(res, 'pages'),
        pageTitle: `Delete ${file}`,
        file,
        title: pageOf(context, file)?.frontMatter.title ?? file,
        version: current.version,
        problems,
        errors: problems.map((p) => ({ text: p, href: '#delete' })),
      }),
    );
    return true;
  }
  const title = pageOf(context, file)?.frontMatter.title ?? file;
  const destination = await saveDestination(context, res.locals.editor!.user, file, null);
  if (destination.pending) {
    // Their own change to the page, if they have one, becomes the deletion.
    const seen = await destination.pending.read(file);
    if (!seen) return redirectTo(res, changeUrl(context.review.openChange(res.locals.editor!.user.name, file)!));
    await destination.pending.remove(file, {
      expectedVersion: seen.version,
      author: author(res),
      message: `Delete ${title} (${file})`,
    });
    const user = res.locals.editor!.user.name;
    const change = await recordSubmission(context, user, res.locals.clientAddress!, destination.pending, 'deletion');
    return redirectTo(res, `${changeUrl(change!)}?notice=submitted`);
  }
  await context.store.remove(file, {
    expectedVersion: current.version,
    author: author(res),
    message: `Delete ${title} (${file})`,
  });
  await context.live.reload({ content: [file], reason: 'editor delete' });
  await context.audit.record({
    event: 'page-deleted',
    user: res.locals.editor!.user.name,
    from: res.locals.clientAddress!,
    path: file,
  });
  return redirectTo(res, '/edit/?notice=deleted');
}

// ---------------------------------------------------------------- shared

function missing(context: EditorContext, res: Response, file: string): true {
  sendHtml(
    res,
    404,
    message(
      context,
      'This page does not exist',
      [`There is no file ${file}. It may have been deleted: deleted pages can be brought back from Deleted pages.`],
      { href: '/edit/trash', text: 'Deleted pages' },
      res,
    ),
  );
  return true;
}

/** "“Work streams” (work-streams/index.md)" for commit messages. */
export function pageName(context: EditorContext, file: string, text?: string): string {
  const title = (text && /^title:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1]) || pageOf(context, file)?.frontMatter.title;
  return title ? `“${title.trim().slice(0, 80)}” (${file})` : file;
}

/** The file the form was opened from, for writing the form's values back into: its comments and order. */
async function baseText(context: EditorContext, res: Response, file: string, opened: Opened): Promise<string | null> {
  const target = readTarget(context, res.locals.editor!.user, file);
  const current = await target.read(file);
  if (current && (opened.openedVersion === null || current.version === opened.openedVersion))
    return current.bytes.toString('utf8');
  const earlier = opened.openedVersion ? await findVersion(target, file, opened.openedVersion, opened.openedAt) : null;
  return earlier?.toString('utf8') ?? current?.bytes.toString('utf8') ?? null;
}

/** The form's values: its fields only, and no row of a list past MAX_ROWS (a form may name any number). */
function formValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('fm-') || key.split('-').some((part) => /^\d+$/.test(part) && Number(part) >= MAX_ROWS))
      continue;
    values[key] = Array.isArray(value) ? String(value[value.length - 1] ?? '') : String(value ?? '');
  }
  return values;
}

/** Rows to show for each list of groups after a submission: those filled in, plus a blank one, at most MAX_ROWS. */
function rowCounts(fields: ReturnType<typeof fieldsFor>, values: FormValues): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const field of fields) {
    if (field.kind !== 'objectList') continue;
    const row = new RegExp(`^${field.id}-(\\d+)-`);
    let filled = 0;
    for (const key of Object.keys(values)) {
      const m = row.exec(key);
      const index = m ? Number(m[1]) : MAX_ROWS;
      if (index < MAX_ROWS && values[key]!.trim() !== '') filled = Math.max(filled, index + 1);
    }
    rows[field.id] = Math.min(filled + 1, MAX_ROWS);
  }
  return rows;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
