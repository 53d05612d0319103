/**
 * The prose of a page: the text a visitor reads, block by block (paragraph,
 * list item, heading, table cell, front matter value), with the way back
 * from every character to its line and column in the source file. The
 * writing checks (sentence length, plain English) read pages through this.
 *
 * Markup that is not prose is blanked out rather than removed, so offsets
 * in a block's text still match the source: link addresses and reference
 * labels become spaces, and code, autolinks, bare web addresses and
 * {{placeholders}} become one neutral "word" (they are read, so they count
 * towards a sentence's length, but they never match a word list).
 */
import markdownIt, { type MarkdownIt } from 'markdown-it';

export interface ProseLine {
  /** Offset in the block's text where this line starts. */
  offset: number;
  /** 1-based line and column in the file of the line's first character. */
  line: number;
  column: number;
}

export interface ProseBlock {
  /** The block's text, lines joined with "\n", non-prose markup blanked out. */
  text: string;
  lines: ProseLine[];
}

/** Stands in for a blanked-out piece of text that reads as one word. */
export const NEUTRAL_WORD = '0';

/** A word: letters and digits, joined by apostrophes, hyphens, ampersands or dots ("5-year", "B&BC", "2.2"). */
export const WORD = /[\p{L}\p{N}]+(?:['’&.-][\p{L}\p{N}]+)*/gu;

/** Block structure only: inline parsing is not needed, which keeps this cheap. */
export function createBlockParser(): MarkdownIt {
  const md = markdownIt('default', { html: false, linkify: false, typographer: false });
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);
  return md;
}

/**
 * The prose blocks of a Markdown body. `lineOffset` is the file line of the
 * body's first line minus one (what `splitFrontMatter` returns).
 */
export function bodyProse(md: MarkdownIt, body: string, lineOffset: number): ProseBlock[] {
  const sourceLines = body.split('\n');
  const blocks: ProseBlock[] = [];
  // Table cells share a line: each is looked for after the one before it.
  let cellLine = -1;
  let cellColumn = 0;
  // Table cells have no line of their own: their row has.
  let rowLine = 0;
  const tokens = md.parse(body, {});
  tokens.forEach((token, index) => {
    if (token.type === 'tr_open') rowLine = token.map?.[0] ?? rowLine;
    if (token.type !== 'inline' || token.content.trim() === '') return;
    const isCell = /^t[hd]_open$/.test(tokens[index - 1]?.type ?? '');
    const firstLine = token.map?.[0] ?? (isCell ? rowLine : null);
    if (firstLine === null) return;
    const contentLines = token.content.split('\n');
    const lines: ProseLine[] = [];
    let offset = 0;
    contentLines.forEach((text, i) => {
      const sourceLine = firstLine + i;
      const source = sourceLines[sourceLine] ?? '';
      let column: number;
      if (isCell) {
        column = source.indexOf(text, sourceLine === cellLine ? cellColumn : 0);
        cellLine = sourceLine;
        cellColumn = column === -1 ? 0 : column + text.length;
      } else {
        // A content line is its source line without the indentation and
        // the list or quote markers before it, and trailing spaces.
        const trimmed = source.trimEnd();
        const wanted = text.trimEnd();
        column = trimmed.endsWith(wanted) ? trimmed.length - wanted.length : source.indexOf(text);
      }
      lines.push({ offset, line: sourceLine + 1 + lineOffset, column: Math.max(column, 0) + 1 });
      offset += text.length + 1;
    });
    blocks.push({ text: blankMarkup(token.content), lines });
  });
  return blocks;
}

/** A one-line value (a title, a description) that starts at this line and column. */
export function valueProse(value: string, line: number, column: number): ProseBlock {
  return { text: blankMarkup(value.replace(/\n/g, ' ')), lines: [{ offset: 0, line, column }] };
}

/** Line and column in the file of an offset in a block's text. */
export function positionIn(block: ProseBlock, offset: number): { line: number; column: number } {
  let at = block.lines[0]!;
  for (const l of block.lines) {
    if (l.offset > offset) break;
    at = l;
  }
  return { line: at.line, column: at.column + (offset - at.offset) };
}

/** Link addresses, code, autolinks, bare addresses and placeholders, blanked out in place. */
export function blankMarkup(text: string): string {
  // Each pass finds its ranges in the text as the passes before left it,
  // then blanks them all at once: linear in the length of the block.
  const pass = (s: string, ranges: readonly { start: number; end: number; neutral: boolean }[]): string => {
    if (ranges.length === 0) return s;
    const units = s.split('');
    for (const { start, end, neutral } of ranges) {
      for (let i = start; i < end; i++) units[i] = ' ';
      if (neutral && end > start) units[start] = NEUTRAL_WORD;
    }
    return units.join('');
  };
  const matches = (s: string, re: RegExp, neutral: boolean) =>
    [...s.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length, neutral }));
  // Code spans first: nothing inside them is markup.
  let out = text.includes('`') ? pass(text, matches(text, /(`+)[^`]+?\1/g, true)) : text;
  if (out.includes('{{')) out = pass(out, matches(out, /\{\{[^{}\n]*\}\}/g, true));
  if (out.includes('<')) out = pass(out, matches(out, /<(?:[a-z][a-z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>/gi, true));
  // Inline links and images: the address (and title) in brackets after "]";
  // reference links: the label in brackets after "]".
  const links: { start: number; end: number; neutral: boolean }[] = [];
  for (let i = out.indexOf(']('); i !== -1; i = out.indexOf('](', i + 1)) {
    const end = closingParen(out, i + 1);
    if (end !== -1) links.push({ start: i + 1, end: end + 1, neutral: false });
  }
  for (const m of out.matchAll(/\]\[[^\]\n]*\]/g))
    links.push({ start: m.index + 1, end: m.index + m[0].length, neutral: false });
  out = pass(out, links);
  return out.includes(':') ? pass(out, matches(out, /\b(?:https?|mailto|tel):[^\s<>()]+/gi, true)) : out;
}

/** Longest link address looked for: a bound, so that a line of unclosed "](" stays linear. */
const MAX_ADDRESS_LENGTH = 2048;

/** Index of the ")" that closes the "(" at `open`, allowing nested brackets; -1 if none on the line. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length && i < open + MAX_ADDRESS_LENGTH; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === '\n') return -1;
  }
  return -1;
}
