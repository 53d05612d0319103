/**
 * Documents, pictures and moves with review before publishing switched on:
 * an editor cannot add or change a document's files or move a page (each
 * changes what visitors see, in several files at once, and a change waiting
 * for review holds one file), and is told a publisher or an admin does it;
 * an editor's picture is stored, but the line that shows it goes in the page
 * like any change, which waits for review; and no page moves while a change
 * to it waits, since that change would lose its page.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPdf } from '../helpers/documents.js';
import { tinyPng } from '../helpers/images.js';
import { BUNDLED_SETTINGS } from '../helpers/site.js';
import { folderHash } from './hashing.js';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';

const page = (title: string) => `---\ntitle: ${title}\ndescription: A page for the tests.\n---\n\nSome text.\n`;

let t: TestEditor;
let alice: Browser; // editor
let bob: Browser; // admin
beforeAll(async () => {
  t = await testEditor({
    files: {
      'site.yml': BUNDLED_SETTINGS.replace(/^reviewBeforePublishing: false$/m, 'reviewBeforePublishing: true'),
      'moving.md': page('Moving page'),
      'waiting.md': page('Waiting page'),
    },
  });
  alice = new Browser(t.handler);
  bob = new Browser(t.handler);
  await alice.signIn('alice', PASSWORDS.alice);
  await bob.signIn('bob', PASSWORDS.bob);
});
afterAll(() => t?.close());

async function uploadAs(who: Browser, url: string, fields: Record<string, string>, file: [Buffer, string]) {
  const token = Browser.token((await who.get('/edit/')).text);
  const req = request(t.handler)
    .post(`${url}?token=${encodeURIComponent(token)}`)
    .set('Cookie', who.cookieHeader())
    .set('Sec-Fetch-Site', 'same-origin');
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  return req.attach('file', file[0], { filename: file[1], contentType: 'application/octet-stream' });
}

const documentFields = { title: 'Reviewed report', name: 'reviewed-report', category: 'Reports', summary: 'A sample.' };

describe('with review before publishing on', () => {
  it('tells an editor that a publisher adds documents and changes their files, and refuses their upload', async () => {
    const form = await alice.get('/edit/documents/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('A publisher does this');
    expect(form.text).not.toContain('enctype="multipart/form-data"');
    expect((await alice.get('/edit/document/regional-perinatal-dataset')).text).toContain('ask one of them');
    const before = folderHash(t.contentDir);
    const refused = await uploadAs(alice, '/edit/documents/new', documentFields, [tinyPdf(), 'report.pdf']);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Review before publishing is switched on');
    expect(folderHash(t.contentDir)).toBe(before);
    // An admin (or a publisher) publishes at once, as without review.
    const added = await uploadAs(bob, '/edit/documents/new', documentFields, [tinyPdf(), 'report.pdf']);
    expect(added.status).toBe(303);
    expect((await request(t.handler).get('/documents/reviewed-report/')).status).toBe(200);
  });

  it("stores an editor's picture, but leaves showing it to the page's change, which waits for review", async () => {
    const token = Browser.token((await alice.get('/edit/images/about.md')).text);
    const aboutBefore = (await t.store.read('about.md'))!.version;
    const res = await request(t.handler)
      .post(`/edit/images/about.md?token=${encodeURIComponent(token)}`)
      .set('Cookie', alice.cookieHeader())
      .set('Sec-Fetch-Site', 'same-origin')
      .field('alt', 'The project team')
      .field('append', 'yes')
      .attach('file', tinyPng(40, 30), { filename: 'team.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Review before publishing is on, so it is not added to the page for you');
    expect(res.text).toContain('<code class="app-markdown-line">![The project team](team.png)</code>');
    expect((await t.store.read('team.png'))!.bytes.equals(tinyPng(40, 30))).toBe(true);
    expect((await t.store.read('about.md'))!.version).toBe(aboutBefore);
  });

  it('refuses an editor a move, and anyone a move of a page with a change waiting for review', async () => {
    const form = await alice.get('/edit/move/moving.md');
    expect(form.text).toContain('A publisher does this');
    const refused = await alice.post('/edit/move/moving.md', {
      token: Browser.token(form.text),
      address: 'moved',
    });
    expect(refused.status).toBe(403);
    expect(await t.store.read('moving.md')).not.toBeNull();

    // Alice's change to waiting.md waits for review: moving the page would leave it without a page.
    const { form: pageForm } = await alice.openForm('/edit/page/waiting.md');
    const saved = await alice.post('/edit/page/waiting.md', { ...pageForm, body: 'Changed text.\n', action: 'save' });
    expect(saved.status).toBe(303);
    const moveForm = await bob.get('/edit/move/waiting.md');
    const waiting = await bob.post('/edit/move/waiting.md', {
      token: Browser.token(moveForm.text),
      address: 'elsewhere',
    });
    expect(waiting.text).toContain('waiting.md has a change waiting for review');
    expect(await t.store.read('waiting.md')).not.toBeNull();
    const moved = await bob.post('/edit/move/moving.md', { token: Browser.token(moveForm.text), address: 'moved' });
    expect(moved.status).toBe(303);
    expect((await request(t.handler).get('/moving/').redirects(0)).headers.location).toBe('/moved/');
  });
});
