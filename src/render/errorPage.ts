/**
 * The preview's error page: what is wrong, where, the lines around it, and
 * what to do. Built without the site's templates or settings, because they
 * may be what is broken. Every piece of content text is escaped.
 */
import { CodeFrames } from '../content/codeFrame.js';
import type { Diagnostic } from '../content/diagnostics.js';

export interface ErrorPageInput {
  diagnostics: readonly Diagnostic[];
  /** Text of a content file as last read, or null. */
  fileText: (file: string) => string | null;
  /** Where the files are, as shown to the editor, e.g. "content/". */
  pathPrefix: string;
  stylesheetUrl: string | null;
  reloadScriptUrl: string;
  /** True when an older version exists (shown nowhere in the preview, but worth saying). */
  hasPreviousVersion: boolean;
  /** The heading, when the page is not about the whole site ("This page has 1 problem to fix"). */
  heading?: string;
  /** Sentences said first: which page this is, what the other pages do meanwhile. */
  intro?: string;
  /** List the warnings too, after the errors: for one page's problems, so that one round of fixes is enough. */
  withWarnings?: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderErrorPage(input: ErrorPageInput): string {
  const errors = input.diagnostics.filter((d) => d.severity === 'error');
  const warnings = input.withWarnings ? input.diagnostics.filter((d) => d.severity !== 'error') : [];
  const shown = errors.length > 0 ? [...errors, ...warnings] : input.diagnostics;
  const frames = new CodeFrames(input.fileText);
  const items = shown.slice(0, 50).map((d) => problem(d, frames, input));
  const more =
    shown.length > 50 ? `<p>And ${shown.length - 50} more: run <code>npm run check</code> to see them all.</p>` : '';
  const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
  const fix =
    errors.length === 0
      ? 'Warnings are advice: the pages are shown, and each page shows those about it.'
      : `Fix ${errors.length === 1 ? 'it' : 'each one'} in your editor and save the file: this page updates by itself.`;
  const advice =
    (input.intro ? `${escapeHtml(input.intro)} ` : '') +
    fix +
    (input.hasPreviousVersion && errors.length > 0
      ? ' Until then, the live site keeps showing the last version without problems.'
      : '');
  const heading = escapeHtml(input.heading ?? `The site has ${count} to fix`);
  const title = input.heading ? heading : `${count} to fix`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>${title} – preview</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  ${input.stylesheetUrl ? `<link rel="stylesheet" href="${escapeHtml(input.stylesheetUrl)}">` : ''}
  <script type="module" src="${escapeHtml(input.reloadScriptUrl)}"></script>
</head>
<body>
  <div class="nhsuk-width-container">
    <main class="nhsuk-main-wrapper" id="maincontent">
      <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
        <h1 class="nhsuk-error-summary__title" id="error-summary-title">${heading}</h1>
        <div class="nhsuk-error-summary__body">
          <p>${advice}</p>
        </div>
      </div>
      ${items.join('\n')}
      ${more}
    </main>
  </div>
</body>
</html>
`;
}

function problem(d: Diagnostic, frames: CodeFrames, input: ErrorPageInput): string {
  const frame = frames.frame(d);
  const location = `${input.pathPrefix}${d.file}, line ${d.line}, column ${d.column}`;
  const label = frame
    ? `Lines ${frame.lines[0]!.number} to ${frame.lines[frame.lines.length - 1]!.number} of ${d.file}`
    : '';
  const quoted = frame
    ? // Focusable, so that a long line scrolled sideways can be read with the keyboard too.
      `<pre class="app-code-frame" tabindex="0" aria-label="${escapeHtml(label)}"><code>${frame.lines
        .map((l) => {
          const number = String(l.number).padStart(4);
          if (!l.current) return `${number} | ${escapeHtml(l.text)}`;
          const caret = `${' '.repeat(4)} | ${' '.repeat(Math.max(0, frame.column - 1))}^`;
          return `<mark>${number} | ${escapeHtml(l.text)}</mark>\n${caret}`;
        })
        .join('\n')}</code></pre>`
    : '';
  return `<section class="app-problem">
        <h2 class="nhsuk-heading-s">${escapeHtml(location)}</h2>
        <p>${d.severity === 'error' ? '' : '<strong>Warning:</strong> '}${escapeHtml(capitalise(d.message))}</p>
        ${quoted}
      </section>`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
