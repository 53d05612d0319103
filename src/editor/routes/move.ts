/**
 * Moving or renaming a page in the editor: the same plan as `npm run move`
 * (content/movePage.ts), checked like a save, written as one change, and the
 * old address kept as a permanent redirect to the new one.
 */
import type { Request, Response } from 'express';
import { planMove } from '../../content/movePage.js';
import { changedContent, storeChanges } from '../../store/plannedChanges.js';
import { noSuchFile, pageOf, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { contentFileFrom, seeOther, sendHtml } from '../http.js';
import { saveChanges } from '../pages/saveChanges.js';
import { filesWithWaitingChanges, refusedForReview } from '../uploads/underReview.js';

const MOVE_ROUTE = /^\/edit\/move\/(.+)$/;

export function moveRoutes(context: EditorContext): EditorRoute {
  return async (req, res) => {
    const m = MOVE_ROUTE.exec(req.path);
    if (!m) return false;
    const file = contentFileFrom(m[1]!, (f) => f.endsWith('.md'));
    const page = file ? pageOf(context, file) : undefined;
    if (!file || !page || page.role !== 'page') return noSuchFile(context, res);
    if (refusedForReview(context, req, res, 'move')) return true;
    const get = req.method === 'GET' || req.method === 'HEAD';
    const current = page.url.slice(1, -1);
    if (get) return moveForm(context, res, file, { address: current }, null);
    return movePage(context, req, res, file);
  };
}

function moveForm(
  context: EditorContext,
  res: Response,
  file: string,
  values: { address: string },
  error: string | null,
): true {
  const page = pageOf(context, file)!;
  const section = file.endsWith('/index.md');
  const inside = section
    ? context.live.sourcePages().filter((s) => s.page !== page && s.page.source.startsWith(file.slice(0, -8))).length
    : 0;
  sendHtml(
    res,
    200,
    context.views.render('move', {
      ...signedIn(res, 'pages'),
      pageTitle: `Move ${page.frontMatter.title}`,
      file,
      title: page.frontMatter.title,
      url: page.url,
      section,
      inside,
      values,
      fieldErrors: error ? { address: { text: error } } : {},
      errors: error ? [{ text: error, href: '#address' }] : [],
    }),
  );
  return true;
}

async function movePage(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const address = String(body.address ?? '').trim();
  const values = { address };
  if (address === '')
    return moveForm(context, res, file, values, 'Enter the new web address, for example work-streams/new-name');
  const folder = await context.store.readAll();
  const bytes = new Map(folder.entries.map((e) => [e.path, e.bytes ?? null]));
  const bytesAt = (p: string) => bytes.get(p) ?? null;
  const planned = planMove(
    { entries: folder.entries, pages: context.live.sourcePages().map((s) => s.page) },
    file,
    address,
  );
  if (!planned.ok) return moveForm(context, res, file, values, capitalise(planned.message));
  const { plan } = planned;
  const waiting = filesWithWaitingChanges(context, [
    ...new Set(plan.changes.map((c) => (c.kind === 'move' ? c.from : (c.from ?? c.path)))),
  ]);
  if (waiting.length > 0)
    return moveForm(
      context,
      res,
      file,
      values,
      `${waiting.join(', ')} ${waiting.length === 1 ? 'has a change' : 'have changes'} waiting for review: ` +
        'a publisher publishes or sends back what waits, then the page can move',
    );
  const user = res.locals.editor!.user;
  const outcome = await saveChanges(context, {
    changes: storeChanges(plan.changes, bytesAt),
    content: changedContent(plan.changes, bytesAt),
    author: { name: user.displayName, email: user.email },
    message: `Move “${pageOf(context, file)?.frontMatter.title ?? file}” from ${plan.fromUrl} to ${plan.toUrl}`,
  });
  if (outcome.kind === 'conflict')
    return moveForm(context, res, file, values, `${outcome.file} was changed a moment ago by someone else: try again`);
  if (outcome.kind === 'invalid') {
    const problems = outcome.diagnostics.filter((d) => d.severity === 'error');
    const text = problems.map((d) => `${d.file}, line ${d.line}: ${d.message}`).join('. ');
    return moveForm(context, res, file, values, `The page cannot move there: ${text}`);
  }
  await context.audit.record({
    event: 'page-moved',
    user: user.name,
    from: res.locals.clientAddress!,
    path: plan.from,
    detail: `${plan.fromUrl} -> ${plan.toUrl}`,
  });
  seeOther(res, `/edit/page/${plan.to}?notice=moved`);
  return true;
}

/** A sentence starts with a capital, unless it starts with a file's name. */
function capitalise(s: string): string {
  return /^[a-z]+[\s,:]/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
