import { describe, expect, it } from 'vitest';
import { createMarkdown, renderMarkdown } from '../../src/content/markdown.js';
import { buildFromFiles, FIXTURE_CONTACT_EMAIL, minimalFiles, page } from '../helpers/site.js';

const values = { contactEmail: { text: 'team@example.org', email: true }, siteName: { text: 'A *site* <name>' } };
const md = createMarkdown();
const render = (src: string) => renderMarkdown(md, src, 0, values);

describe('placeholders in page text', () => {
  it('are filled in text: the email as a mail link, other values as text, never as Markdown or HTML', () => {
    const r = render('Write to {{contactEmail}} at {{ siteName }}.');
    expect(r.html).toBe(
      '<p>Write to <a href="mailto:team@example.org">team@example.org</a> at A *site* &lt;name&gt;.</p>\n',
    );
    expect(r.unknownPlaceholders).toEqual([]);
  });

  it('leave code spans, code blocks and fenced code as written', () => {
    const r = render('Write `{{contactEmail}}` in a page.\n\n    {{contactEmail}}\n\n```\n{{siteName}}\n```\n');
    expect(r.html).toContain('<code>{{contactEmail}}</code>');
    expect(r.html).toContain('<pre><code>{{contactEmail}}\n</code></pre>');
    expect(r.html).toContain('<pre><code>{{siteName}}\n</code></pre>');
    expect(r.html).not.toContain('team@example.org');
  });

  it('leave link addresses alone, and do not put a link inside a link', () => {
    const r = render('[Mail {{contactEmail}}](/contact/) and [x](/{{siteName}}/)');
    expect(r.html).toBe(
      '<p><a href="/contact/">Mail team@example.org</a> and <a href="/%7B%7BsiteName%7D%7D/">x</a></p>\n',
    );
  });

  it('fill headings (and their ids) and image descriptions', () => {
    const r = render('## About {{siteName}}\n\n![Logo of {{siteName}}](/logo.png)');
    expect(r.headings[0]).toMatchObject({ text: 'About A *site* <name>', id: 'section-about-a-site-name' });
    expect(r.html).toContain('alt="Logo of A *site* &lt;name&gt;"');
  });

  it('are left as written when the braces are escaped', () => {
    expect(render('Write \\{{contactEmail}} to show the address.').html).toBe(
      '<p>Write {{contactEmail}} to show the address.</p>\n',
    );
  });

  it('report unknown names at their line and column, the first twenty only', () => {
    const r = render(
      `Intro.\n\nA {{nope}} and {{ nope }}.\n\n| a |\n|---|\n| x {{other}} |\n\n${'{{many}} '.repeat(100)}`,
    );
    expect(r.unknownPlaceholders.slice(0, 3)).toEqual([
      { text: '{{nope}}', line: 3, column: 3 },
      { text: '{{ nope }}', line: 3, column: 16 },
      { text: '{{other}}', line: 7, column: 5 },
    ]);
    expect(r.unknownPlaceholders).toHaveLength(20);
  });
});

describe('placeholders in the built site', () => {
  it('use the site settings and leave code alone', () => {
    const result = buildFromFiles(
      minimalFiles({
        'x.md': page('title: X\ndescription: D', 'Email {{contactEmail}}; write `{{contactEmail}}` to show it.\n'),
      }),
    );
    const html = result.site!.pages.get('/x/')!.bodyHtml;
    expect(html).toContain(`<a href="mailto:${FIXTURE_CONTACT_EMAIL}">${FIXTURE_CONTACT_EMAIL}</a>`);
    expect(html).toContain('<code>{{contactEmail}}</code>');
  });
});
