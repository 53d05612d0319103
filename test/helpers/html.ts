/**
 * A small HTML tag reader for tests. Our templates quote every attribute
 * value with double quotes and escape text, so every "<" in the output
 * starts a real tag: reading tags and attributes this way is exact for our
 * own HTML (and a payload that broke out of escaping would show up as a
 * real tag or attribute here).
 */
export interface Tag {
  name: string;
  attributes: [string, string][];
}

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of html.matchAll(TAG)) {
    const attributes: [string, string][] = [];
    for (const a of m[2]!.matchAll(ATTRIBUTE)) {
      attributes.push([a[1]!.toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? '')]);
    }
    tags.push({ name: m[1]!.toLowerCase(), attributes });
  }
  return tags;
}

/** Inline script bodies (scripts without src), exactly as a browser hashes them. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\ssrc\s*=/.test(m[1]!))
    .map((m) => m[2]!);
}

export const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'srcset',
  'poster',
  'xlink:href',
  'data',
]);

export function isUnsafeUrl(url: string): boolean {
  const normalised = url.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  return /^(?:javascript|vbscript|data|file):/.test(normalised);
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
