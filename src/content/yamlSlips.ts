/**
 * The YAML mistakes people make most, recognised from the shape of the line
 * the parser stopped at, and explained as what to do. A parser sees one slip
 * as several errors (a list indented wrongly gives four); a person needs one
 * message per mistake, in words that name the setting:
 * - a colon and a space inside a value ("title: Survey results: what units
 *   told us"): put the value in double quotes;
 * - a value starting with a character YAML reads as syntax ("- ", "[", "*"):
 *   the same;
 * - an opening quotation mark with no closing one;
 * - a list or group whose lines are not lined up: one message for the block.
 * Problems of any other shape keep the parser's explanation, one per line.
 */

export interface RawYamlProblem {
  message: string;
  line: number;
  column: number;
  /** The parser's error code, or one of our own checks' (REFUSED, DUPLICATE_KEY, KEY_NOT_PLAIN). */
  code: string;
}

/** A `key: value` line, or a list item `- key: value`; the value may be empty. */
// No lazy part before trailing spaces: that backtracked over a run of spaces (quadratic); the value is trimmed.
const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z0-9_.-]+):(?:\s+([^]*))?$/;
/** Characters that make YAML read a plain value as something else when they come first. */
const SPECIAL_START = /^(?:[[\]{}*|>%@`]|-\s|[?:]\s)/;
/** Our own refusals of YAML features front matter never needs (anchors, aliases, tags, merge keys). */
export const REFUSED = 'REFUSED';
/** Problems explained in their own words, which no parser error on the same line needs to repeat. */
const DECISIVE_CODES = new Set([REFUSED, 'TAB_AS_INDENT', 'TAG_RESOLVE_FAILED']);
/** Problems explained in their own words, kept as they are unless a slip around them explains them. */
const OWN_CODES = new Set([...DECISIVE_CODES, 'DUPLICATE_KEY', 'KEY_NOT_PLAIN']);

interface KeyLine {
  indent: number;
  key: string;
  /** 1-based column where the value starts; 0 when there is none. */
  valueColumn: number;
  value: string;
}

function keyLine(text: string | undefined): KeyLine | null {
  const m = text === undefined ? null : KEY_LINE.exec(text);
  if (!m) return null;
  const value = (m[4] ?? '').trimEnd();
  const prefix = m[1]!.length + (m[2]?.length ?? 0) + m[3]!.length + 1;
  const valueColumn = value === '' ? 0 : text!.indexOf(value, prefix) + 1;
  return { indent: m[1]!.length, key: m[3]!, valueColumn, value };
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isBlankOrComment(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('#');
}

/** A value without its comment (" # ..."); found in one pass, where /\s+#.*$/ backtracked over runs of spaces. */
function withoutComment(value: string): string {
  const comment = /\s#/.exec(value);
  return comment ? value.slice(0, comment.index).trimEnd() : value;
}

/** `"value"` as YAML, quotes and backslashes escaped; long values shortened. */
function quoted(value: string): string {
  const v = withoutComment(value);
  const shown = v.length > 60 ? `${v.slice(0, 57)}…` : v;
  return `"${shown.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The `key:` line (with no value on it) whose block holds line `index` (0-based), if any. */
function enclosingBlock(lines: readonly string[], index: number): { line: number; key: string } | null {
  const own = indentOf(lines[index] ?? '');
  for (let i = index - 1; i >= 0; i--) {
    const text = lines[i]!;
    if (isBlankOrComment(text)) continue;
    const indent = indentOf(text);
    const kl = keyLine(text);
    const opensBlock = kl !== null && kl.value === '' && !text.trimStart().startsWith('-');
    if (opensBlock && indent < own) return { line: i + 1, key: kl.key };
    if (indent === 0 && !text.startsWith('-')) return opensBlock ? { line: i + 1, key: kl!.key } : null;
  }
  return null;
}

/** What the lines of a block hold: list items or settings, and an example of each to show. */
function describeBlock(lines: readonly string[], blockLine: number): { list: boolean; item?: string; child?: string } {
  let item: string | undefined;
  let child: string | undefined;
  for (let i = blockLine; i < lines.length; i++) {
    const text = lines[i]!;
    if (isBlankOrComment(text)) continue;
    if (indentOf(text) === 0 && !text.startsWith('-')) break;
    const trimmed = text.trim();
    if (trimmed.startsWith('- ')) item ??= trimmed.slice(2).trim();
    else if (item !== undefined) child ??= trimmed;
    else child ??= trimmed;
  }
  return { list: item !== undefined, ...(item ? { item } : {}), ...(child ? { child } : {}) };
}

function blockMessage(key: string, shape: ReturnType<typeof describeBlock>): string {
  if (!shape.list) {
    const example = shape.child ? `, for example "  ${shape.child}"` : '';
    return `the settings under "${key}:" are not lined up: indent each of them with the same two spaces${example}`;
  }
  const item = shape.item ?? 'value';
  const child =
    shape.child && /^[A-Za-z0-9_.-]+:/.test(item)
      ? `, and each of its other settings with four spaces, under the first ("    ${shape.child}")`
      : '';
  return (
    `the list under "${key}:" is not indented evenly: indent each item with two spaces, then a dash and ` +
    `a space ("  - ${item}")${child}`
  );
}

/** The quotation mark a line opens for its value and does not close, if it does. */
function unclosedQuote(line: KeyLine): '"' | "'" | null {
  const first = line.value[0];
  if (first !== '"' && first !== "'") return null;
  const rest = line.value.slice(1);
  const closed = first === '"' ? /(?:^|[^\\])(?:\\\\)*"/.test(rest) : rest.replace(/''/g, '').includes("'");
  return closed ? null : first;
}

/** Replaces the parser's errors for the common slips with one plain message each. */
export function explainYamlSlips(source: string, problems: readonly RawYamlProblem[]): RawYamlProblem[] {
  const lines = source.split('\n');
  const out: RawYamlProblem[] = [];
  const explainedLines = new Set<number>();
  const explainedBlocks = new Set<number>();
  const inExplainedBlock = (line: number) => {
    const block = enclosingBlock(lines, line - 1);
    return block !== null && explainedBlocks.has(block.line);
  };

  // A line with a problem explained in our own words (a tag, a duplicate key) needs no parser error beside it.
  const decisiveLines = new Set(problems.filter((p) => DECISIVE_CODES.has(p.code)).map((p) => p.line));
  for (const p of problems) {
    if (explainedLines.has(p.line) || inExplainedBlock(p.line)) continue;
    if (OWN_CODES.has(p.code)) {
      out.push(aliasOrText(p, keyLine(lines[p.line - 1])));
      continue;
    }
    if (decisiveLines.has(p.line)) continue;
    if (p.code === 'MISSING_CHAR' && /quote/i.test(p.message)) {
      const opened = findUnclosedQuote(lines, p.line);
      if (opened) {
        explainedLines.add(p.line).add(opened.line);
        out.push({
          message:
            `the value of "${opened.key}" opens a quotation mark (${opened.quote}) but does not close it: ` +
            `add ${opened.quote} at the end of the value` +
            (opened.quote === '"'
              ? ' (to show a quotation mark inside it, write \\")'
              : " (for an apostrophe inside it, write '')"),
          line: opened.line,
          column: opened.column,
          code: p.code,
        });
        continue;
      }
    }
    const kl = keyLine(lines[p.line - 1]);
    if (kl && kl.value !== '' && !(kl.value.startsWith('"') || kl.value.startsWith("'"))) {
      const colon = /:(?:\s|$)/.test(withoutComment(kl.value));
      const special = SPECIAL_START.exec(kl.value)?.[0].trim();
      if (colon || special) {
        explainedLines.add(p.line);
        const why = colon
          ? `contains a colon followed by a space, which YAML reads as the start of another setting`
          : `starts with "${special}", which YAML reads as part of its own syntax`;
        out.push({
          message: `the value of "${kl.key}" ${why}: put the value in double quotes, ${kl.key}: ${quoted(kl.value)}`,
          line: p.line,
          column: kl.valueColumn,
          code: p.code,
        });
        continue;
      }
    }
    const block = enclosingBlock(lines, p.line - 1);
    if (block) {
      explainedBlocks.add(block.line);
      out.push({ ...p, message: blockMessage(block.key, describeBlock(lines, block.line)) });
      continue;
    }
    explainedLines.add(p.line);
    out.push(p);
  }
  return out;
}

function findUnclosedQuote(
  lines: readonly string[],
  errorLine: number,
): { line: number; column: number; key: string; quote: string } | null {
  for (let i = Math.min(errorLine, lines.length) - 1; i >= 0; i--) {
    const kl = keyLine(lines[i]);
    if (!kl || kl.value === '') continue;
    const quote = unclosedQuote(kl);
    if (quote) return { line: i + 1, column: kl.valueColumn, key: kl.key, quote };
  }
  return null;
}

/** "title: *important*" is text to a person and an alias to YAML: the alias message also says how to write text. */
function aliasOrText(p: RawYamlProblem, line: KeyLine | null): RawYamlProblem {
  if (!p.message.startsWith('YAML aliases') || !line || line.valueColumn !== p.column) return p;
  return {
    ...p,
    message:
      `${p.message}; if the value is text starting with "*", put it in double quotes, ` +
      `${line.key}: ${quoted(line.value)}`,
  };
}
