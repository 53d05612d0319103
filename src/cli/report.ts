/** Prints content diagnostics for people: one line each, errors and warnings counted. */
import { formatDiagnostic, type Diagnostic } from '../content/diagnostics.js';
import { printableLines } from '../content/printable.js';

export function formatReport(diagnostics: readonly Diagnostic[], pathPrefix: string): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const lines = diagnostics.map((d) => formatDiagnostic(d, pathPrefix));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    diagnostics.length === 0
      ? 'Content OK: no problems found.'
      : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`,
  );
  // formatDiagnostic prints no control character from the content; this is the last guard before a terminal.
  return printableLines(`${lines.join('\n')}\n`);
}
