/**
 * What the editor's routes share: the stores, the live site, sessions,
 * limits, the audit log and the views, made once per editor (editorApp.ts),
 * and the small page every route uses to say what went wrong.
 */
import type { Request, Response } from 'express';
import type { Page } from '../content/model.js';
import type { LiveSite } from '../live/liveSite.js';
import type { Logger } from '../logger.js';
import type { ContentStore } from '../store/contentStore.js';
import type { AuditLog } from './audit/auditLog.js';
import type { EditorAssets } from './assets.js';
import type { SignInLimits } from './auth/signInLimits.js';
import type { VerificationGate } from './auth/verificationGate.js';
import type { KeptConflicts } from './pages/keptConflicts.js';
import type { Presence } from './presence.js';
import type { PendingChanges } from './review/pendingChanges.js';
import type { Sessions } from './session/sessions.js';
import type { UserStore } from './users/users.js';
import type { EditorViews } from './views.js';
import { sendHtml } from './http.js';

/** Everything the routes use, made once per editor. */
export interface EditorContext {
  store: ContentStore;
  live: LiveSite;
  users: UserStore;
  sessions: Sessions;
  limits: SignInLimits;
  verifications: VerificationGate;
  audit: AuditLog;
  presence: Presence;
  conflicts: KeptConflicts;
  /** Changes waiting for review. */
  review: PendingChanges;
  views: EditorViews;
  assets: EditorAssets;
  logger: Logger;
  now: () => number;
  /** Verified against when the user name is unknown, so that an unknown name costs the same time. */
  dummyHash: string;
}

/** A route group: answers the requests it knows, returns false for the others. */
export type EditorRoute = (req: Request, res: Response) => Promise<boolean>;

/** A page saying what happened, with a link onwards (signed in: with the editor's header). */
export function message(
  context: EditorContext,
  heading: string,
  paragraphs: string[],
  link?: { href: string; text: string },
  res?: Response,
): string {
  return context.views.render('message', {
    pageTitle: heading,
    heading,
    paragraphs,
    link,
    ...(res?.locals.editor ? { user: res.locals.editor.user, token: res.locals.editor.token } : {}),
  });
}

/** What every signed-in page shows: the person, the form token for "Sign out", the section of the header. */
export function signedIn(res: Response, section: string): Record<string, unknown> {
  return { user: res.locals.editor!.user, token: res.locals.editor!.token, section };
}

/** 404 for an address naming no content file the editor can open. */
export function noSuchFile(context: EditorContext, res: Response): true {
  const why = 'There is no page at this address. Page addresses are made of letters, digits, "-", "_" and "." only.';
  sendHtml(res, 404, message(context, 'Page not found', [why], { href: '/edit/', text: 'All pages' }, res));
  return true;
}

/** The page parsed from a content file in the version loaded last, if it parsed. */
export function pageOf(context: EditorContext, file: string): Page | undefined {
  return context.live.sourcePages().find((s) => s.page.source === file)?.page;
}
