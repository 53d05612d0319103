/**
 * The lines around a problem, so that a person sees the mistake in place:
 * for the terminal and for the preview's error page.
 */
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';

export interface FrameLine {
  number: number;
  text: string;
  /** True for the line the problem is on. */
  current: boolean;
}

export interface CodeFrame {
  lines: FrameLine[];
  /** 1-based column of the problem on the current line. */
  column: number;
}

const MAX_LINE = 160;

export function codeFrame(source: string, line: number, column: number, context = 2): CodeFrame | null {
  const all = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (line < 1 || line > all.length) return null;
  const first = Math.max(1, line - context);
  const last = Math.min(all.length, line + context);
  const lines: FrameLine[] = [];
  for (let n = first; n <= last; n++) {
    const text = all[n - 1]!.replace(/\t/g, '→');
    lines.push({ number: n, text: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text, current: n === line });
  }
  return { lines, column: Math.max(1, column) };
}

/**
 *   3 | description: D
 * > 4 | tittle: oops
 *     | ^
 */
export function formatCodeFrame(frame: CodeFrame): string {
  const width = String(frame.lines[frame.lines.length - 1]!.number).length;
  const out: string[] = [];
  for (const l of frame.lines) {
    out.push(`${l.current ? '>' : ' '} ${String(l.number).padStart(width)} | ${l.text}`);
    if (l.current) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.min(frame.column - 1, MAX_LINE))}^`);
  }
  return out.join('\n');
}

/** A diagnostic with its file's lines quoted, for the terminal. */
export function describeWithFrame(d: Diagnostic, fileText: string | null, pathPrefix = ''): string {
  const head = formatDiagnostic(d, pathPrefix);
  const frame = fileText === null ? null : codeFrame(fileText, d.line, d.column);
  return frame ? `${head}\n${formatCodeFrame(frame)}` : head;
}
