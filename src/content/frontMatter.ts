/**
 * Splits a Markdown file into front matter and body, safely.
 *
 * gray-matter evaluates `---js` front matter with `eval` by default, so the
 * opener is checked before gray-matter sees the text, and every engine but
 * our hardened YAML one is replaced by a function that refuses.
 */
import matter from 'gray-matter';
import { parseYaml, type ParsedYaml, type YamlProblem } from './yaml.js';

export const MAX_FRONT_MATTER_BYTES = 16 * 1024;

export interface SplitFile {
  frontMatter: ParsedYaml;
  body: string;
  /** File line number of the body's first line, minus one: body line n is file line n + bodyLineOffset. */
  bodyLineOffset: number;
}

export type SplitResult = { ok: true; value: SplitFile } | { ok: false; problems: YamlProblem[] };

const refuse = (): never => {
  throw new Error('only YAML front matter is accepted');
};

const ENGINES = {
  yaml: { parse: refuse, stringify: refuse },
  js: { parse: refuse, stringify: refuse },
  javascript: { parse: refuse, stringify: refuse },
  json: { parse: refuse, stringify: refuse },
  coffee: { parse: refuse, stringify: refuse },
  coffeescript: { parse: refuse, stringify: refuse },
  toml: { parse: refuse, stringify: refuse },
};

export function splitFrontMatter(raw: string): SplitResult {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (!firstLine.startsWith('---')) {
    return fail(1, 1, 'the file must start with front matter: a line "---", then title and description, then "---"');
  }
  if (firstLine.trimEnd() !== '---') {
    return fail(1, 4, `front matter must open with a line of exactly "---"; "${truncate(firstLine)}" is refused (language tags such as ---js could run code)`);
  }

  let file: matter.GrayMatterFile<string>;
  try {
    // Passing options also turns off gray-matter's unbounded string cache.
    // The yaml engine is a no-op: the block is parsed below, with positions.
    file = matter(text, {
      language: 'yaml',
      delimiters: '---',
      engines: { ...ENGINES, yaml: { parse: () => ({}), stringify: refuse } },
    } as unknown as Parameters<typeof matter>[1]);
  } catch {
    return fail(1, 1, 'the front matter could not be read: open it with "---" and close it with "---"');
  }
  const source = file.matter;
  // The block starts on the opener's line, so its line count locates the closing line.
  const closingLine = countLines(source) + 1;
  const closingStart = offsetOfLine(text, closingLine);
  if (closingStart === -1) {
    return fail(1, 1, 'the front matter is never closed: add a line "---" after the last setting');
  }
  const closingEnd = text.indexOf('\n', closingStart);
  const closing = text.slice(closingStart, closingEnd === -1 ? text.length : closingEnd);
  if (closing.trimEnd() !== '---') {
    return fail(closingLine, 1, 'the front matter must close with a line of exactly "---"');
  }
  if (Buffer.byteLength(source, 'utf8') > MAX_FRONT_MATTER_BYTES) {
    return fail(1, 1, `the front matter is larger than ${MAX_FRONT_MATTER_BYTES / 1024} KB: move long text into the page body`);
  }
  const result = parseYaml(source);
  if (!result.ok) return { ok: false, problems: result.problems };
  const body = closingEnd === -1 ? '' : text.slice(closingEnd + 1);
  return { ok: true, value: { frontMatter: result.value, body, bodyLineOffset: closingLine } };
}

function countLines(s: string): number {
  let lines = 1;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Offset of the start of a 1-based line, or -1 if the text has fewer lines. */
function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return -1;
    offset = next + 1;
  }
  return offset;
}

function fail(line: number, column: number, message: string): SplitResult {
  return { ok: false, problems: [{ line, column, message }] };
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
