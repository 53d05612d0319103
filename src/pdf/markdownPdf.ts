/**
 * Makes a tagged PDF from a document page's Markdown, so that the PDF and
 * the HTML page carry the same text (NHS guidance: HTML first, PDF second).
 *
 * Accessibility: the PDF is tagged (headings H1-H3, paragraphs, lists as
 * L/LI/Lbl/LBody), declares its language and title (shown in the window
 * title), embeds its font (Arimo, metric-compatible with Arial) and marks
 * itself PDF/UA-1. It has not been checked with a PDF/UA validator; links
 * are printed as text rather than as tagged link annotations, and tables,
 * images, quotes and code are refused rather than rendered badly.
 *
 * Output is deterministic (dates come from front matter), so a test can
 * tell when a committed PDF no longer matches its page.
 *
 * Uses pdfkit, a development dependency: only the PDF build script and
 * tests import this module, never the server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Token } from 'markdown-it';
import PDFDocument from 'pdfkit';
import { createMarkdown, parseMarkdown } from '../content/markdown.js';
import type { PlaceholderValues } from '../content/markdownPlaceholders.js';

export interface PdfSource {
  title: string;
  /** Document summary, stored as the PDF's subject. */
  subject: string;
  language: string;
  author: string;
  keywords: string;
  /** YYYY-MM-DD */
  published: string;
  /** YYYY-MM-DD */
  updated?: string;
  /** Plain-text paragraphs under the title (the summary, the publication date). */
  intro: string[];
  /** Page body. */
  markdown: string;
  /** Values of the {{placeholders}} in the body, as on the page. */
  placeholders?: PlaceholderValues;
}

export class UnsupportedMarkdownError extends Error {}

interface Span {
  text: string;
  bold: boolean;
  italic: boolean;
}

type Block =
  | { kind: 'heading'; level: number; spans: Span[] }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; ordered: boolean; items: Span[][] };

const PAGE_MARGIN = 72;
const SIZES = { h1: 22, h2: 16, h3: 13, body: 11 };
const require = createRequire(import.meta.url);

function fontBytes(weight: 400 | 700, style: 'normal' | 'italic'): Buffer {
  return readFileSync(require.resolve(`@fontsource/arimo/files/arimo-latin-${weight}-${style}.woff`));
}

/** Markdown tokens to a small set of blocks; anything else is refused with a reason. */
export function blocksFromMarkdown(markdown: string, placeholders?: PlaceholderValues): Block[] {
  const { tokens, env } = parseMarkdown(createMarkdown(), markdown, placeholders);
  const unknown = env.placeholders?.unknown[0];
  if (unknown) throw new UnsupportedMarkdownError(`line ${unknown.line + 1}: unknown placeholder ${unknown.text}`);
  const blocks: Block[] = [];
  let list: Extract<Block, { kind: 'list' }> | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open': {
        const level = Number(t.tag.slice(1));
        if (level > 3)
          throw new UnsupportedMarkdownError(
            `line ${(t.map?.[0] ?? 0) + 1}: headings below level 3 (###) are not supported in generated PDFs`,
          );
        blocks.push({ kind: 'heading', level, spans: spans(tokens[i + 1]) });
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const s = spans(tokens[i + 1]);
        if (list) list.items.push(s);
        else blocks.push({ kind: 'paragraph', spans: s });
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        if (list)
          throw new UnsupportedMarkdownError(
            `line ${(t.map?.[0] ?? 0) + 1}: lists inside lists are not supported in generated PDFs`,
          );
        list = { kind: 'list', ordered: t.type === 'ordered_list_open', items: [] };
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        if (list) blocks.push(list);
        list = null;
        break;
      case 'list_item_open':
      case 'list_item_close':
        break;
      default:
        throw new UnsupportedMarkdownError(
          `line ${(t.map?.[0] ?? 0) + 1}: "${t.type.replace(/_open$/, '')}" is not ` +
            `supported in generated PDFs: use headings, paragraphs and simple lists`,
        );
    }
  }
  return blocks;
}

function spans(inline: Token | undefined): Span[] {
  const out: Span[] = [];
  let bold = false;
  let italic = false;
  let href: string | null = null;
  let linkText = '';
  for (const c of inline?.children ?? []) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        if (href !== null) linkText += c.content;
        out.push({ text: c.content, bold, italic });
        break;
      case 'softbreak':
      case 'hardbreak':
        out.push({ text: ' ', bold, italic });
        break;
      case 'strong_open':
      case 'strong_close':
        bold = c.type === 'strong_open';
        break;
      case 'em_open':
      case 'em_close':
        italic = c.type === 'em_open';
        break;
      case 'link_open':
        href = String(c.attrGet('href') ?? '');
        linkText = '';
        break;
      case 'link_close': {
        // Links are printed as text: the address follows when the words do not already show it.
        const shown = href?.replace(/^mailto:/, '') ?? '';
        if (shown && shown !== linkText) out.push({ text: ` (${shown})`, bold, italic });
        href = null;
        break;
      }
      default:
        throw new UnsupportedMarkdownError(`"${c.type}" is not supported in generated PDFs`);
    }
  }
  return out;
}

function pdfDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

export function renderPdf(source: PdfSource): Promise<Buffer> {
  const blocks = blocksFromMarkdown(source.markdown, source.placeholders);
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    lang: source.language,
    displayTitle: true,
    // pdfkit supports PDF/UA; its type definitions only list the PDF/A subsets.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    compress: true,
    info: {
      Title: source.title,
      Author: source.author,
      Subject: source.subject,
      Keywords: source.keywords,
      Creator: 'build-document-pdfs',
      Producer: 'pdfkit',
      CreationDate: pdfDate(source.published),
      ModDate: pdfDate(source.updated ?? source.published),
    },
  });
  doc.registerFont('regular', fontBytes(400, 'normal'));
  doc.registerFont('bold', fontBytes(700, 'normal'));
  doc.registerFont('italic', fontBytes(400, 'italic'));
  doc.registerFont('boldItalic', fontBytes(700, 'italic'));

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - PAGE_MARGIN * 2;
  const writeSpans = (list: Span[], size: number, x: number, y: number | undefined, w: number, forceBold = false) => {
    const parts = list.length > 0 ? list : [{ text: '', bold: false, italic: false }];
    parts.forEach((s, i) => {
      const bold = forceBold || s.bold;
      doc.font(bold && s.italic ? 'boldItalic' : bold ? 'bold' : s.italic ? 'italic' : 'regular').fontSize(size);
      const options = { width: w, continued: i < parts.length - 1, lineGap: 3 };
      if (i === 0 && y !== undefined) doc.text(s.text, x, y, options);
      else if (i === 0) doc.text(s.text, x, doc.y, options);
      else doc.text(s.text, options);
    });
  };

  root.add(
    doc.struct('H1', {}, () =>
      writeSpans([{ text: source.title, bold: true, italic: false }], SIZES.h1, PAGE_MARGIN, undefined, width),
    ),
  );
  doc.moveDown(0.5);
  for (const text of source.intro) {
    root.add(
      doc.struct('P', {}, () =>
        writeSpans([{ text, bold: false, italic: false }], SIZES.body, PAGE_MARGIN, undefined, width),
      ),
    );
    doc.moveDown(0.6);
  }
  for (const block of blocks) {
    if (block.kind === 'heading') {
      doc.moveDown(0.4);
      const size = block.level === 1 ? SIZES.h1 : block.level === 2 ? SIZES.h2 : SIZES.h3;
      root.add(
        doc.struct(`H${block.level}` as 'H1', {}, () =>
          writeSpans(block.spans, size, PAGE_MARGIN, undefined, width, true),
        ),
      );
      doc.moveDown(0.4);
    } else if (block.kind === 'paragraph') {
      root.add(doc.struct('P', {}, () => writeSpans(block.spans, SIZES.body, PAGE_MARGIN, undefined, width)));
      doc.moveDown(0.6);
    } else {
      const listStruct = doc.struct('L');
      root.add(listStruct);
      block.items.forEach((item, n) => {
        // Keep a label and its item on one page.
        if (doc.y + SIZES.body * 2 > doc.page.height - PAGE_MARGIN) doc.addPage();
        const y = doc.y;
        const li = doc.struct('LI');
        listStruct.add(li);
        li.add(
          doc.struct('Lbl', {}, () =>
            writeSpans(
              [{ text: block.ordered ? `${n + 1}.` : '•', bold: false, italic: false }],
              SIZES.body,
              PAGE_MARGIN + 6,
              y,
              18,
            ),
          ),
        );
        li.add(doc.struct('LBody', {}, () => writeSpans(item, SIZES.body, PAGE_MARGIN + 24, y, width - 24)));
        li.end();
        doc.moveDown(0.3);
      });
      listStruct.end();
      doc.x = PAGE_MARGIN;
      doc.moveDown(0.4);
    }
  }
  root.end();
  doc.end();
  return done;
}
