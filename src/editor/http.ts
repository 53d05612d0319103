/** Small HTTP helpers the editor's routes share: cookies, answers, content paths from addresses. */
import type { Request, Response } from 'express';
import { checkStorePath } from '../store/storePaths.js';
import { SESSION_COOKIE } from './session/sessions.js';

export const SIGN_IN_COOKIE = '__Host-editor-sign-in';
export const EDITOR_BASE = '/edit/';

/** A cookie's value from the Cookie header; undefined when absent. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** HttpOnly, Secure, SameSite, host-only: browsers allow Secure cookies on http://localhost for trying things out. */
export function setCookie(
  res: Response,
  name: string,
  value: string,
  options: { sameSite: 'Lax' | 'Strict'; maxAgeSeconds?: number },
): void {
  const parts = [`${name}=${value}`, 'Path=/', 'Secure', 'HttpOnly', `SameSite=${options.sameSite}`];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(res: Response, name: string): void {
  setCookie(res, name, '', { sameSite: 'Lax', maxAgeSeconds: 0 });
}

export function sessionCookie(req: Request): string | undefined {
  return readCookie(req, SESSION_COOKIE);
}

export function sendHtml(res: Response, status: number, html: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(res.req.method === 'HEAD' ? undefined : html);
}

/** 303 See Other: after a POST, the browser GETs the new address. */
export function seeOther(res: Response, location: string): void {
  res.status(303).setHeader('Location', location);
  res.end();
}

/**
 * The content file an editor address names (/edit/page/<file>): each
 * segment decoded once, then checked like every store path (no "..", no
 * hidden names, no backslashes, no encoded slashes). Null for anything else.
 */
export function contentFileFrom(rawRest: string, allowed: (file: string) => boolean): string | null {
  const segments = rawRest.split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    let s: string;
    try {
      s = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (s.includes('/') || s.includes('\\') || s.includes('%')) return null;
    decoded.push(s);
  }
  const file = decoded.join('/');
  try {
    checkStorePath(file);
  } catch {
    return null;
  }
  return allowed(file) ? file : null;
}

/** A page file (.md) or the site settings: the text files staff edit. */
export function isEditableFile(file: string): boolean {
  return file.endsWith('.md') || file === 'site.yml';
}

/** Where to go after signing in: only an editor address of this site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/edit\/[A-Za-z0-9/._~%-]*$/.test(next) && !next.includes('//')
    ? next
    : EDITOR_BASE;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "3 December 2026 at 10:02" in UK time. */
export function formatDateTime(date: Date): string {
  const parts = Object.fromEntries(DATE_TIME.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}`;
}

/** "3 minutes ago", "just now". */
export function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

/** "Alice Smith <alice@example.org>" -> "Alice Smith". */
export function authorName(author: string | null): string {
  return author ? author.replace(/\s*<[^>]*>\s*$/, '') : 'Unknown';
}
