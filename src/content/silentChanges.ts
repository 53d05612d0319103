/**
 * Writing that the site accepts but shows differently from what the author
 * meant, with no error to say so:
 * - a line starting with a tab (or four spaces) becomes computer code;
 * - HTML such as <strong> is shown as written (the site never passes HTML through);
 * - a link to the preview on the author's own computer (http://localhost:3000/…)
 *   works there and nowhere else.
 * Each gets a warning at its line and column: what will happen, and what to write instead.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';

/** A link or image as the Markdown renderer found it (markdown.ts, which uses this module: no import back). */
interface WrittenLink {
  href: string;
  line: number;
  column: number;
}

/** Enough to act on: a page pasted from a web page must not cost a screen of warnings. */
export const MAX_SILENT_CHANGE_WARNINGS = 20;

export interface HtmlInText {
  /** As written, e.g. "<strong>" or "<!--". */
  text: string;
  /** Lowercase element name; "!--" for a comment. */
  name: string;
  /** Offset in the text searched. */
  offset: number;
}

export interface IndentedCode {
  /** 1-based file line of the block's first line. */
  line: number;
  /** True when that line starts with a tab (else with spaces). */
  tab: boolean;
}

/** Elements people write by habit or paste from elsewhere; other <words> are more likely meant as text. */
const ELEMENTS = new Set(
  (
    'a abbr address b big blockquote br caption center cite code col dd del details div dl dt em embed figure font ' +
    'form h1 h2 h3 h4 h5 h6 hr i iframe img input ins kbd li mark object ol p pre q s script section small span ' +
    'strike strong style sub summary sup table tbody td tfoot th thead tr u ul video audio'
  ).split(' '),
);

const TAG = /<!--|<([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?\/?>/g;

/**
 * The text with its code spans (`code`, whose text is shown as written on purpose) blanked out, lengths kept. A
 * run of backticks opens a span that the next run of the same length closes, as in CommonMark; each length's runs
 * are looked through once, so hostile text of many backticks costs one pass.
 */
function withoutCodeSpans(text: string): string {
  if (!text.includes('`')) return text;
  const runs: { start: number; length: number }[] = [];
  for (let i = text.indexOf('`'); i !== -1; i = text.indexOf('`', i)) {
    let end = i;
    while (text.charCodeAt(end) === 0x60) end++;
    runs.push({ start: i, length: end - i });
    i = end;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    let list = byLength.get(run.length);
    if (!list) byLength.set(run.length, (list = []));
    list.push(index);
  });
  const next = new Map<number, number>();
  let masked = '';
  let copied = 0;
  for (let r = 0; r < runs.length;) {
    const opener = runs[r]!;
    const list = byLength.get(opener.length)!;
    let c = next.get(opener.length) ?? 0;
    while (c < list.length && list[c]! <= r) c++;
    next.set(opener.length, c);
    if (c === list.length) {
      r++;
      continue;
    }
    const closer = runs[list[c]!]!;
    const end = closer.start + closer.length;
    masked += text.slice(copied, opener.start) + ' '.repeat(end - opener.start);
    copied = end;
    r = list[c]! + 1;
  }
  return masked + text.slice(copied);
}

/** HTML opening tags and comments in Markdown inline text (code spans and \< escapes left alone). */
export function findHtml(text: string): HtmlInText[] {
  if (!text.includes('<')) return [];
  const masked = withoutCodeSpans(text);
  const found: HtmlInText[] = [];
  for (const m of masked.matchAll(TAG)) {
    if (m.index > 0 && masked[m.index - 1] === '\\') continue;
    const name = m[1]?.toLowerCase() ?? '!--';
    if (name !== '!--' && !ELEMENTS.has(name)) continue;
    found.push({ text: text.slice(m.index, m.index + m[0].length), name, offset: m.index });
    if (found.length >= MAX_SILENT_CHANGE_WARNINGS) break;
  }
  return found;
}

/** What to write instead of an HTML element, in Markdown or in plain words. */
function instead(name: string): string {
  if (name === 'strong' || name === 'b') return 'write **bold text** instead';
  if (name === 'em' || name === 'i' || name === 'cite')
    return 'italics are hard to read on screen: write the words plainly, or **bold** for the word that matters';
  if (name === 'u') return 'underlined words look like links: write **bold** for the word that matters';
  if (name === 'br')
    return 'to start a new line, end the line before with a backslash (\\); for a new paragraph, leave an empty line';
  if (name === 'p') return 'leave an empty line between paragraphs instead';
  if (name === 'a') return 'write [the link text](/page-address/) instead';
  if (name === 'img') return 'write ![a description of the image](address) instead';
  if (/^h[1-6]$/.test(name))
    return `write the heading on a line of its own starting with ${'#'.repeat(Math.max(2, Number(name[1])))} instead`;
  if (name === 'ul' || name === 'li') return 'write each item on a line of its own starting with "- " instead';
  if (name === 'ol') return 'write each item on a line of its own starting with "1. " instead';
  if (['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'col'].includes(name))
    return 'write a Markdown table instead: a line "| Heading | Heading |", then "| --- | --- |", then a line per row';
  if (name === 'blockquote') return 'start the line with "> " instead';
  if (name === 'hr') return 'write a line of three hyphens, "---", with an empty line above it, instead';
  if (name === 'code' || name === 'pre' || name === 'kbd') return 'put the text between backticks (`) instead';
  return "remove it: the site's layout and styles come from the site itself";
}

/** A link's host is this computer: the preview's address, which visitors cannot reach. */
const LOCAL_ADDRESS =
  /^(?:https?:)?\/\/(?:localhost|[a-z0-9-]+\.localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])(?::\d+)?(?=[/?#]|$)/i;

/** The page-relative address a local link stands for: "http://localhost:3000/about/" → "/about/". */
function localPath(href: string): string | null {
  const m = LOCAL_ADDRESS.exec(href);
  if (!m) return null;
  return href.slice(m[0].length) || '/';
}

export function silentChangeWarnings(
  file: string,
  found: {
    indentedCode: readonly IndentedCode[];
    htmlInText: readonly (HtmlInText & { line: number; column: number })[];
    links: readonly WrittenLink[];
    images: readonly WrittenLink[];
  },
): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const block of found.indentedCode) {
    const start = block.tab ? 'a tab' : 'four spaces or more';
    const remove = block.tab ? 'the tab' : 'the spaces';
    warnings.push(
      diagnostic(
        file,
        `this line starts with ${start}, so the page shows it, and the lines after it up to the next empty line, ` +
          `as computer code, in a typewriter font: remove ${remove} at the start of the line ` +
          '(to show code on purpose, put it between two lines of three backticks, ```)',
        { line: block.line, column: 1 },
        'warning',
      ),
    );
  }
  for (const tag of found.htmlInText) {
    const what = tag.name === '!--' ? 'an HTML comment' : `HTML`;
    const fix = tag.name === '!--' ? 'delete it, or keep notes outside the page' : instead(tag.name);
    warnings.push(
      diagnostic(
        file,
        `${tag.text} is ${what}, which this site shows exactly as written, so visitors would see ` +
          `"${tag.text}" on the page: ${fix}`,
        tag,
        'warning',
      ),
    );
  }
  for (const [refs, kind] of [
    [found.links, 'link'],
    [found.images, 'image'],
  ] as const) {
    for (const ref of refs) {
      const path = localPath(ref.href);
      if (path === null) continue;
      warnings.push(
        diagnostic(
          file,
          `the ${kind} "${ref.href}" points to the preview on your own computer, which visitors cannot reach: ` +
            `write its address on this site, "${path}"`,
          ref,
          'warning',
        ),
      );
    }
  }
  return warnings.slice(0, MAX_SILENT_CHANGE_WARNINGS);
}
