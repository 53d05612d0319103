/**
 * Markdown to HTML for page bodies.
 *
 * Raw HTML is never passed through, link schemes are allow-listed, table
 * alignment becomes classes (a strict CSP blocks style attributes), and h2
 * headings get prefixed ids for the contents list.
 */
import markdownIt, { type Env, type MarkdownIt, type Token } from 'markdown-it';
import { fillPlaceholders, type PlaceholderEnv, type PlaceholderValues } from './markdownPlaceholders.js';
import { sectionPagesBlock } from './markdownSectionPages.js';
import {
  addressOffset,
  InlineStarts,
  recordInlineStarts,
  SourceLocator,
  type InlineStartsEnv,
} from './markdownPositions.js';
import { findHtml, MAX_SILENT_CHANGE_WARNINGS, type HtmlInText, type IndentedCode } from './silentChanges.js';

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

/** An image as written: its address, its alternative text, and whether it is marked {decorative}. */
export interface ImageRef extends LinkRef {
  alt: string;
  decorative: boolean;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
  links: LinkRef[];
  /** In document order: the HTML's image n has the source IMAGE_MARKER(n), resolved when the page is rendered. */
  images: ImageRef[];
  /**
   * Placeholders with no value, as written, at their 1-based line and column in the file (the first
   * MAX_UNKNOWN_PLACEHOLDERS).
   */
  unknownPlaceholders: { text: string; line: number; column: number }[];
  /** Blocks shown as code because their lines are indented (a tab, say), at 1-based file lines. */
  indentedCode: IndentedCode[];
  /** HTML written in the text, which is shown as written, at 1-based file lines and columns. */
  htmlInText: (HtmlInText & { line: number; column: number })[];
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
  recordInlineStarts(md);
  fillPlaceholders(md);
  sectionPagesBlock(md);

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
 * Unique heading ids in one pass: each id remembers the next number to try
 * after it, so a page of a thousand equal headings does not count from 2 a
 * thousand times.
 */
class HeadingIds {
  private readonly used = new Set<string>();
  private readonly nextNumber = new Map<string, number>();

  take(base: string): string {
    let id = base;
    if (this.used.has(id)) {
      let n = this.nextNumber.get(base) ?? 2;
      while (this.used.has(`${base}-${n}`)) n++;
      id = `${base}-${n}`;
      this.nextNumber.set(base, n + 1);
    }
    this.used.add(id);
    return id;
  }
}

type ParseEnv = InlineStartsEnv & PlaceholderEnv & Env;

/**
 * Parses Markdown with placeholders filled in (when values are given), for
 * the page renderer and the PDF generator alike.
 */
export function parseMarkdown(
  md: MarkdownIt,
  body: string,
  placeholders?: PlaceholderValues,
): { tokens: Token[]; env: ParseEnv; lines: string[] } {
  const lines = body.split('\n');
  const env: ParseEnv = {
    inlineStarts: new InlineStarts(),
    ...(placeholders ? { placeholders: { values: placeholders, unknown: [], lines } } : {}),
  };
  return { tokens: md.parse(body, env), env, lines };
}

/**
 * Renders a page body. `lineOffset` maps body lines to file lines so that
 * heading and link positions can be reported against the source file.
 */
export function renderMarkdown(
  md: MarkdownIt,
  body: string,
  lineOffset = 0,
  placeholders?: PlaceholderValues,
): RenderedMarkdown {
  const { tokens, env, lines } = parseMarkdown(md, body, placeholders);
  const starts = env.inlineStarts!;
  const locator = new SourceLocator(lines);
  const headings: Heading[] = [];
  const links: LinkRef[] = [];
  const images: ImageRef[] = [];
  const indentedCode: IndentedCode[] = [];
  const htmlInText: RenderedMarkdown['htmlInText'] = [];
  const ids = new HeadingIds();
  // Table cells have no line of their own: they are on their row's.
  let blockLine = 0;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.map) blockLine = token.map[0];
    if (token.type === 'heading_open') {
      const level = Number(token.tag.slice(1));
      const text = plainText(tokens[i + 1]);
      const id = ids.take(`section-${slugify(text)}`);
      token.attrSet('id', id);
      headings.push({ level, text, id, line: (token.map?.[0] ?? 0) + 1 + lineOffset });
    }
    if (token.type === 'code_block' && token.map && indentedCode.length < MAX_SILENT_CHANGE_WARNINGS) {
      indentedCode.push({ line: token.map[0] + 1 + lineOffset, tab: /^ *\t/.test(lines[token.map[0]] ?? '') });
    }
    if (token.type === 'inline' && token.children) {
      const locate = locator.forInline(token, blockLine);
      if (htmlInText.length < MAX_SILENT_CHANGE_WARNINGS) {
        for (const found of findHtml(token.content)) {
          const position = locate(found.offset);
          htmlInText.push({ ...found, line: position.line + 1 + lineOffset, column: position.column + 1 });
        }
      }
      token.children.forEach((child, c) => {
        const isLink = child.type === 'link_open';
        const isImage = child.type === 'image';
        if (!isLink && !isImage) return;
        const href = String(child.attrGet(isLink ? 'href' : 'src') ?? '');
        const offset = addressOffset(starts, child, token.content);
        const position = offset === null ? { line: blockLine, column: 0 } : locate(offset);
        const ref = { href, line: position.line + 1 + lineOffset, column: position.column + 1 };
        if (isLink) {
          links.push(ref);
          return;
        }
        const decorative = takeDecorativeMark(token.children![c + 1]);
        // The file's address and size are known only when the whole site is built: a marker stands in.
        child.attrSet('src', imageMarker(images.length));
        images.push({ ...ref, alt: child.content, decorative });
      });
    }
  }
  const html = md.renderer.render(tokens, md.options, {});
  const unknownPlaceholders = (env.placeholders?.unknown ?? []).map((p) => ({
    ...p,
    line: p.line + 1 + lineOffset,
    column: p.column + 1,
  }));
  return { html, headings, links, images, unknownPlaceholders, indentedCode, htmlInText };
}

/** How an image is marked as decoration, right after it: ![](border.png){decorative}. */
export const DECORATIVE_MARK = '{decorative}';

/**
 * Removes a {decorative} mark from the start of the text after an image, and
 * says whether it was there.
 */
function takeDecorativeMark(next: Token | undefined): boolean {
  if (next?.type !== 'text' || !next.content.startsWith(DECORATIVE_MARK)) return false;
  next.content = next.content.slice(DECORATIVE_MARK.length);
  return true;
}

/**
 * The source of image n of a page until the page is rendered. NUL never
 * survives Markdown parsing (markdown-it replaces it), so content cannot
 * forge a marker.
 */
export function imageMarker(n: number): string {
  return `\u0000img${n}\u0000`;
}

/** Finds every marked image source in a page's HTML: `src="<marker>"`, with the image's number. */
export const IMAGE_MARKER_ATTRIBUTE = /src="\u0000img(\d+)\u0000"/g;
