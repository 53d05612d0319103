/**
 * Source positions of links and images in Markdown, which markdown-it does
 * not record for inline tokens. The inline parser is told to note where each
 * link and image starts in its block's text; that offset is then mapped to a
 * line and column of the page. Everything here is one pass over the text, so
 * the cost of a page grows with its length, never with the square of it
 * (searching the paragraph for each link's address did: a page of links whose
 * address is not written verbatim froze a server for seconds).
 */
import type { MarkdownIt, Token } from 'markdown-it';

/** Where an inline token was pushed: the text being parsed and the parser's place in it. */
interface InlineStart {
  src: string;
  pos: number;
  posMax: number;
}

/** The starts of one parse, kept in markdown-it's per-parse env (one Markdown instance serves many parses). */
export class InlineStarts {
  readonly byToken = new Map<Token, InlineStart>();
}

export interface InlineStartsEnv {
  inlineStarts?: InlineStarts;
}

/** Makes `md` note where each link and image starts, for parses whose env carries an InlineStarts. */
export function recordInlineStarts(md: MarkdownIt): void {
  const Base = md.inline.State;
  md.inline.State = class extends Base {
    override push(type: string, tag: string, nesting: -1 | 0 | 1): Token {
      const token = super.push(type, tag, nesting);
      if (type === 'link_open' || type === 'image') {
        (this.env as InlineStartsEnv).inlineStarts?.byToken.set(token, {
          src: this.src,
          pos: this.pos,
          posMax: this.posMax,
        });
      }
      return token;
    }
  };
}

/** How far to look for a block's line inside the source line (past list markers, quote marks, table pipes). */
const LINE_SEARCH_WINDOW = 256;
const LINE_PROBE = 32;

/**
 * Maps offsets in inline tokens' text to lines and columns of the source.
 * Blocks must be visited in document order: several table cells share a
 * source line, and each is looked for after the one before.
 */
export class SourceLocator {
  private readonly lines: readonly string[];
  /** Per source line, where the last inline text found on it ended. */
  private readonly cursors = new Map<number, number>();

  constructor(lines: readonly string[]) {
    this.lines = lines;
  }

  /**
   * Visits an inline token (each one, in document order) that starts on
   * source line `firstLine` (0-based), and returns a function from offsets in
   * its text to 0-based line and column of the source. The first line is placed at once, so that table cells sharing a
   * source line are found one after another; other lines when asked for.
   */
  forInline(inline: Token, firstLine: number): (offset: number) => { line: number; column: number } {
    const content = inline.content;
    const firstEnd = content.indexOf('\n');
    const columns = new Map<number, number>([
      [0, this.placeLine(firstLine, firstEnd === -1 ? content : content.slice(0, firstEnd))],
    ]);
    let lineStarts: number[] | null = null;
    return (offset) => {
      lineStarts ??= startsOfLines(content);
      const k = lastAtOrBefore(lineStarts, offset);
      let column = columns.get(k);
      if (column === undefined) {
        const end = k + 1 < lineStarts.length ? lineStarts[k + 1]! - 1 : content.length;
        column = this.placeLine(firstLine + k, content.slice(lineStarts[k], end));
        columns.set(k, column);
      }
      return { line: firstLine + k, column: column + offset - lineStarts[k]! };
    };
  }

  /** Where a line of a block's text starts in its source line (a bounded search; 0 if not found). */
  private placeLine(lineIndex: number, text: string): number {
    const source = this.lines[lineIndex] ?? '';
    const from = this.cursors.get(lineIndex) ?? 0;
    let at = source.length - text.length;
    if (!(at >= from && source.endsWith(text))) {
      const found = source.slice(from, from + LINE_SEARCH_WINDOW + LINE_PROBE).indexOf(text.slice(0, LINE_PROBE));
      at = found >= 0 ? from + found : from;
    }
    this.cursors.set(lineIndex, at + text.length);
    return at;
  }
}

/** Offset in an inline token's text where a link's or image's address is written (or the link itself starts). */
export function addressOffset(starts: InlineStarts, token: Token, content: string): number | null {
  const start = starts.byToken.get(token);
  if (!start || start.src !== content) return null;
  const { src, pos, posMax } = start;
  let labelEnd: number;
  if (token.type === 'image') {
    labelEnd = pos + 2 + token.content.length; // ![label]
  } else if (src.charCodeAt(pos - 1) === 0x5b /* [ */ && src.charCodeAt(posMax) === 0x5d /* ] */) {
    labelEnd = posMax; // [label]: the parser is inside the label when the link opens
  } else {
    return pos + 1; // <autolink>
  }
  if (src.charCodeAt(labelEnd + 1) !== 0x28 /* ( */) return labelEnd + 1; // [label][reference]
  let i = labelEnd + 2;
  while (i < src.length && (src[i] === ' ' || src[i] === '\t' || src[i] === '\n')) i++;
  return src[i] === '<' ? i + 1 : i;
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the last value at or before `value` in a sorted list (binary search). */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
