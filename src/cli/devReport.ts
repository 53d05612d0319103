/** What the preview prints after each rebuild: the same problems the browser shows, with the lines around them. */
import { describeWithFrame } from '../content/codeFrame.js';
import type { ReloadOutcome } from '../live/liveSite.js';

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
  for (const d of [...errors, ...warnings]) lines.push(describeWithFrame(d, fileText(d.file), pathPrefix), '');
  if (!outcome.ok) lines.push('Fix the file and save it: the preview updates by itself.');
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
