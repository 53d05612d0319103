/**
 * Documents' files and moves when review before publishing is on. Each of
 * them changes several files as one (a document's page and its file; a page,
 * the pages in it and the addresses leading to them), while a change waiting
 * for review holds one file: so an editor whose saves wait for review cannot
 * make one that visitors would see at once, and a publisher or an admin does
 * it. A picture is different: stored beside its page it is seen by nobody
 * until the page shows it, and the line that shows it is a change to the
 * page, which waits for review like any other (routes/images.ts).
 *
 * A move also waits while anyone's change to a page it moves waits: moved,
 * the change would no longer have a page to be published to.
 */
import type { Request, Response } from 'express';
import { savesGoToReview } from '../review/reviewPolicy.js';
import { message, type EditorContext } from '../context.js';
import { sendHtml } from '../http.js';
import { discardBriefly, isMultipart } from './multipart.js';

export type ReviewedAction = 'documents' | 'move';

const WHAT: Record<ReviewedAction, string> = {
  documents: 'Adding a document, and adding, replacing or removing its files,',
  move: 'Moving or renaming a page',
};

/** Why this person cannot do this now because of review; null when they can. */
export function reviewStops(context: EditorContext, res: Response, action: ReviewedAction): string[] | null {
  if (!savesGoToReview(context, res.locals.editor!.user)) return null;
  return [
    'Review before publishing is switched on for this website, so your changes wait for a publisher before ' +
      'visitors see them.',
    `${WHAT[action]} changes what visitors see at once, in several files together, so a publisher or an admin ` +
      'does it: ask one of them.',
  ];
}

/** Answers with why not (the form is not offered; a form sent anyway is refused unread); true when it did. */
export function refusedForReview(context: EditorContext, req: Request, res: Response, action: ReviewedAction): boolean {
  const why = reviewStops(context, res, action);
  if (!why) return false;
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (!get && isMultipart(req)) {
    res.setHeader('Connection', 'close');
    discardBriefly(req);
  }
  const heading = get ? 'A publisher does this' : 'Nothing was changed';
  sendHtml(res, get ? 200 : 403, message(context, heading, why, { href: '/edit/', text: 'All pages' }, res));
  return true;
}

/** The pages among these files with a change waiting for review, anyone's. */
export function filesWithWaitingChanges(context: EditorContext, files: readonly string[]): string[] {
  return files.filter((file) => context.review.openChangesTo(file).length > 0);
}
