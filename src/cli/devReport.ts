/** What the preview prints after each rebuild: the same problems the browser shows, with the lines around them. */
import { CodeFrames, describeWithFrame } from '../content/codeFrame.js';
import { printableLines } from '../content/printable.js';
import { mapProblems } from '../content/problemScope.js';
import type { ReloadOutcome } from '../live/liveSite.js';

export function formatReloadForTerminal(
  outcome: ReloadOutcome,
  fileText: (file: string) => string | null,
  pathPrefix: string,
): string {
  const lines: string[] = [];
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  const warnings = outcome.diagnostics.filter((d) => d.severity === 'warning');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  // The preview is what this terminal's person is looking at; without one, the public site.
  const ok = outcome.preview?.ok ?? outcome.ok;
  const stats = outcome.preview ? outcome.preview.stats : outcome.stats;
  if (ok) {
    const total = Math.round(outcome.timings.readMs + outcome.timings.buildMs + outcome.timings.renderMs);
    const rendered = stats?.invalidated.length ?? 0;
    lines.push(`Updated in ${total} ms: ${plural(rendered, 'page')} changed (${outcome.reason}).`);
    if (errors.length > 0)
      lines.push(`Before this can be published, ${plural(errors.length, 'problem')} must be fixed:`, '');
  } else {
    lines.push(`The site has ${plural(errors.length, 'problem')} to fix (${outcome.reason}):`, '');
  }
  const frames = new CodeFrames(fileText);
  for (const d of [...errors, ...warnings]) lines.push(describeWithFrame(d, frames, pathPrefix), '');
  if (!ok) {
    lines.push('Fix the file and save it: the preview updates by itself.');
    // After a version without errors, the preview keeps it for every page the errors do not concern; at the start,
    // it shows every page but those with errors, when each error concerns one page (LiveSite).
    const problems = mapProblems(errors);
    if (problems.site.length > 0) lines.push('Until then every page shows them: they concern the whole site.');
    else if (outcome.reason === 'start' && problems.elsewhere.length > 0)
      lines.push('Until then every page shows them.');
    else if (outcome.reason === 'start' && outcome.version > 0)
      lines.push('Meanwhile each page with problems shows them, and every other page is shown.');
    else if (outcome.version > 0)
      lines.push('Meanwhile each page shows its own problems, and the other pages are shown as they were before.');
  }
  // Each piece is already printable; this is the last guard before a terminal.
  return printableLines(`${lines.join('\n').replace(/\n+$/, '')}\n`);
}
