/**
 * Compact plain forms of a page's lists, for crossing to another thread.
 * Structured cloning makes one object at a time, which for a page at the size
 * limit (tens of thousands of headings or links) took a fifth of a second on
 * the receiving thread; columns of numbers and JSON lists of strings take a
 * tenth of that, and the receiving thread is the one answering requests.
 */
import type { Heading } from './markdown.js';
import type { LinkTarget, PageLink } from './model.js';

export interface PlainHeadings {
  levels: Uint8Array;
  lines: Uint32Array;
  /** JSON lists of strings. */
  texts: string;
  ids: string;
}

export function toPlainHeadings(headings: readonly Heading[]): PlainHeadings {
  return {
    levels: Uint8Array.from(headings, (h) => h.level),
    lines: Uint32Array.from(headings, (h) => h.line),
    texts: JSON.stringify(headings.map((h) => h.text)),
    ids: JSON.stringify(headings.map((h) => h.id)),
  };
}

export function fromPlainHeadings(plain: PlainHeadings): Heading[] {
  const texts = JSON.parse(plain.texts) as string[];
  const ids = JSON.parse(plain.ids) as string[];
  const headings = new Array<Heading>(plain.levels.length);
  for (let i = 0; i < headings.length; i++)
    headings[i] = { level: plain.levels[i]!, text: texts[i]!, id: ids[i]!, line: plain.lines[i]! };
  return headings;
}

const KINDS = ['external', 'fragment', 'invalid', 'path'] as const;

export interface PlainLinks {
  kinds: Uint8Array;
  lines: Uint32Array;
  columns: Uint32Array;
  /** JSON lists of strings: the addresses as written, and each target's id or path ('' for none). */
  hrefs: string;
  values: string;
}

export function toPlainLinks(links: readonly PageLink[]): PlainLinks {
  return {
    kinds: Uint8Array.from(links, (l) => KINDS.indexOf(l.target.kind)),
    lines: Uint32Array.from(links, (l) => l.line),
    columns: Uint32Array.from(links, (l) => l.column),
    hrefs: JSON.stringify(links.map((l) => l.href)),
    values: JSON.stringify(
      links.map((l) =>
        l.target.kind === 'fragment' ? l.target.id : l.target.kind === 'path' ? l.target.pathname : '',
      ),
    ),
  };
}

export function fromPlainLinks(plain: PlainLinks): PageLink[] {
  const hrefs = JSON.parse(plain.hrefs) as string[];
  const values = JSON.parse(plain.values) as string[];
  const links = new Array<PageLink>(plain.kinds.length);
  for (let i = 0; i < links.length; i++) {
    const kind = KINDS[plain.kinds[i]!]!;
    const target: LinkTarget =
      kind === 'fragment' ? { kind, id: values[i]! } : kind === 'path' ? { kind, pathname: values[i]! } : { kind };
    links[i] = { href: hrefs[i]!, line: plain.lines[i]!, column: plain.columns[i]!, target };
  }
  return links;
}
