/**
 * The only inline script on any page: it marks the body as JS-enabled before
 * first paint so NHS.UK components do not flash. It is fixed text, so the
 * CSP allows it by hash and pages stay identical for every visitor.
 */
import { createHash } from 'node:crypto';

export const JS_ENABLED_SCRIPT =
  "document.body.className += ' js-enabled' + ('noModule' in " +
  "HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');";

export const INLINE_SCRIPTS: readonly string[] = [JS_ENABLED_SCRIPT];

export function cspHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}
