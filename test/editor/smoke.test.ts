import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';

describe('smoke', () => {
  let t: TestEditor;
  beforeAll(async () => {
    t = await testEditor();
  });
  afterAll(() => t?.close());

  it('signs in, edits and saves', async () => {
    const b = new Browser(t.handler);
    const signIn = await b.signIn('alice', PASSWORDS.alice);
    expect(signIn.status, signIn.text).toBe(303);
    const home = await b.get('/edit/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Work streams');
    const { form, html } = await b.openForm('/edit/page/about.md');
    expect(html).toContain('Page content');
    const save = await b.post('/edit/page/about.md', { ...form, body: `${form.body}\n\nA new sentence from the editor.\n`, action: 'save' });
    expect(save.status, save.text.slice(0, 3000)).toBe(303);
    const pub = await request(t.handler).get('/about/');
    expect(pub.text).toContain('A new sentence from the editor.');
  });
});
