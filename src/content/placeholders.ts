/**
 * A few site settings may be used inside page bodies, written {{name}}, so
 * that an address lives in one place. They are filled in while the Markdown
 * is parsed (markdownPlaceholders.ts): in text only, never in code,
 * and as text, never as Markdown or HTML.
 */
import type { PlaceholderValues } from './markdownPlaceholders.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { SECTION_PAGES } from './markdownSectionPages.js';
import type { SiteSettings } from './schema.js';

export const PLACEHOLDER_NAMES = ['contactEmail', 'siteName', 'organisationName'] as const;

/** What each placeholder shows, for the README's reference (`npm run docs`). */
export const PLACEHOLDER_DESCRIPTIONS: Readonly<
  Record<(typeof PLACEHOLDER_NAMES)[number] | typeof SECTION_PAGES, string>
> = {
  contactEmail: 'The contact email address (`contactEmail` in `site.yml`), as a link.',
  siteName: "The site's name (`name` in `site.yml`).",
  organisationName: "The organisation's name (`organisation.name` in `site.yml`).",
  [SECTION_PAGES]:
    "On a line of its own: the list of the pages in this page's section (on the home page, the top-level " +
    'pages), each title linked, with its description, in the order of the navigation. A new page appears in it ' +
    'by itself; pages hidden from the navigation are left out, and drafts are listed in the preview only.',
};

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
    diagnostic(
      file,
      p.text.replace(/\s/g, '') === `{{${SECTION_PAGES}}}`
        ? `${p.text} lists the pages of this section: write it once, on a line of its own, with an empty line ` +
            'before and after it'
        : `unknown placeholder ${p.text}: use one of ${known}, or {{${SECTION_PAGES}}} on a line of its own ` +
            `for the list of this section's pages`,
      { line: p.line, column: p.column },
    ),
  );
}
