/**
 * A problem found in the content folder, located precisely enough for a
 * person to open the file and fix it.
 */
import { printable } from './printable.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path relative to the content folder, with forward slashes. */
  file: string;
  /** 1-based line; 1 when the problem concerns the whole file. */
  line: number;
  /** 1-based column. */
  column: number;
  severity: Severity;
  message: string;
  /** Names the check that found it, where another step may treat it differently (the launch check, the preview). */
  rule?: string;
  /**
   * 'public': the problem is in what visitors would see (a published page
   * linking to a draft, say). It stops the public site from taking this
   * version, but not the preview, where the draft is shown.
   */
  scope?: 'public';
}

export function diagnostic(
  file: string,
  message: string,
  position: { line?: number; column?: number } = {},
  severity: Severity = 'error',
): Diagnostic {
  return { file, line: position.line ?? 1, column: position.column ?? 1, severity, message };
}

/**
 * `path:line:column: severity: message`, the format editors and CI logs
 * understand; always one line, with no control character from the content.
 */
export function formatDiagnostic(d: Diagnostic, pathPrefix = ''): string {
  return `${printable(pathPrefix + d.file)}:${d.line}:${d.column}: ${d.severity}: ${printable(d.message)}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Errors that stop the preview too: every error but those only about the public site. */
export function hasPreviewErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error' && d.scope !== 'public');
}

/** Marks a diagnostic as one about the public site only (see `scope`). */
export function publicOnly(d: Diagnostic): Diagnostic {
  return { ...d, scope: 'public' };
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
