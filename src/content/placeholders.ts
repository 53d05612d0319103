/**
 * A few site settings may be used inside page bodies, written {{name}}, so
 * that an address lives in one place. They are filled in while the Markdown
 * is parsed (markdownPlaceholders.ts): in text only, never in code,
 * and as text, never as Markdown or HTML.
 */
import type { PlaceholderValues } from './markdownPlaceholders.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { SiteSettings } from './schema.js';

export const PLACEHOLDER_NAMES = ['contactEmail', 'siteName', 'organisationName'] as const;

export function placeholderValues(settings: SiteSettings): PlaceholderValues {
  return {
    contactEmail: { text: settings.contactEmail, email: true },
    siteName: { text: settings.name },
    organisationName: { text: settings.organisation.name },
  };
}

/** An error for each placeholder the page uses that has no value. */
export function unknownPlaceholderDiagnostics(
  file: string,
  unknown: readonly { text: string; line: number; column: number }[],
): Diagnostic[] {
  const known = PLACEHOLDER_NAMES.map((n) => `{{${n}}}`).join(', ');
  return unknown.map((p) =>
    diagnostic(file, `unknown placeholder ${p.text}: use one of ${known}`, { line: p.line, column: p.column }),
  );
}
