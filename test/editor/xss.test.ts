/**
 * Script payloads typed into every field stay text: in the editor's form
 * (after a refused save too), in the preview, on the public page, and in
 * the history's word diff. Content never reaches the template engine as a
 * template either.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineScripts, parseTags } from '../helpers/html.js';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';

let t: TestEditor;
let b: Browser;
beforeAll(async () => {
  t = await testEditor({ files: { 'xss.md': '---\ntitle: Safe\ndescription: Safe.\n---\n\nSafe.\n' } });
  b = new Browser(t.handler);
  await b.signIn('alice', PASSWORDS.alice);
});
afterAll(() => t?.close());

const PAYLOADS = {
  'fm-title': '<script>alert("title")</script>',
  'fm-description': '"><img src=x onerror=alert("description")>',
  'fm-navigation-title': "</textarea><svg onload=alert('nav')>",
  body: [
    '<script>alert("body")</script>',
    '',
    '<img src=x onerror=alert("img")>',
    '',
    '[click](javascript:alert("link")) and [data](data:text/html,<script>alert(1)</script>)',
    '',
    '{{ 7 * 7 }} {% include "layouts/base.njk" %}',
    '',
    '</iframe><script>alert("frame")</script>',
    '',
  ].join('\n'),
};
/** Values the schema refuses: echoed back in the form, never run. */
const INVALID = {
  'fm-navigation-order': '"><script>alert("order")</script>',
  'fm-lastReviewed-day': '"><script>alert("day")</script>',
  'fm-documents': '<svg onload=alert("documents")>',
};

/**
 * Markup that would run, read as real tags and attributes: an injected element, an event handler, a
 * script URL, an inline script.
 */
function liveMarkup(html: string): string[] {
  const found: string[] = [];
  for (const tag of parseTags(html)) {
    if (tag.name === 'img' && tag.attributes.some(([k, v]) => k === 'src' && v === 'x')) found.push(`<${tag.name}>`);
    for (const [name, value] of tag.attributes) {
      if (name.startsWith('on')) found.push(`${tag.name} ${name}`);
      if ((name === 'href' || name === 'src') && /^\s*(?:javascript|data):/i.test(value))
        found.push(`${tag.name} ${name}=${value}`);
    }
  }
  for (const script of inlineScripts(html)) if (/alert/.test(script)) found.push(script.slice(0, 60));
  return found;
}

function decodeAttribute(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('script payloads in every field', () => {
  it('(the detector finds live markup)', () => {
    expect(
      liveMarkup('<p><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><script>alert(1)</script></p>'),
    ).toHaveLength(4);
    expect(liveMarkup('<p>&lt;img src=x onerror=alert(1)&gt;</p><input value="&quot;&gt;&lt;script&gt;">')).toEqual([]);
  });

  it('stay inert in the form and in the preview, after a refused save', async () => {
    const { form } = await b.openForm('/edit/page/xss.md');
    const res = await b.post('/edit/page/xss.md', { ...form, ...PAYLOADS, ...INVALID, action: 'save' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('There is a problem');
    expect(liveMarkup(res.text.replace(/srcdoc="[^"]*"/, ''))).toEqual([]);
    // Typed text is kept, escaped.
    expect(res.text).toContain('value="&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;"');
    expect(res.text).toContain('&lt;/textarea&gt;&lt;svg onload=alert(&#39;nav&#39;)&gt;');
  });

  it('stay inert in the preview, the public page and the history', async () => {
    const { form } = await b.openForm('/edit/page/xss.md');
    const preview = await b.post('/edit/page/xss.md', { ...form, ...PAYLOADS, action: 'preview' });
    const srcdoc = decodeAttribute(/srcdoc="([^"]*)"/.exec(preview.text)![1]!);
    expect(srcdoc).toContain('<h1>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;</h1>');
    expect(liveMarkup(srcdoc)).toEqual([]);
    expect(srcdoc).not.toContain('49');
    const json = JSON.parse((await b.post('/edit/preview/xss.md', { ...form, ...PAYLOADS })).text) as { html: string };
    expect(liveMarkup(json.html)).toEqual([]);

    const saved = await b.post('/edit/page/xss.md', { ...form, ...PAYLOADS, action: 'save' });
    expect(saved.status, saved.text.slice(0, 500)).toBe(303);
    const page = (await request(t.handler).get('/xss/')).text;
    expect(page).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
    expect(page).toContain('{{ 7 * 7 }}');
    expect(liveMarkup(page)).toEqual([]);

    const editor = await b.get('/edit/page/xss.md');
    expect(liveMarkup(editor.text.replace(/srcdoc="[^"]*"/, ''))).toEqual([]);
    const home = await b.get('/edit/');
    expect(home.text).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
    expect(liveMarkup(home.text)).toEqual([]);
    const history = await b.get('/edit/history/xss.md');
    expect(liveMarkup(history.text)).toEqual([]);
    const id = /\?at=([0-9a-f]{40})/.exec(history.text)![1]!;
    const version = await b.get(`/edit/history/xss.md?at=${id}`);
    expect(version.text).toContain('&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;');
    expect(liveMarkup(version.text)).toEqual([]);
  });
});

describe('the preview frame', () => {
  it("is sandboxed: it keeps its origin for styles and the editor's scrolling, but runs no script", async () => {
    for (const url of ['/edit/page/xss.md']) {
      const html = (await b.get(url)).text;
      const frames = parseTags(html).filter((tag) => tag.name === 'iframe');
      expect(frames.length).toBe(1);
      const sandbox = frames[0]!.attributes.find(([name]) => name === 'sandbox')?.[1];
      expect(sandbox?.split(/\s+/).sort()).toEqual([
        'allow-popups',
        'allow-popups-to-escape-sandbox',
        'allow-same-origin',
      ]);
      // The page in it comes without the scripts it could not run anyway (so the browser reports no blocked ones).
      const srcdoc = frames[0]!.attributes.find(([name]) => name === 'srcdoc')?.[1] ?? '';
      expect(srcdoc).toContain('<main');
      expect(parseTags(srcdoc).filter((tag) => tag.name === 'script')).toEqual([]);
    }
  });
});
