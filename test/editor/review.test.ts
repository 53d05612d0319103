/**
 * Review before publishing, with review switched on in site.yml: an
 * editor's change to a published page, a new page and a deletion wait as a
 * pending change (a git branch of its own) and reach the website only when
 * a publisher publishes them; a publisher can send one back with a comment,
 * which its author sees; a draft that stays a draft is saved at once; a
 * publisher publishes only what they saw, and never their own change;
 * pending changes and a published page changed meanwhile are merged or kept
 * for the author to combine, never overwritten; every decision is audited.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/editor/auth/passwords.js';
import type { User } from '../../src/editor/users/users.js';
import { BUNDLED_SETTINGS } from '../helpers/site.js';
import { folderHash } from './hashing.js';
import { Browser, formFields, PASSWORDS, testEditor, type TestEditor } from './support.js';
import { GIT_ISOLATED_ENV } from '../helpers/git.js';

const MORE = { carol: 'a publisher of some renown', dave: 'another careful editor here' };
const extra = (title: string, draft = false) =>
  `---\ntitle: ${title}\ndescription: A page for the tests.\n${draft ? 'draft: true\n' : ''}---\n\n` +
  'First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n';

let t: TestEditor;
let alice: Browser; // editor
let bob: Browser; // admin
let carol: Browser; // publisher
let dave: Browser; // editor
beforeAll(async () => {
  t = await testEditor({
    files: {
      'site.yml': BUNDLED_SETTINGS.replace(/^reviewBeforePublishing: false$/m, 'reviewBeforePublishing: true'),
      'reviewed.md': extra('Reviewed page'),
      'shared.md': extra('Shared page'),
      'draft-notes.md': extra('Draft notes', true),
      'to-delete.md': extra('To delete'),
    },
  });
  const now = new Date().toISOString();
  const make = async (name: keyof typeof MORE, displayName: string, role: User['role']): Promise<User> => ({
    name,
    displayName,
    email: `${name}@example.org`,
    role,
    passwordHash: await hashPassword(MORE[name]),
    disabled: false,
    sessionEpoch: 0,
    created: now,
    updated: now,
  });
  const added = await Promise.all([make('carol', 'Carol Jones', 'publisher'), make('dave', 'Dave Brown', 'editor')]);
  await t.editor.context.users.update((all) => [...all, ...added]);
  [alice, bob, carol, dave] = [t.handler, t.handler, t.handler, t.handler].map((h) => new Browser(h)) as [
    Browser,
    Browser,
    Browser,
    Browser,
  ];
  await alice.signIn('alice', PASSWORDS.alice);
  await bob.signIn('bob', PASSWORDS.bob);
  await carol.signIn('carol', MORE.carol);
  await dave.signIn('dave', MORE.dave);
});
afterAll(() => t?.close());

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: t.contentDir,
    env: GIT_ISOLATED_ENV,
  }).toString('utf8');
const file = (rel: string) => readFileSync(path.join(t.contentDir, rel), 'utf8');
const publicPage = async (url: string) => (await request(t.handler).get(url)).text;
const audit = () =>
  readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, string>);
const reviewBranches = () => git('for-each-ref', '--format=%(refname)', 'refs/heads/review/').trim();
const changeIdFrom = (html: string) => /href="\/edit\/review\/([a-z0-9]+)"/.exec(html)?.[1];

/** Saves the page form with its body replaced by `change(body)`. */
async function saveBody(who: Browser, rel: string, change: (body: string) => string) {
  const { form } = await who.openForm(`/edit/page/${rel}`);
  return who.post(`/edit/page/${rel}`, { ...form, body: change(form.body!), action: 'save' });
}

/** The fields of the page's form that posts to `action`. */
async function formOf(who: Browser, url: string, action = url): Promise<Record<string, string>> {
  const html = (await who.get(url)).text;
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start === -1) throw new Error(`no form for ${action} on ${url}`);
  return formFields(html.slice(start));
}

/** Opens a change as a reviewer and sends one of its forms. */
async function decide(who: Browser, id: string, action: 'publish' | 'return', extraFields = {}) {
  const page = await who.get(`/edit/review/${id}`);
  const tip = /name="tip" value="([0-9a-f]+)"/.exec(page.text)?.[1] ?? '';
  return who.post(`/edit/review/${id}/${action}`, { token: Browser.token(page.text), tip, ...extraFields });
}

describe('review before publishing', () => {
  let id = '';

  it("keeps an editor's change to a published page off the website, as a branch of its own", async () => {
    const before = folderHash(t.contentDir);
    const head = git('rev-parse', 'HEAD');
    const res = await saveBody(alice, 'reviewed.md', (b) => b.replace('First paragraph.', 'First paragraph, edited.'));
    expect([res.status, res.headers.location]).toEqual([303, '/edit/page/reviewed.md?notice=submitted']);
    // Nothing published: the content folder, its history and the public page are as they were.
    expect(folderHash(t.contentDir)).toBe(before);
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(await publicPage('/reviewed/')).not.toContain('edited');
    // The change is a branch whose commit has Alice as its author.
    const branch = reviewBranches();
    expect(branch).toMatch(/^refs\/heads\/review\/[a-z0-9]+$/);
    expect(git('log', '-1', '--format=%an <%ae>', branch)).toBe('Alice Smith <alice@example.org>\n');
    expect(git('show', `${branch}:reviewed.md`)).toContain('First paragraph, edited.');
    expect(audit().at(-1)).toMatchObject({ event: 'change-submitted', user: 'alice', path: 'reviewed.md' });
    // Alice's form shows her change and says it waits; Bob's shows the published page and says Alice's waits.
    const mine = await alice.get('/edit/page/reviewed.md?notice=submitted');
    expect(mine.text).toContain('Saved for review.');
    expect(mine.text).toContain('First paragraph, edited.');
    expect(mine.text).toContain('is waiting for review');
    id = changeIdFrom(mine.text)!;
    expect(id).toMatch(/^[a-z0-9]+$/);
    const theirs = await bob.get('/edit/page/reviewed.md');
    expect(theirs.text).not.toContain('First paragraph, edited.');
    expect(theirs.text).toContain('Alice Smith’s change');
  });

  it('lists it for everyone, and shows the diff and the true preview of the page with the change', async () => {
    const list = await carol.get('/edit/review');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/edit/review/${id}`);
    expect(list.text).toContain('Reviewed page');
    expect((await alice.get('/edit/review')).text).toContain('Change by you');
    const page = await carol.get(`/edit/review/${id}`);
    expect(page.text).toMatch(/<ins><span class="nhsuk-u-visually-hidden">\[Added: <\/span>[^<]*edited/);
    // The preview is the page as the site renders it, with the change, in a frame under the same CSP.
    const srcdoc = /<iframe[^>]*srcdoc="([^"]*)"/.exec(page.text)?.[1] ?? '';
    expect(srcdoc).toContain('First paragraph, edited.');
    expect(srcdoc).toContain('nhsuk-header');
    expect(page.text).toContain('>Publish</button>');
    expect(page.text).toContain('Send back</button>');
    // Carol's home page counts what waits for her.
    expect((await carol.get('/edit/')).text).toContain('1 change is waiting for your review');
  });

  it('lets nobody publish their own change, nor an editor anyone’s', async () => {
    for (const who of [alice, dave]) {
      const res = await decide(who, id, 'publish');
      expect(res.status).toBe(403);
    }
    expect(await publicPage('/reviewed/')).not.toContain('edited');
    expect((await alice.get(`/edit/review/${id}`)).text).toContain('Withdraw this change');
  });

  it('sends a change back with a comment the author sees, and takes it again when the author saves', async () => {
    const empty = await decide(carol, id, 'return', { comment: '  ' });
    expect(empty.text).toContain('Enter a comment saying what should change');
    const res = await decide(carol, id, 'return', { comment: 'Please say <b>when</b> it was edited.' });
    expect([res.status, res.headers.location]).toEqual([303, `/edit/review/${id}?notice=returned`]);
    expect(audit().at(-1)).toMatchObject({ event: 'change-returned', user: 'carol', subject: 'alice' });
    const form = await alice.get('/edit/page/reviewed.md');
    expect(form.text).toContain('sent <a href="/edit/review/');
    expect(form.text).toContain('Please say &lt;b&gt;when&lt;/b&gt; it was edited.');
    expect((await alice.get('/edit/')).text).toContain('sent back to you');
    // A returned change cannot be published until its author sends it again.
    expect((await decide(carol, id, 'publish')).status).toBe(409);
    const again = await saveBody(alice, 'reviewed.md', (b) => b.replace('edited.', 'edited in December.'));
    expect(again.headers.location).toBe('/edit/page/reviewed.md?notice=submitted');
    expect(reviewBranches().split('\n')).toHaveLength(1);
    expect(git('rev-list', '--count', `refs/heads/review/${id}`, '^HEAD').trim()).toBe('2');
  });

  it('publishes only what the publisher saw, as a commit by the author naming the publisher', async () => {
    const seen = await carol.get(`/edit/review/${id}`);
    const token = Browser.token(seen.text);
    const seenTip = /name="tip" value="([0-9a-f]+)"/.exec(seen.text)![1]!;
    await saveBody(alice, 'reviewed.md', (b) => b.replace('Third paragraph.', 'Third paragraph, also.'));
    const stale = await carol.post(`/edit/review/${id}/publish`, { token, tip: seenTip });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('look at it again before deciding');
    expect(await publicPage('/reviewed/')).not.toContain('edited');
    const res = await decide(carol, id, 'publish');
    expect([res.status, res.headers.location]).toEqual([303, `/edit/review/${id}?notice=published`]);
    const page = await publicPage('/reviewed/');
    expect(page).toContain('First paragraph, edited in December.');
    expect(page).toContain('Third paragraph, also.');
    expect(git('log', '-1', '--format=%an <%ae>%n%B')).toBe(
      'Alice Smith <alice@example.org>\nEdit “Reviewed page” (reviewed.md)\n\n' +
        'Reviewed-by: Carol Jones <carol@example.org>\n\n',
    );
    expect(git('status', '--porcelain')).toBe('');
    expect(reviewBranches()).toBe('');
    expect(audit().at(-1)).toMatchObject({ event: 'change-published', user: 'carol', subject: 'alice' });
    // Alice's form is the published page again, and her next save is a new change.
    const form = await alice.get('/edit/page/reviewed.md');
    expect(form.text).not.toContain('is waiting for review');
    expect((await alice.get(`/edit/review/${id}`)).text).toContain('This change is on the website');
  });

  it('saves a draft that stays a draft at once, and a publisher’s or admin’s change too', async () => {
    const head = git('rev-parse', 'HEAD');
    const draft = await saveBody(alice, 'draft-notes.md', (b) => `${b}\nMore notes.\n`);
    expect(draft.headers.location).toBe('/edit/page/draft-notes.md?notice=saved');
    expect(file('draft-notes.md')).toContain('More notes.');
    expect(git('rev-parse', 'HEAD~1')).toBe(head);
    // Making it public is a change visitors would see: it waits.
    const { form } = await alice.openForm('/edit/page/draft-notes.md');
    delete form['fm-draft'];
    const publishing = await alice.post('/edit/page/draft-notes.md', { ...form, action: 'save' });
    expect(publishing.headers.location).toBe('/edit/page/draft-notes.md?notice=submitted');
    expect(file('draft-notes.md')).toContain('draft: true');
    for (const who of [carol, bob]) {
      const res = await saveBody(who, 'shared.md', (b) => `${b}\nA line by a publisher.\n`);
      expect(res.headers.location).toBe('/edit/page/shared.md?notice=saved');
    }
  });

  it('keeps a new page and a deletion for review too, and withdraws a change without publishing it', async () => {
    const newForm = await alice.get('/edit/new');
    const created = await alice.post('/edit/new', {
      token: Browser.token(newForm.text),
      section: '',
      name: 'new-under-review',
      title: 'New under review',
    });
    expect(created.headers.location).toBe('/edit/page/new-under-review.md?notice=submitted');
    expect(() => file('new-under-review.md')).toThrow();
    const opened = await alice.get('/edit/page/new-under-review.md');
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('New under review');
    const newId = changeIdFrom(opened.text)!;
    // The deletion.
    const deleting = await alice.post('/edit/delete/to-delete.md', await formOf(alice, '/edit/delete/to-delete.md'));
    expect(deleting.headers.location).toMatch(/^\/edit\/review\/[a-z0-9]+\?notice=submitted$/);
    const delId = /\/edit\/review\/([a-z0-9]+)/.exec(deleting.headers.location!)![1]!;
    expect(file('to-delete.md')).toContain('To delete');
    expect((await carol.get(`/edit/review/${delId}`)).text).toContain('the page is deleted');
    expect((await decide(carol, delId, 'publish')).status).toBe(303);
    expect(() => file('to-delete.md')).toThrow();
    expect((await request(t.handler).get('/to-delete/')).status).toBe(404);
    // Publishing the new page adds it, as a draft.
    expect((await decide(bob, newId, 'publish')).status).toBe(303);
    expect(file('new-under-review.md')).toContain('title: "New under review"');
    // Withdrawing: the branch goes, nothing is published.
    const head = git('rev-parse', 'HEAD');
    await saveBody(alice, 'shared.md', (b) => `${b}\nWithdrawn words.\n`);
    const withdrawId = changeIdFrom((await alice.get('/edit/page/shared.md')).text)!;
    const page = await alice.get(`/edit/review/${withdrawId}`);
    const res = await alice.post(`/edit/review/${withdrawId}/withdraw`, { token: Browser.token(page.text) });
    expect(res.headers.location).toBe(`/edit/review/${withdrawId}?notice=withdrawn`);
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(file('shared.md')).not.toContain('Withdrawn words.');
    expect(reviewBranches()).not.toContain(withdrawId);
    expect(audit().at(-1)).toMatchObject({ event: 'change-withdrawn', user: 'alice' });
  });

  it('merges changes to different lines: two pending changes and a page published meanwhile', async () => {
    await saveBody(alice, 'shared.md', (b) => b.replace('First paragraph.', 'First paragraph by Alice.'));
    await saveBody(dave, 'shared.md', (b) => b.replace('Third paragraph.', 'Third paragraph by Dave.'));
    await saveBody(bob, 'shared.md', (b) => b.replace('Second paragraph.', 'Second paragraph by Bob.'));
    const aliceId = changeIdFrom((await alice.get('/edit/page/shared.md')).text)!;
    const daveId = changeIdFrom((await dave.get('/edit/page/shared.md')).text)!;
    expect((await decide(carol, daveId, 'publish')).status).toBe(303);
    expect((await decide(carol, aliceId, 'publish')).status).toBe(303);
    const text = file('shared.md');
    for (const words of ['First paragraph by Alice.', 'Second paragraph by Bob.', 'Third paragraph by Dave.'])
      expect(text).toContain(words);
  });

  it('sends a change to the same lines back to its author, who combines the two; nothing is overwritten', async () => {
    await saveBody(alice, 'shared.md', (b) => b.replace('Second paragraph by Bob.', 'Second paragraph, Alice’s way.'));
    await saveBody(dave, 'shared.md', (b) => b.replace('Second paragraph by Bob.', 'Second paragraph, Dave’s way.'));
    const aliceId = changeIdFrom((await alice.get('/edit/page/shared.md')).text)!;
    const daveId = changeIdFrom((await dave.get('/edit/page/shared.md')).text)!;
    expect((await decide(carol, aliceId, 'publish')).status).toBe(303);
    const before = file('shared.md');
    const res = await decide(carol, daveId, 'publish');
    expect(res.headers.location).toBe(`/edit/review/${daveId}?notice=conflict`);
    expect(file('shared.md')).toBe(before);
    expect(audit().at(-1)).toMatchObject({ event: 'change-conflict', user: 'dave', path: 'shared.md' });
    // Dave's form takes him to the change, which shows both versions and keeps his text to combine.
    const form = await dave.get('/edit/page/shared.md');
    expect([form.status, form.headers.location]).toEqual([303, `/edit/review/${daveId}`]);
    const page = await dave.get(`/edit/review/${daveId}`);
    expect(page.text).toContain('The page on the website changed in the same lines');
    expect(page.text).toContain('Second paragraph, Alice’s way.');
    expect(page.text).toContain('Second paragraph, Dave’s way.');
    const whole = /<textarea[^>]*name="whole"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.text)![1]!.replace(/&#39;/g, "'");
    const version = /name="version" value="([^"]+)"/.exec(page.text)![1]!;
    const combined = whole.replace(/&rsquo;|’/g, '’').replace('Second paragraph, Dave’s way.', 'Second, by both.');
    const resolved = await dave.post(`/edit/review/${daveId}/resolve`, {
      token: Browser.token(page.text),
      version,
      whole: combined,
      action: 'save',
    });
    expect(resolved.headers.location).toBe(`/edit/review/${daveId}?notice=submitted`);
    expect((await decide(carol, daveId, 'publish')).status).toBe(303);
    expect(file('shared.md')).toContain('Second, by both.');
    expect(file('shared.md')).toContain('First paragraph by Alice.');
  });

  it('refuses to publish a change that would break the site as it is now, saying why', async () => {
    await saveBody(alice, 'reviewed.md', (b) => `${b}\nSee [the shared page](/shared/).\n`);
    const id2 = changeIdFrom((await alice.get('/edit/page/reviewed.md')).text)!;
    // Meanwhile a publisher deletes the page it links to.
    const deleting = await bob.post('/edit/delete/shared.md', await formOf(bob, '/edit/delete/shared.md'));
    expect(deleting.headers.location).toBe('/edit/?notice=deleted');
    const shown = await carol.get(`/edit/review/${id2}`);
    expect(shown.text).toContain('This change cannot be published as it is');
    const res = await decide(carol, id2, 'publish');
    expect(res.status).toBe(409);
    expect(res.text).toContain('/shared/');
    expect(file('reviewed.md')).not.toContain('the shared page');
  });

  it('deletes a draft at once, and makes an editor’s own waiting change to a page the deletion', async () => {
    expect(file('draft-notes.md')).toContain('draft: true');
    // draft-notes.md has Alice's change waiting (making it public): her deletion becomes that change.
    const mine = changeIdFrom((await alice.get('/edit/page/draft-notes.md')).text)!;
    const asked = await alice.post('/edit/delete/draft-notes.md', await formOf(alice, '/edit/delete/draft-notes.md'));
    expect(asked.headers.location).toBe(`/edit/review/${mine}?notice=submitted`);
    expect((await alice.get(`/edit/review/${mine}`)).text).toContain('Delete “Draft notes”');
    expect(file('draft-notes.md')).toContain('draft: true');
    // Dave's draft, with no change waiting, goes at once.
    const created = await dave.post('/edit/new', {
      token: Browser.token((await dave.get('/edit/new')).text),
      section: '',
      name: 'daves-draft',
      title: 'Dave’s draft',
    });
    const id = /\/edit\/page\/daves-draft\.md\?notice=submitted/.test(created.headers.location!)
      ? changeIdFrom((await dave.get('/edit/page/daves-draft.md')).text)!
      : '';
    expect((await decide(carol, id, 'publish')).status).toBe(303);
    const confirm = await dave.get('/edit/delete/daves-draft.md');
    expect(confirm.text).not.toContain('the deletion waits for a publisher');
    const gone = await dave.post('/edit/delete/daves-draft.md', await formOf(dave, '/edit/delete/daves-draft.md'));
    expect(gone.headers.location).toBe('/edit/?notice=deleted');
    expect(() => file('daves-draft.md')).toThrow();
  });

  it('publishes at once again when review is off, apart from changes already waiting', async () => {
    const settings = await formOf(bob, '/edit/source/site.yml');
    const off = settings.whole!.replace('reviewBeforePublishing: true', 'reviewBeforePublishing: false');
    expect((await bob.post('/edit/source/site.yml', { ...settings, whole: off })).status).toBe(303);
    const res = await saveBody(dave, 'about.md', (b) => `${b}\nSaved with review off.\n`);
    expect(res.headers.location).toBe('/edit/page/about.md?notice=saved');
    expect(await publicPage('/about/')).toContain('Saved with review off.');
    // Alice's change to reviewed.md still waits: her saves to it go to it.
    const again = await saveBody(alice, 'reviewed.md', (b) =>
      b.replace('See [the shared page](/shared/).', 'Still for review.'),
    );
    expect(again.headers.location).toBe('/edit/page/reviewed.md?notice=submitted');
    expect((await alice.get('/edit/review')).text).toContain('Review is off');
  });
});
