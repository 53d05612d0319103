/**
 * The browser editor, mounted in front of the public site's routes (the
 * Express app's `before` handlers; the public fast path never sees /edit/).
 * Read top to bottom, it is the editor's request pipeline:
 *
 *   no-store -> /edit -> assets -> no forwarding by an untrusted proxy
 *   -> HTTPS (plain HTTP only from this machine)
 *   -> methods -> same-origin check (before any body is read)
 *   -> session -> no session: sign-in page (GET) or 403 (POST), body unread
 *   -> body (size-limited) -> form token bound to the session -> routes -> 404
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { hashPassword } from './auth/passwords.js';
import { SignInLimits, type LimitSettings } from './auth/signInLimits.js';
import { VerificationGate, type GateSettings } from './auth/verificationGate.js';
import { AuditLog } from './audit/auditLog.js';
import { loadEditorAssets } from './assets.js';
import { message, type EditorContext, type EditorRoute } from './context.js';
import { isCrossSite } from './csrf/sameOrigin.js';
import { openDataFolder } from './data/dataFolder.js';
import { EDITOR_BASE, sendHtml, sessionCookie, setCookie } from './http.js';
import { KeptConflicts } from './pages/keptConflicts.js';
import { Presence } from './presence.js';
import { PendingChanges } from './review/pendingChanges.js';
import './requestState.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { documentRoutes } from './routes/documents.js';
import { historyRoutes } from './routes/history.js';
import { imageRoutes } from './routes/images.js';
import { moveRoutes } from './routes/move.js';
import { pageRoutes } from './routes/pages.js';
import { reviewRoutes } from './routes/review.js';
import { userRoutes } from './routes/users.js';
import { loadSessionKey } from './session/sessionKey.js';
import { isMultipart } from './uploads/multipart.js';
import { isUploadPath } from './uploads/uploadPaths.js';
import { UploadGate } from './uploads/uploadGate.js';
import { SESSION_COOKIE, Sessions } from './session/sessions.js';
import { UserStore } from './users/users.js';
import { EditorViews } from './views.js';
import type { LiveSite } from '../live/liveSite.js';
import type { Logger } from '../logger.js';
import { StorePathError, type ContentStore } from '../store/contentStore.js';
import { ReviewBranches } from '../store/reviewBranches.js';

/** Largest form accepted: a long page and its settings, with room to spare. */
export const MAX_FORM_BYTES = 2 * 1024 * 1024;

export interface EditorOptions {
  /** The content store of a folder in a git repository (changes waiting for review are branches of it). */
  store: ContentStore & { readonly root: string };
  live: LiveSite;
  dataDir: string;
  logger: Logger;
  now?: () => number;
  limits?: LimitSettings;
  /** How many password checks may run at once, and wait (see verificationGate.ts). */
  verifications?: GateSettings;
  viewsDir?: string;
  publicDir?: string;
}

export interface Editor {
  handler: RequestHandler;
  context: EditorContext;
}

export async function createEditor(options: EditorOptions): Promise<Editor> {
  const dataDir = await openDataFolder(options.dataDir);
  const now = options.now ?? Date.now;
  const users = new UserStore(dataDir);
  const assets = loadEditorAssets(options.publicDir);
  const context: EditorContext = {
    store: options.store,
    live: options.live,
    users,
    sessions: await Sessions.open({ key: await loadSessionKey(dataDir), users, dataDir, now }),
    limits: new SignInLimits(options.limits),
    verifications: new VerificationGate(options.verifications),
    audit: new AuditLog(dataDir, now),
    presence: new Presence(now),
    conflicts: new KeptConflicts(dataDir, now),
    review: await PendingChanges.open(dataDir, await ReviewBranches.open(options.store.root), options.store, now),
    views: new EditorViews(options.live, assets, options.viewsDir),
    assets,
    logger: options.logger,
    now,
    dummyHash: await hashPassword(`no such user ${Math.random()}`),
  };
  const account = accountRoutes(context);
  const uploads = new UploadGate();
  const routes: EditorRoute[] = [
    pageRoutes(context),
    historyRoutes(context),
    adminRoutes(context),
    documentRoutes(context, uploads),
    imageRoutes(context, uploads),
    moveRoutes(context),
    reviewRoutes(context),
    userRoutes(context),
  ];
  const parseBody = express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, parameterLimit: 5000 });

  const pipeline = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    const path = req.path;
    if (path === '/edit') {
      res.redirect(301, EDITOR_BASE);
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const asset = assets.byUrl.get(path);
      if (asset) {
        res.setHeader('Content-Type', asset.type);
        res.end(req.method === 'HEAD' ? undefined : asset.body);
        return;
      }
    }
    if (res.locals.untrustedProxy) {
      // Behind a proxy it was not told to trust, every client would look like the proxy: on this machine,
      // allowed plain http, and all of them sharing one address for the sign-in limits.
      res.setHeader('Connection', 'close');
      sendHtml(
        res,
        403,
        message(context, 'The editor cannot tell who is connecting', [
          'This request came through a proxy that the website was not told to trust, so it cannot tell ' +
            'where the request came from or whether it was sent securely.',
          'Whoever looks after the website: set TRUST_PROXY to the proxy (for example TRUST_PROXY=loopback for ' +
            'a proxy on the same machine), then restart the website.',
        ]),
      );
      return;
    }
    res.locals.clientAddress = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (!res.locals.secure && !isLoopback(res.locals.clientAddress)) {
      res.setHeader('Connection', 'close');
      sendHtml(
        res,
        403,
        message(context, 'The editor needs a secure connection', [
          'Open the editor with an address starting https://. ' +
            'Plain http is allowed only on the computer the website runs on, for trying it out.',
          'Behind a proxy that handles HTTPS, set TRUST_PROXY so that the website can tell.',
        ]),
      );
      return;
    }
    const unsafe = req.method === 'POST';
    if (!unsafe && req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      sendHtml(
        res,
        405,
        message(context, 'That cannot be done here', ['The editor answers only page requests and form submissions.']),
      );
      return;
    }
    if (unsafe && isCrossSite(req, res.locals.secure)) {
      res.setHeader('Connection', 'close');
      sendHtml(
        res,
        403,
        message(context, 'The form could not be sent', [
          'Forms of the editor can only be sent from the editor itself. ' +
            'Open the page again and send the form from there.',
        ]),
      );
      return;
    }

    const session = await context.sessions.resume(sessionCookie(req));
    if (session) {
      if (session.refreshed) setCookie(res, SESSION_COOKIE, session.refreshed, { sameSite: 'Lax' });
      res.locals.editor = {
        user: session.user,
        claims: session.claims,
        token: context.sessions.formToken(session.claims),
      };
    }
    const isSignIn = path === '/edit/sign-in';
    if (!session && !isSignIn) {
      if (unsafe) {
        // Refused before the body is read: nothing of it reaches the editor.
        res.setHeader('Connection', 'close');
        sendHtml(
          res,
          403,
          message(
            context,
            'You are signed out',
            ['Your session has ended, so nothing was changed. Sign in again, then repeat the change.'],
            { href: '/edit/sign-in', text: 'Sign in' },
          ),
        );
        return;
      }
      res
        .status(303)
        .setHeader('Location', `/edit/sign-in${path === EDITOR_BASE ? '' : `?next=${encodeURIComponent(path)}`}`);
      res.end();
      return;
    }
    if (unsafe && isMultipart(req)) {
      // An upload: read only by its route, with limits, once its form token (in its address) is checked here.
      if (!session || !isUploadPath(path) || !context.sessions.checkToken(res.locals.editor!.token, req.query.token)) {
        res.setHeader('Connection', 'close');
        sendHtml(
          res,
          403,
          message(context, 'The file was not uploaded', [
            'Nothing was saved. Go back, reload the page, and choose the file again.',
          ]),
        );
        return;
      }
    } else if (unsafe) {
      await new Promise<void>((resolve, reject) =>
        parseBody(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
      );
      if (
        session &&
        !context.sessions.checkToken(res.locals.editor!.token, (req.body as Record<string, unknown> | undefined)?.token)
      ) {
        sendHtml(
          res,
          403,
          message(context, 'The form has expired', [
            'Nothing was changed. Go back, reload the page, and send the form again.',
          ]),
        );
        return;
      }
    }
    if (await account(req, res)) return;
    for (const route of routes) if (await route(req, res)) return;
    next();
  };

  const handler: RequestHandler = (req, res, next) => {
    if (!isEditorRequest(req.path)) return next();
    pipeline(req, res, () =>
      sendHtml(
        res,
        404,
        message(
          context,
          'Page not found',
          ['There is no editor page at this address.'],
          { href: EDITOR_BASE, text: 'All pages' },
          res,
        ),
      ),
    ).catch((error: unknown) => {
      if (error instanceof StorePathError && !res.headersSent) {
        // A symbolic link, or a folder where a file should be: refused by the store, nothing touched.
        sendHtml(
          res,
          400,
          message(
            context,
            'This file cannot be edited here',
            [`${error.message}.`],
            { href: EDITOR_BASE, text: 'All pages' },
            res,
          ),
        );
        return;
      }
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500 && !res.headersSent) {
        res.setHeader('Connection', 'close');
        sendHtml(
          res,
          status,
          message(context, 'The form could not be read', [
            status === 413
              ? 'It is too large: save a shorter page, or split it into two pages.'
              : 'Go back, reload the page, and try again.',
          ]),
        );
        return;
      }
      // Anything else is a fault of ours: logged with the request id, answered within the editor, never cached.
      context.logger.error({ reqId: res.locals.requestId, err: error }, 'editor request failed');
      if (res.headersSent) return void res.destroy();
      const why = [
        'Go back: what you typed is still in the form. Try again in a moment.',
        'If it happens again, tell the person who looks after this website.',
      ];
      sendHtml(res, 500, message(context, 'Sorry, there is a problem with the editor', why, undefined, res));
    });
  };
  return { handler, context };
}

/** /edit and everything under /edit/. */
export function isEditorRequest(path: string): boolean {
  return path === '/edit' || path.startsWith(EDITOR_BASE);
}

function isLoopback(address: string): boolean {
  return /^(?:127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/.test(address);
}
