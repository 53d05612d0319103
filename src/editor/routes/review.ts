/**
 * Review before publishing: the list of changes waiting for review, and
 * each change with what it does to the published page (a word diff) and
 * the page as the website would show it. Publishers and admins publish a
 * change or send it back with a comment; its author changes it, withdraws
 * it, or combines it with the published page when that changed in the same
 * lines meanwhile. Every POST here has passed the editor's same-origin
 * check, session and form token (editorApp.ts) before its body was read.
 */
import type { Request, Response } from 'express';
import { hasErrors } from '../../content/diagnostics.js';
import { versionOf } from '../../store/contentStore.js';
import { message, pageOf, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { wordDiff } from '../history/wordDiff.js';
import { ago, formatDateTime, seeOther, sendHtml } from '../http.js';
import { blockingDiagnostics } from '../pages/saveEdit.js';
import { mayDecide, proposal, publish, resolve, sendBack, withdraw, type Decision } from '../review/decisions.js';
import { isOpen, MAX_COMMENT_LENGTH, type PendingChange } from '../review/pendingChanges.js';
import { reviewIsOn } from '../review/reviewPolicy.js';
import { changeUrl } from '../review/submissions.js';
import { canPublish } from '../users/users.js';
import { deleteProblems, EDITOR_PREVIEW, inFrame, placeholderPreview } from './pages.js';

const CHANGE_ROUTE = /^\/edit\/review\/([a-z0-9]{8,40})(?:\/(publish|return|withdraw|resolve))?$/;
const DECIDED_SHOWN = 20;

const STATES = {
  waiting: { text: 'Waiting for review', colour: 'blue' },
  returned: { text: 'Sent back', colour: 'orange' },
  published: { text: 'Published', colour: 'green' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
} as const;

const KINDS = { edit: 'Change', new: 'New page', delete: 'Deletion' } as const;

const NOTICES: Record<string, string> = {
  submitted: 'Saved for review. A publisher will check it before it goes on the website.',
  published: 'Published. The website shows the change now.',
  returned: 'Sent back to its author with your comment.',
  withdrawn: 'The change is withdrawn: nothing of it was published.',
  conflict:
    'Not published: the page on the website was changed in the same lines since this change was made. ' +
    'It has gone back to its author to combine the two.',
};

export function reviewRoutes(context: EditorContext): EditorRoute {
  return async (req, res) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === '/edit/review') return get ? list(context, res) : false;
    const m = CHANGE_ROUTE.exec(req.path);
    if (!m) return false;
    const change = context.review.get(m[1]!);
    if (!change) return notFound(context, res);
    const action = m[2];
    if (action === undefined) return get ? changePage(context, req, res, change, {}) : false;
    if (get) return false;
    const body = req.body as Record<string, unknown>;
    const user = res.locals.editor!.user;
    const from = res.locals.clientAddress!;
    const tip = typeof body.tip === 'string' ? body.tip : '';
    switch (action) {
      case 'publish': {
        if (change.kind === 'delete' && isOpen(change)) {
          const problems = deleteProblems(context, change.file);
          if (problems.length > 0) return changePage(context, req, res, change, { problems, status: 409 });
        }
        return decided(context, req, res, change, await publish(context, user, change, tip, from), 'published');
      }
      case 'return': {
        const comment = typeof body.comment === 'string' ? body.comment : '';
        const outcome = await sendBack(context, user, change, tip, comment, from);
        if (outcome.kind === 'refused' && outcome.reason === 'comment')
          return changePage(context, req, res, change, {
            comment,
            commentError:
              comment.trim() === ''
                ? 'Enter a comment saying what should change'
                : `Your comment must be ${MAX_COMMENT_LENGTH} characters or fewer`,
          });
        return decided(context, req, res, change, outcome, 'returned');
      }
      case 'withdraw':
        return decided(context, req, res, change, await withdraw(context, user, change, from), 'withdrawn');
      case 'resolve': {
        const text = body.action === 'delete' ? null : String(body.whole ?? '').replace(/\r\n?/g, '\n');
        const version = typeof body.version === 'string' ? body.version : '';
        const outcome = await resolve(context, user, change, text, version, from);
        if (outcome.kind === 'invalid')
          return changePage(context, req, res, change, {
            mine: text ?? '',
            problems: outcome.diagnostics
              .filter((d) => d.severity === 'error')
              .map((d) => `${d.file === change.file ? '' : `${d.file}, `}line ${d.line}: ${d.message}`),
          });
        if (outcome.kind === 'moved')
          return changePage(context, req, res, change, {
            mine: text ?? '',
            problems: ['The page on the website changed again while you were combining: look at it again, then save.'],
          });
        return decided(context, req, res, change, outcome, 'submitted');
      }
    }
    return false;
  };
}

function notFound(context: EditorContext, res: Response): true {
  const back = { href: '/edit/review', text: 'Waiting for review' };
  sendHtml(res, 404, message(context, 'Change not found', ['There is no such change.'], back, res));
  return true;
}

async function decided(
  context: EditorContext,
  req: Request,
  res: Response,
  change: PendingChange,
  outcome: Decision,
  notice: string,
): Promise<true> {
  switch (outcome.kind) {
    case 'done':
      seeOther(res, `${changeUrl(change)}?notice=${notice}`);
      return true;
    case 'conflict':
      seeOther(res, `${changeUrl(change)}?notice=conflict`);
      return true;
    case 'moved':
      return changePage(context, req, res, context.review.get(change.id) ?? change, {
        problems: ['The change was saved again, or decided, since you opened it: look at it again before deciding.'],
        status: 409,
      });
    case 'invalid':
      return changePage(context, req, res, change, {
        problems: outcome.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => `${d.file === change.file ? '' : `${d.file}, `}line ${d.line}: ${d.message}`),
        status: 409,
      });
    case 'refused':
      sendHtml(
        res,
        403,
        message(context, 'This cannot be done', [outcome.reason], { href: changeUrl(change), text: 'The change' }, res),
      );
      return true;
  }
}

/** Everyone sees every change: staff know what is waiting, and their own are marked as theirs. */
function list(context: EditorContext, res: Response): true {
  const user = res.locals.editor!.user;
  const now = context.now();
  const row = (c: PendingChange) => ({
    url: changeUrl(c),
    title: c.title,
    file: c.file,
    kind: KINDS[c.kind],
    by: c.author === user.name ? 'you' : c.authorName,
    mine: c.author === user.name,
    sent: ago(now - Date.parse(c.submitted)),
    state: STATES[c.state],
    comment: c.comments.at(-1)?.text,
    decidedBy: c.decidedByName ?? c.authorName,
    decided: c.decided ? formatDateTime(new Date(c.decided)) : '',
  });
  const all = context.review.all();
  sendHtml(
    res,
    200,
    context.views.render('review-list', {
      ...signedIn(res, 'review'),
      pageTitle: 'Waiting for review',
      reviewOn: reviewIsOn(context.live),
      canPublish: canPublish(user.role),
      waiting: all.filter((c) => c.state === 'waiting').map(row),
      returned: all.filter((c) => c.state === 'returned').map(row),
      decided: all
        .filter((c) => !isOpen(c))
        .sort((a, b) => (b.decided ?? '').localeCompare(a.decided ?? ''))
        .slice(0, DECIDED_SHOWN)
        .map(row),
    }),
  );
  return true;
}

interface PageState {
  problems?: string[];
  comment?: string;
  commentError?: string;
  /** The author's text in the combining form, as they last sent it. */
  mine?: string;
  status?: number;
}

async function changePage(
  context: EditorContext,
  req: Request,
  res: Response,
  change: PendingChange,
  state: PageState,
): Promise<true> {
  const user = res.locals.editor!.user;
  const open = isOpen(change);
  const isAuthor = change.author === user.name;
  const page = pageOf(context, change.file);
  const shown = open ? await proposal(context, change) : null;
  const problems = [...(state.problems ?? [])];
  let previewHtml: string | null = null;
  if (shown?.clean && shown.result !== null) {
    const bytes = Buffer.from(shown.result, 'utf8');
    const blocking = blockingDiagnostics(context.live, change.file, bytes).filter((d) => d.severity === 'error');
    if (state.problems === undefined && hasErrors(blocking))
      problems.push(
        ...blocking.map((d) => `${d.file === change.file ? '' : `${d.file}, `}line ${d.line}: ${d.message}`),
      );
    const preview = context.live.previewEdit(change.file, bytes, EDITOR_PREVIEW);
    previewHtml = preview.html ? inFrame(preview.html) : null;
  }
  if (shown?.clean && shown.result === null && state.problems === undefined && open)
    problems.push(...deleteProblems(context, change.file));
  const refusal = mayDecide(user, change);
  const current = open ? await context.store.read(change.file) : null;
  const notice = typeof req.query.notice === 'string' ? NOTICES[req.query.notice] : undefined;
  const verb = change.kind === 'delete' ? 'Delete' : change.kind === 'new' ? 'New page' : 'Change to';
  sendHtml(
    res,
    state.status ?? 200,
    context.views.render('review-change', {
      ...signedIn(res, 'review'),
      pageTitle: `${verb} “${change.title}”`,
      heading: `${verb} “${change.title}”`,
      change: {
        id: change.id,
        file: change.file,
        url: page?.role === 'page' ? page.url : null,
        kind: KINDS[change.kind],
        isDelete: change.kind === 'delete',
        state: STATES[change.state],
        authorName: isAuthor ? `${change.authorName} (you)` : change.authorName,
        submitted: formatDateTime(new Date(change.submitted)),
        decided: change.decided ? formatDateTime(new Date(change.decided)) : null,
        decidedByName: change.decidedByName ?? null,
        conflict: change.conflict,
        tip: change.tip,
        comments: change.comments.map((c) => ({ ...c, when: formatDateTime(new Date(c.at)) })),
      },
      open,
      isAuthor,
      canDecide: open && change.state === 'waiting' && refusal === null,
      decideNote: open && refusal !== null && canPublish(user.role) ? refusal : null,
      editUrl:
        change.kind === 'delete' ? null : `/edit/${change.file.endsWith('.md') ? 'page' : 'source'}/${change.file}`,
      clean: shown?.clean ?? true,
      diff: shown?.clean ? wordDiff(shown.published ?? '', shown.result ?? '') : null,
      // Combining after a conflict: the published text, theirs, and the author's own.
      published: shown?.published ?? null,
      mine: state.mine ?? shown?.mine ?? '',
      conflictDiff: shown && !shown.clean ? wordDiff(shown.published ?? '', shown.mine ?? '') : null,
      publishedVersion: current?.version ?? '',
      previewHtml:
        previewHtml ??
        placeholderPreview(
          change.kind === 'delete'
            ? 'Once this change is published, the page is deleted.'
            : change.file.endsWith('.md')
              ? 'The page cannot be previewed until the problems listed are fixed.'
              : 'Site settings have no preview of their own: the changes are listed above.',
        ),
      hasPreview: open && shown?.clean === true,
      problems,
      errors: [
        ...problems.map((p) => ({ text: p, href: '#problems' })),
        ...(state.commentError ? [{ text: state.commentError, href: '#comment' }] : []),
      ],
      comment: state.comment ?? '',
      commentError: state.commentError,
      maxComment: MAX_COMMENT_LENGTH,
      notice,
      mineVersion: shown?.mine === null || shown === null ? '' : versionOf(Buffer.from(shown.mine, 'utf8')),
      sentAgo: ago(context.now() - Date.parse(change.submitted)),
    }),
  );
  return true;
}
