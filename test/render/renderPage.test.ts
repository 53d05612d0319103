import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { appFor, minimalFiles, page, renderedFromFiles } from '../helpers/site.js';

describe('page layout', () => {
  it('escapes front matter values in text and attributes', async () => {
    const payload = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`;
    const quoted = payload.replace(/'/g, "''");
    const site = renderedFromFiles(
      minimalFiles({
        'x.md': page(`title: '${quoted}'\ndescription: '${quoted}'\nnavigation:\n  title: '${quoted}'`),
      }),
    );
    const res = await request(appFor(site)).get('/x/');
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<script>alert|<img src=x/);
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('adds a contents list for three or more h2 headings only', async () => {
    const three = renderedFromFiles(
      minimalFiles({ 'x.md': page('title: X\ndescription: D', '## One\n\n## Two\n\n## Three\n') }),
    );
    const two = renderedFromFiles(minimalFiles({ 'x.md': page('title: X\ndescription: D', '## One\n\n## Two\n') }));
    const withList = (await request(appFor(three)).get('/x/')).text;
    expect(withList).toContain('nhsuk-contents-list');
    expect(withList).toContain('<a class="nhsuk-contents-list__link" href="#section-two">Two</a>');
    expect((await request(appFor(two)).get('/x/')).text).not.toContain('nhsuk-contents-list');
  });

  it('shows breadcrumbs of the page’s ancestors', async () => {
    const site = renderedFromFiles(
      minimalFiles({
        'a/index.md': page('title: Section A\ndescription: D'),
        'a/b.md': page('title: Page B\ndescription: D'),
      }),
    );
    const text = (await request(appFor(site)).get('/a/b/')).text;
    expect(text).toMatch(
      new RegExp(
        '<a class="nhsuk-breadcrumb__link" href="/">Home</a>[\\s\\S]*' +
          '<a class="nhsuk-breadcrumb__link" href="/a/">Section A</a>',
      ),
    );
  });

  it('renders no review dates when a page has none', async () => {
    const site = renderedFromFiles(minimalFiles({ 'x.md': page('title: X\ndescription: D') }));
    expect((await request(appFor(site)).get('/x/')).text).not.toContain('Page last reviewed');
  });

  it('writes the contact email from site settings where a page asks for it', async () => {
    const site = renderedFromFiles(
      minimalFiles({ 'x.md': page('title: X\ndescription: D', 'Email {{contactEmail}}.\n') }),
    );
    const email = site.model.settings.contactEmail;
    expect((await request(appFor(site)).get('/x/')).text).toContain(`<a href="mailto:${email}">${email}</a>`);
  });
});
