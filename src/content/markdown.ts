/**
 * Markdown to HTML for page bodies.
 *
 * Raw HTML is never passed through, link schemes are allow-listed, table
 * alignment becomes classes (a strict CSP blocks style attributes), and h2
 * headings get prefixed ids for the contents list.
 */
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it';

export interface Heading {
  level: number;
  text: string;
  id: string;
  line: number;
}

export interface LinkRef {
  href: string;
  line: number;
  column: number;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
  links: LinkRef[];
  images: LinkRef[];
}

const SAFE_SCHEME = /^(?:https?:|mailto:|tel:)/i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Only web, mail and phone links, or links without a scheme (paths and #fragments). */
export function isSafeUrl(url: string): boolean {
  const trimmed = url.trim();
  // Browsers ignore tabs and newlines inside a scheme; so must we.
  const normalised = trimmed.replace(/[\u0000-\u0020]/g, '');
  if (SAFE_SCHEME.test(normalised)) return true;
  return !ANY_SCHEME.test(normalised) && !normalised.startsWith('//') && !normalised.includes('\\');
}

export function createMarkdown(): MarkdownIt {
  const md = markdownIt('default', { html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = (url: string) => isSafeUrl(url);

  md.renderer.rules.table_open = () => '<table class="nhsuk-table">\n';
  for (const cell of ['th_open', 'td_open'] as const) {
    md.renderer.rules[cell] = (tokens, idx, options, _env, self) => {
      const token = tokens[idx]!;
      const style = String(token.attrGet('style') ?? '');
      if (style) {
        const align = /text-align:\s*(left|center|right)/.exec(style)?.[1];
        token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
        if (align) token.attrJoin('class', `app-align-${align}`);
      }
      if (cell === 'th_open' && !token.attrGet('scope')) token.attrSet('scope', 'col');
      return self.renderToken(tokens, idx, options);
    };
  }
  return md;
}

/** Text of an inline token, without markup. */
function plainText(inline: Token | undefined): string {
  if (!inline?.children) return inline?.content ?? '';
  return inline.children
    .filter((t) => t.type === 'text' || t.type === 'code_inline')
    .map((t) => t.content)
    .join('');
}

export function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'section'
  );
}

/**
 * Renders a page body. `lineOffset` maps body lines to file lines so that
 * heading and link positions can be reported against the source file.
 */
export function renderMarkdown(md: MarkdownIt, body: string, lineOffset = 0): RenderedMarkdown {
  const tokens = md.parse(body, {});
  const sourceLines = body.split('\n');
  const headings: Heading[] = [];
  const links: LinkRef[] = [];
  const images: LinkRef[] = [];
  const usedIds = new Set<string>();

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading_open') {
      const level = Number(token.tag.slice(1));
      const text = plainText(tokens[i + 1]);
      let id = `section-${slugify(text)}`;
      for (let n = 2; usedIds.has(id); n++) id = `section-${slugify(text)}-${n}`;
      usedIds.add(id);
      token.attrSet('id', id);
      headings.push({ level, text, id, line: (token.map?.[0] ?? 0) + 1 + lineOffset });
    }
    if (token.type === 'inline' && token.children) {
      const startLine = token.map?.[0] ?? 0;
      const endLine = token.map?.[1] ?? startLine + 1;
      for (const child of token.children) {
        const isLink = child.type === 'link_open';
        const isImage = child.type === 'image';
        if (!isLink && !isImage) continue;
        const href = String(child.attrGet(isLink ? 'href' : 'src') ?? '');
        const position = findInLines(sourceLines, startLine, endLine, href);
        const ref = { href, line: position.line + 1 + lineOffset, column: position.column + 1 };
        (isLink ? links : images).push(ref);
      }
    }
  }
  const html = md.renderer.render(tokens, md.options, {});
  return { html, headings, links, images };
}

function findInLines(lines: string[], start: number, end: number, needle: string): { line: number; column: number } {
  for (let l = start; l < end && l < lines.length; l++) {
    const column = lines[l]!.indexOf(`](${needle}`);
    if (column >= 0) return { line: l, column: column + 2 };
    const bare = lines[l]!.indexOf(needle);
    if (bare >= 0 && needle !== '') return { line: l, column: bare };
  }
  return { line: start, column: 0 };
}
