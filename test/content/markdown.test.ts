import { describe, expect, it } from 'vitest';
import { createMarkdown, isSafeUrl, renderMarkdown } from '../../src/content/markdown.js';

const md = createMarkdown();
const html = (src: string) => renderMarkdown(md, src).html;

describe('Markdown rendering', () => {
  it('never passes raw HTML through', () => {
    const out = html('<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> and <b>bold</b>\n');
    expect(out).not.toMatch(/<script|<img|<b>/);
    expect(out).toContain('&lt;script&gt;');
  });

  for (const href of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'data:image/png;base64,iVBOR',
    'file:///etc/passwd',
    '//evil.example/x',
  ]) {
    it(`renders a ${href.slice(0, 12)}… link as plain text`, () => {
      const out = html(`[click](${href})`);
      expect(out).not.toContain('<a ');
      expect(out).toContain('[click]');
    });
  }

  it('never emits a backslash that a browser would read as "//"', () => {
    const out = html('[x](\\\\evil\\share)');
    expect(out).not.toMatch(/href="[^"]*\\/);
    expect(out).not.toMatch(/href="\/\//);
  });

  it('keeps web, mail, phone, path and fragment links', () => {
    for (const href of [
      'https://example.org/',
      'http://example.org/',
      'mailto:a@example.org',
      'tel:+441234',
      '/about/',
      '../x/',
      '#part',
    ]) {
      expect(isSafeUrl(href), href).toBe(true);
      expect(html(`[x](${href})`)).toContain('<a href=');
    }
  });

  it('turns table alignment into classes, never style attributes', () => {
    const out = html('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n');
    expect(out).not.toContain('style=');
    expect(out).toContain('<th class="app-align-left" scope="col">a</th>');
    expect(out).toContain('<td class="app-align-center">2</td>');
    expect(out).toContain('<td class="app-align-right">3</td>');
  });

  it('gives headings prefixed, unique ids that cannot clobber DOM globals', () => {
    const r = renderMarkdown(md, '## Location\n\n## Location\n\n## __proto__\n');
    expect(r.headings.map((h) => h.id)).toEqual(['section-location', 'section-location-2', 'section-proto']);
  });

  it('reports link positions against the file, using the body line offset', () => {
    const r = renderMarkdown(md, 'a\n\nsee [x](/y/)\n', 10);
    expect(r.links).toEqual([{ href: '/y/', line: 13, column: 9 }]);
  });
});
