/**
 * The lines around a problem, so that a person sees the mistake in place:
 * for the terminal and for the preview's error page.
 */
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { printable } from './printable.js';

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

/** A file's lines as a code frame counts them (byte order mark dropped, any line ending). */
export function sourceLines(source: string): string[] {
  return source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
}

/** The lines around `line`; pass the file's lines (sourceLines) when framing several problems in one file. */
export function codeFrame(
  source: string | readonly string[],
  line: number,
  column: number,
  context = 2,
): CodeFrame | null {
  const all = typeof source === 'string' ? sourceLines(source) : source;
  if (line < 1 || line > all.length) return null;
  const first = Math.max(1, line - context);
  const last = Math.min(all.length, line + context);
  const lines: FrameLine[] = [];
  for (let n = first; n <= last; n++) {
    const text = all[n - 1]!.replace(/\t/g, '→');
    // Content is quoted, never obeyed: control characters are shown as escapes.
    lines.push({
      number: n,
      text: printable(text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text),
      current: n === line,
    });
  }
  return { lines, column: Math.max(1, column) };
}

/** Files whose lines a person reads and edits: the only ones worth quoting. */
const TEXT_FILE = /\.(?:md|ya?ml|csv|txt)$/i;

function isTextFile(file: string): boolean {
  return TEXT_FILE.test(file);
}

/** A file named like text that holds binary bytes (NUL, or much that is not UTF-8) is not quoted either. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let replaced = 0;
  for (const c of sample) if (c === '\uFFFD' && ++replaced > 8) return true;
  return false;
}

/**
 * Code frames for many problems: each file is split into lines once, not
 * once per problem (a file with thousands of problems would otherwise cost
 * its length times their number).
 */
export class CodeFrames {
  private readonly files = new Map<string, string[] | null>();

  constructor(private readonly fileText: (file: string) => string | null) {}

  frame(d: Pick<Diagnostic, 'file' | 'line' | 'column'>): CodeFrame | null {
    let lines = this.files.get(d.file);
    if (lines === undefined) {
      const text = isTextFile(d.file) ? this.fileText(d.file) : null;
      lines = text === null || looksBinary(text) ? null : sourceLines(text);
      this.files.set(d.file, lines);
    }
    return lines === null ? null : codeFrame(lines, d.line, d.column);
  }
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
export function describeWithFrame(d: Diagnostic, frames: CodeFrames, pathPrefix = ''): string {
  const head = formatDiagnostic(d, pathPrefix);
  const frame = frames.frame(d);
  return frame ? `${head}\n${formatCodeFrame(frame)}` : head;
}
