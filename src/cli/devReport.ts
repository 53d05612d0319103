/** What the preview prints after each rebuild: the same problems the browser shows, with the lines around them. */
import { CodeFrames, describeWithFrame } from '../content/codeFrame.js';
import { printableLines } from '../content/printable.js';
import type { ReloadOutcome } from '../server/reloader.js';

export function formatReloadForTerminal(outcome: ReloadOutcome, fileText: (file: string) => string | null, pathPrefix: string): string {
  const lines: string[] = [];
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  const warnings = outcome.diagnostics.filter((d) => d.severity === 'warning');
  if (outcome.ok) {
    const total = Math.round(outcome.timings.readMs + outcome.timings.buildMs + outcome.timings.renderMs);
    const rendered = outcome.stats?.invalidated.length ?? 0;
    lines.push(`Updated in ${total} ms: ${rendered} page${rendered === 1 ? '' : 's'} changed (${outcome.reason}).`);
  } else {
    lines.push(`The site has ${errors.length} problem${errors.length === 1 ? '' : 's'} to fix (${outcome.reason}):`, '');
  }
  const frames = new CodeFrames(fileText);
  for (const d of [...errors, ...warnings]) lines.push(describeWithFrame(d, frames, pathPrefix), '');
  if (!outcome.ok) lines.push('Fix the file and save it: the preview updates by itself.');
  // Each piece is already printable; this is the last guard before a terminal.
  return printableLines(`${lines.join('\n').replace(/\n+$/, '')}\n`);
}
