/**
 * A few site settings may be used inside page bodies, written {{name}}, so
 * that an address lives in one place. They are substituted as Markdown
 * before rendering, never as HTML.
 */
import type { Diagnostic } from './diagnostics.js';
import { diagnostic } from './diagnostics.js';
import type { SiteSettings } from './schema.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

function values(settings: SiteSettings): Record<string, string> {
  return {
    contactEmail: `<${settings.contactEmail}>`,
    siteName: escapeMarkdown(settings.name),
    organisationName: escapeMarkdown(settings.organisation.name),
  };
}

export const PLACEHOLDER_NAMES = ['contactEmail', 'siteName', 'organisationName'] as const;

export function substitutePlaceholders(
  body: string,
  settings: SiteSettings,
  file: string,
  lineOffset: number,
): { body: string; diagnostics: Diagnostic[] } {
  const table = values(settings);
  const diagnostics: Diagnostic[] = [];
  const lines = body.split('\n');
  const out = lines.map((line, index) =>
    line.replace(PLACEHOLDER, (match, name: string, column: number) => {
      const value = table[name];
      if (value !== undefined) return value;
      diagnostics.push(
        diagnostic(file, `unknown placeholder ${match}: use one of ${PLACEHOLDER_NAMES.map((n) => `{{${n}}}`).join(', ')}`, {
          line: index + 1 + lineOffset,
          column: column + 1,
        }),
      );
      return match;
    }),
  );
  return { body: out.join('\n'), diagnostics };
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|~&]/g, (c) => `\\${c}`);
}
