import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { generatedPdfs } from '../../src/pdf/documentPdfs.js';
import { blocksFromMarkdown, renderPdf, UnsupportedMarkdownError } from '../../src/pdf/markdownPdf.js';
import { BUNDLED_CONTENT } from '../helpers/site.js';

describe('PDFs made from document pages', () => {
  it('are committed exactly as `npm run build:pdfs` makes them from the current page text', async () => {
    const generated = generatedPdfs(await loadContent(BUNDLED_CONTENT));
    if (!generated.ok) throw new Error(generated.diagnostics.map((d) => d.message).join('\n'));
    const pdfs = generated.pdfs;
    expect(pdfs.map((p) => p.path).sort()).toEqual([
      'documents/final-achievement-report/final-achievement-report-sample.pdf',
      'documents/quality-indicators/5-quality-indicators-rationale-and-targets-sample.pdf',
    ]);
    for (const pdf of pdfs) {
      const committed = readFileSync(path.join(BUNDLED_CONTENT, pdf.path));
      const made = await pdf.render();
      expect(Buffer.compare(made, committed), `${pdf.path} is out of date: run npm run build:pdfs and commit it`).toBe(
        0,
      );
    }
  });

  it('are tagged, titled and in the site language, with an embedded font', async () => {
    const bytes = await renderPdf({
      title: 'Sample – title',
      subject: 'A sample.',
      language: 'en-GB',
      author: 'Tests',
      keywords: 'sample',
      published: '2026-01-10',
      intro: ['Summary.'],
      markdown:
        '## Heading\n\nText with **bold** and *italic* and [a ' +
        'link](https://example.org/).\n\n- one\n- two\n\n1. first\n',
    });
    const text = bytes.toString('latin1');
    expect(text.startsWith('%PDF-1.7')).toBe(true);
    expect(text).toMatch(/\/Lang \(en-GB\)/);
    expect(text).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(text).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(text).toMatch(/\/Marked true/);
    expect(text).toMatch(/\/DisplayDocTitle true/);
    expect(text).toMatch(/\/FontFile2 \d+ 0 R/);
    for (const tag of ['/H1', '/H2', '/P', '/L', '/LI', '/Lbl', '/LBody']) expect(text).toContain(`/S ${tag}`);
    expect(text).toContain('pdfuaid:part>1<');
  });

  it('refuse Markdown they cannot render faithfully', () => {
    expect(() => blocksFromMarkdown('| a |\n| - |\n| b |\n')).toThrow(UnsupportedMarkdownError);
    expect(() => blocksFromMarkdown('> quoted\n')).toThrow(/blockquote/);
    expect(() => blocksFromMarkdown('#### Too deep\n')).toThrow(/level 3/);
    expect(() => blocksFromMarkdown('- a\n  - nested\n')).toThrow(/inside lists/);
    expect(() => blocksFromMarkdown('![image](x.png)\n')).toThrow(UnsupportedMarkdownError);
  });
});
