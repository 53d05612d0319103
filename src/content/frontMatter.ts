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
/**
 * A page needs a dozen settings, or a few dozen with a list of documents.
 * Thousands of short lines (say, merge keys) would make the YAML parser
 * spend a tenth of a second on one file, so they are refused first.
 */
export const MAX_FRONT_MATTER_LINES = 200;

export interface SplitFile {
  frontMatter: ParsedYaml;
  body: string;
  /** File line number of the body's first line, minus one: body line n is file line n + bodyLineOffset. */
  bodyLineOffset: number;
}

export type SplitResult =
  | { ok: true; value: SplitFile }
  /** The body comes back too when only the YAML is wrong, so that its own problems can be reported at once. */
  | { ok: false; problems: YamlProblem[]; body?: { text: string; lineOffset: number } };

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
    return fail(
      1,
      4,
      `front matter must open with a line of exactly "---"; ` +
        `"${truncate(firstLine)}" is refused (language tags such as ---js could ` +
        `run code)`,
    );
  }

  // Find the closing line ourselves first, so that the cost of an oversized
  // or unclosed block does not grow with the size of the file.
  const closeAt = text.indexOf('\n---', firstLine.length);
  if (closeAt === -1) {
    return fail(1, 1, 'the front matter is never closed: add a line "---" after the last setting');
  }
  if (closeAt - firstLine.length > MAX_FRONT_MATTER_BYTES + 1) {
    return fail(
      1,
      1,
      `the front matter is larger than ${MAX_FRONT_MATTER_BYTES / 1024} KB: move long text into the page body`,
    );
  }
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < closeAt; i = text.indexOf('\n', i + 1)) lines++;
  if (lines > MAX_FRONT_MATTER_LINES) {
    return fail(
      1,
      1,
      `the front matter has more than ${MAX_FRONT_MATTER_LINES} lines: move long text into the page body`,
    );
  }
  const closingEnd = text.indexOf('\n', closeAt + 1);
  const head = closingEnd === -1 ? text : text.slice(0, closingEnd + 1);

  let file: matter.GrayMatterFile<string>;
  try {
    // Passing options also turns off gray-matter's unbounded string cache.
    // The yaml engine is a no-op: the block is parsed below, with positions.
    file = matter(head, {
      language: 'yaml',
      delimiters: '---',
      engines: { ...ENGINES, yaml: { parse: () => ({}), stringify: refuse } },
    } as unknown as Parameters<typeof matter>[1]);
  } catch {
    return fail(1, 1, 'the front matter could not be read: open it with "---" and close it with "---"');
  }
  const source = file.matter;
  const closingLine = source.split('\n').length + 1; // the block starts on the opener's line
  const closing = head.split('\n')[closingLine - 1];
  if (closing === undefined) {
    return fail(1, 1, 'the front matter is never closed: add a line "---" after the last setting');
  }
  if (closing.trimEnd() !== '---') {
    return fail(closingLine, 1, 'the front matter must close with a line of exactly "---"');
  }
  if (Buffer.byteLength(source, 'utf8') > MAX_FRONT_MATTER_BYTES) {
    return fail(
      1,
      1,
      `the front matter is larger than ${MAX_FRONT_MATTER_BYTES / 1024} KB: move long text into the page body`,
    );
  }
  const result = parseYaml(source);
  const body = closingEnd === -1 ? '' : text.slice(closingEnd + 1);
  if (!result.ok) return { ok: false, problems: result.problems, body: { text: body, lineOffset: closingLine } };
  return { ok: true, value: { frontMatter: result.value, body, bodyLineOffset: closingLine } };
}

function fail(line: number, column: number, message: string): SplitResult {
  return { ok: false, problems: [{ line, column, message }] };
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
