/**
 * {{sectionPages}}: a section page's automatic list of its pages, made from the view served, safe whatever the
 * pages say, and rendered again when the pages it lists change.
 */
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { formatDiagnostic } from '../../src/content/diagnostics.js';
import { PageCache } from '../../src/content/pageCache.js';
import { renderSite, SiteRenderer } from '../../src/render/siteRenderer.js';
import { buildFromFiles, memoryFolder, minimalFiles, page, SITE_URL } from '../helpers/site.js';

function files(extra: Record<string, string> = {}): Record<string, string> {
  return minimalFiles({
    'streams/index.md': page(
      'title: Work streams\ndescription: D',
      'The streams:\n\n{{sectionPages}}\n\nThat is all.\n',
    ),
    'streams/kpis.md': page('title: Key indicators\ndescription: What we measured.\nnavigation:\n  order: 1'),
    'streams/survey.md': page('title: Survey\ndescription: What units told us.\nnavigation:\n  order: 2'),
    'streams/plans.md': page('title: Plans\ndescription: Not yet.\ndraft: true'),
    'streams/hidden.md': page('title: Hidden\ndescription: D\nnavigation:\n  hidden: true'),
    ...extra,
  });
}

function main(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

describe('{{sectionPages}}', () => {
  it('lists the section’s published pages in navigation order, each linked with its description', () => {
    const result = buildFromFiles(files());
    expect(result.diagnostics).toEqual([]);
    const html = main(renderSite(result.site!, { siteUrl: SITE_URL }).pages.get('/streams/')!.body.toString());
    const list = html.replace(/\s+/g, ' ');
    expect(list).toContain(
      '<p>The streams:</p> <ul class="nhsuk-list nhsuk-list--border app-section-pages"> <li> ' +
        '<a href="/streams/kpis/">Key indicators</a> ' +
        '<p class="nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0">What we measured.</p> </li> <li> ' +
        '<a href="/streams/survey/">Survey</a> ' +
        '<p class="nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0">What units told us.</p> </li> </ul> ' +
        '<p>That is all.</p>',
    );
    // Drafts are listed only in the preview; pages hidden from the navigation nowhere.
    expect(html).not.toContain('/streams/plans/');
    expect(html).not.toContain('/streams/hidden/');
    const preview = renderSite(result.preview!, { siteUrl: SITE_URL, preview: {} }).pages.get('/streams/')!;
    expect(main(preview.body.toString())).toContain('<a href="/streams/plans/">Plans</a>');
  });

  it('lists the top level on the home page', () => {
    const result = buildFromFiles(files({ 'index.md': page('title: Home\ndescription: D', '{{ sectionPages }}\n') }));
    const html = main(renderSite(result.site!, { siteUrl: SITE_URL }).pages.get('/')!.body.toString());
    expect(html).toContain('<a href="/streams/">Work streams</a>');
    expect(html).not.toContain('href="/"');
  });

  it('is safe: titles are text, never template code, and page text cannot forge the list', () => {
    const result = buildFromFiles(
      files({
        'streams/kpis.md': page(
          'title: "{{ 7 * 7 }} {% include \'layouts/base.njk\' %} <script>x</script>"\ndescription: "{{ site.name }}"',
        ),
        'other.md': page('title: Other\ndescription: D', '<!--section-pages-->\n\n`{{sectionPages}}`\n'),
      }),
    );
    const site = renderSite(result.site!, { siteUrl: SITE_URL });
    const html = main(site.pages.get('/streams/')!.body.toString());
    expect(html).toContain('{{ 7 * 7 }} {% include &#39;layouts/base.njk&#39; %} &lt;script&gt;x&lt;/script&gt;</a>');
    expect(html).toContain('>{{ site.name }}</p>');
    expect(html).not.toContain('49');
    const other = main(site.pages.get('/other/')!.body.toString());
    expect(other).toContain('&lt;!--section-pages--&gt;');
    expect(other).toContain('<code>{{sectionPages}}</code>');
    expect(other).not.toContain('app-section-pages');
  });

  it('inside a sentence, says to put it on a line of its own', () => {
    const result = buildFromFiles(
      files({ 'other.md': page('title: Other\ndescription: D', 'See {{sectionPages}}.\n') }),
    );
    expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      'other.md:5:5: error: {{sectionPages}} lists the pages of this section: write it once, on a line of its ' +
        'own, with an empty line before and after it',
    ]);
  });

  it('is listed once a page: written again, it is an error at its line, not another copy of the list', () => {
    // Each copy was the whole list: a 512 KB page of {{sectionPages}} lines in a section of 200 pages made a page
    // too large for a string ("Invalid string length"), and fewer made a page of hundreds of megabytes.
    const result = buildFromFiles(
      files({
        'streams/index.md': page('title: Work streams\ndescription: D', '{{sectionPages}}\n\n{{ sectionPages }}\n'),
      }),
    );
    expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      'streams/index.md:7:1: error: {{ sectionPages }} lists the pages of this section: write it once, on a line ' +
        'of its own, with an empty line before and after it',
    ]);
  });

  it('is rendered again when a page joins the section or a listed page’s description changes', () => {
    const cache = new PageCache();
    const renderer = new SiteRenderer({ siteUrl: SITE_URL });
    const render = (f: Record<string, string>) => {
      const result = buildSite(memoryFolder(f), { cache, now: 0 });
      const rendered = renderer.render(result.site!);
      for (const url of [...rendered.site.pages.keys()]) rendered.site.pages.get(url);
      return rendered;
    };
    const base = files();
    render(base);
    const withNew = { ...base, 'streams/new.md': page('title: New page\ndescription: Just added.') };
    const added = render(withNew);
    expect(added.stats.invalidated).toContain('/streams/');
    expect(added.site.pages.get('/streams/')!.body.toString()).toContain('<a href="/streams/new/">New page</a>');
    const described = render({
      ...withNew,
      'streams/kpis.md': page('title: Key indicators\ndescription: Measured again.\nnavigation:\n  order: 1'),
    });
    expect(described.stats.invalidated.sort()).toEqual(['/streams/', '/streams/kpis/']);
    expect(described.site.pages.get('/streams/')!.body.toString()).toContain('Measured again.');
  });
});
