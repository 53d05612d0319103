/**
 * Placeholders such as {{contactEmail}} in page text, filled in while the
 * Markdown is parsed. Only text is touched: code spans, code blocks and link
 * addresses keep what was written, so a page can show how to write a
 * placeholder. A value becomes text (or a mail link), never Markdown or HTML.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

export interface PlaceholderValue {
  text: string;
  /** Shown as a mailto: link, as `<address>` is in Markdown (plain text inside another link). */
  email?: boolean;
}

export type PlaceholderValues = Readonly<Record<string, PlaceholderValue>>;

export interface UnknownPlaceholder {
  /** As written, e.g. "{{contactEmial}}". */
  text: string;
  /** 0-based line and column in the Markdown source. */
  line: number;
  column: number;
}

/** What a parse needs to fill placeholders in, and where it reports the unknown ones. */
export interface PlaceholderEnv {
  placeholders?: {
    values: PlaceholderValues;
    /** The first few unknown placeholders (MAX_UNKNOWN_PLACEHOLDERS), in order. */
    unknown: UnknownPlaceholder[];
    /** Lines of the source, to place unknown placeholders. */
    lines: readonly string[];
  };
}

/** Enough to act on; a file full of mistakes must not cost a report line each. */
export const MAX_UNKNOWN_PLACEHOLDERS = 20;

export const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

export function fillPlaceholders(md: MarkdownIt): void {
  // After inline parsing, before adjacent text tokens are joined: an escaped
  // brace (\{) is still a token of its own, so "\{{name}}" is left as written.
  md.core.ruler.after('inline', 'placeholders', (state: StateCore) => {
    const env = (state.env as PlaceholderEnv).placeholders;
    if (!env) return;
    // Table cells have no lines of their own: they are on their row's.
    let lines = [0, 1];
    for (const block of state.tokens) {
      if (block.map) lines = block.map;
      if (block.type !== 'inline' || !block.children || !block.content.includes('{{')) continue;
      const cursor = { line: lines[0]!, column: 0, end: lines[1]! };
      block.children = fillChildren(block.children, state, env, cursor, false);
    }
  });
}

function fillChildren(
  children: Token[],
  state: StateCore,
  env: NonNullable<PlaceholderEnv['placeholders']>,
  cursor: Cursor,
  asText: boolean,
): Token[] {
  const out: Token[] = [];
  let linkDepth = 0;
  for (const child of children) {
    if (child.type === 'link_open') linkDepth++;
    if (child.type === 'link_close') linkDepth--;
    if (child.type === 'image' && child.children)
      child.children = fillChildren(child.children, state, env, cursor, true);
    if (child.type !== 'text' || !child.content.includes('{{')) {
      out.push(child);
      continue;
    }
    let last = 0;
    for (const m of child.content.matchAll(PLACEHOLDER)) {
      const value = env.values[m[1]!];
      if (value === undefined) {
        if (env.unknown.length < MAX_UNKNOWN_PLACEHOLDERS)
          env.unknown.push({ text: m[0], ...find(env.lines, cursor, m[0]) });
        continue;
      }
      pushText(out, state, child, child.content.slice(last, m.index));
      if (value.email && !asText && linkDepth === 0) out.push(...mailLink(state, child, value.text));
      else pushText(out, state, child, value.text);
      last = m.index + m[0].length;
    }
    if (last === 0) out.push(child);
    else pushText(out, state, child, child.content.slice(last));
  }
  return out;
}

function pushText(out: Token[], state: StateCore, like: Token, content: string): void {
  if (content === '') return;
  const token = new state.Token('text', '', 0);
  token.content = content;
  token.level = like.level;
  out.push(token);
}

/** The tokens markdown-it makes for `<address>`. */
function mailLink(state: StateCore, like: Token, address: string): Token[] {
  const open = new state.Token('link_open', 'a', 1);
  open.attrs = [['href', state.md.normalizeLink(`mailto:${address}`)]];
  open.markup = 'autolink';
  open.info = 'auto';
  open.level = like.level;
  const text = new state.Token('text', '', 0);
  text.content = state.md.normalizeLinkText(address);
  text.level = like.level + 1;
  const close = new state.Token('link_close', 'a', -1);
  close.markup = 'autolink';
  close.info = 'auto';
  close.level = like.level;
  return [open, text, close];
}

interface Cursor {
  line: number;
  column: number;
  /** First line past the block. */
  end: number;
}

/**
 * Where a placeholder is written: searched forward from the previous one in
 * the same block, so the search never goes over the same text twice.
 */
function find(lines: readonly string[], cursor: Cursor, text: string): { line: number; column: number } {
  const startLine = cursor.line;
  for (; cursor.line < cursor.end && cursor.line < lines.length; cursor.line++, cursor.column = 0) {
    const at = lines[cursor.line]!.indexOf(text, cursor.column);
    if (at >= 0) {
      cursor.column = at + text.length;
      return { line: cursor.line, column: at };
    }
  }
  return { line: startLine, column: 0 };
}
