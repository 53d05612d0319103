/**
 * Editing as staff do it: a save with an error is refused with the field
 * marked and the text kept; a valid save is one commit by its author and is
 * on the public site at once; history shows what changed in words and
 * restores as a new commit; two people editing one page lose nothing; pages
 * are created and deleted (to a trash, from which they come back).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NEW_DOCUMENT_CATEGORY } from '../../src/content/newPage.js';
import { folderHash } from './hashing.js';
import { Browser, formFields, PASSWORDS, testEditor, type TestEditor } from './support.js';
import { GIT_ISOLATED_ENV } from '../helpers/git.js';

let t: TestEditor;
let alice: Browser;
let bob: Browser;
const extra = (title: string) => `---\ntitle: ${title}\ndescription: A page for the tests.\n---\n\nSome text.\n`;
beforeAll(async () => {
  t = await testEditor({ files: { 'extra-draft.md': extra('Extra draft'), 'extra-delete.md': extra('Extra delete') } });
  alice = new Browser(t.handler);
  bob = new Browser(t.handler);
  await alice.signIn('alice', PASSWORDS.alice);
  await bob.signIn('bob', PASSWORDS.bob);
});
afterAll(() => t?.close());

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: t.contentDir,
    env: GIT_ISOLATED_ENV,
  }).toString('utf8');
const file = (rel: string) => readFileSync(path.join(t.contentDir, rel), 'utf8');
const publicPage = async (url: string) => (await request(t.handler).get(url)).text;

describe('saving', () => {
  it(
    'refuses a save with errors: each error at its field or body line,' + ' everything typed kept, nothing written',
    async () => {
      const { form } = await alice.openForm('/edit/page/work-streams/key-performance-indicators.md');
      const before = folderHash(t.contentDir);
      const res = await alice.post('/edit/page/work-streams/key-performance-indicators.md', {
        ...form,
        'fm-title': 'Kept title I typed',
        'fm-navigation-order': 'first',
        'fm-lastReviewed-day': '31',
        'fm-lastReviewed-month': '2',
        'fm-lastReviewed-year': '2026',
        body: 'Line one I typed.\n',
        action: 'save',
      });
      expect(res.status).toBe(200);
      expect(folderHash(t.contentDir)).toBe(before);
      const html = res.text;
      expect(html).toContain('<title>Error: Edit Kept title I typed');
      expect(html).toContain('There is a problem');
      // Summary links to each field; each field shows its message (the check's own words).
      expect(html).toContain('href="#fm-navigation-order"');
      expect(html).toContain('href="#fm-lastReviewed-day"');
      expect(html).toMatch(/id="fm-navigation-order-error"[^>]*>[\s\S]*?must be a whole number/);
      expect(html).toMatch(/id="fm-lastReviewed-error"[^>]*>[\s\S]*?is not a real calendar date/);
      expect(html).toContain('nhsuk-input--error');
      // Everything typed is still there.
      expect(html).toContain('value="Kept title I typed"');
      expect(html).toContain('value="first"');
      expect(html).toMatch(/<textarea[^>]*name="body"[^>]*>Line one I typed\./);
      // A problem in the text is shown at "Page content" with its line.
      const body = await alice.post('/edit/page/work-streams/key-performance-indicators.md', {
        ...form,
        body: 'Line one.\n\nSee [a missing page](/no-such-page/).\n',
        action: 'save',
      });
      expect(body.text).toContain('href="#body"');
      expect(body.text).toMatch(/id="body-error"[^>]*>[\s\S]*?Line 3: [^<]*\/no-such-page\//);
      expect(folderHash(t.contentDir)).toBe(before);
    },
  );

  it('a valid save is one commit by its author, naming the page, and is on the public site at once', async () => {
    const { form } = await alice.openForm('/edit/page/work-streams/key-performance-indicators.md');
    const commits = Number(git('rev-list', '--count', 'HEAD'));
    const started = performance.now();
    const res = await alice.post('/edit/page/work-streams/key-performance-indicators.md', {
      ...form,
      body: `${form.body}\nA sentence saved from the browser.\n`,
      action: 'save',
    });
    expect([res.status, res.headers.location]).toEqual([
      303,
      '/edit/page/work-streams/key-performance-indicators.md?notice=saved',
    ]);
    expect(await publicPage('/work-streams/key-performance-indicators/')).toContain(
      'A sentence saved from the browser.',
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(Number(git('rev-list', '--count', 'HEAD'))).toBe(commits + 1);
    expect(git('log', '-1', '--format=%an <%ae>|%s')).toBe(
      'Alice Smith <alice@example.org>' +
        '|Edit “Key performance indicators” (work-streams/key-performance-indicators.md)\n',
    );
    expect(git('status', '--porcelain')).toBe('');
    // The form's other settings are written back as they were.
    expect(file('work-streams/key-performance-indicators.md')).toMatch(/^---\ntitle: "Key performance indicators"\n/);
    const audit = readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(audit.at(-1)).toMatchObject({
      event: 'page-saved',
      user: 'alice',
      from: expect.stringContaining('127.0.0.1'),
      path: 'work-streams/key-performance-indicators.md',
    });
    const page = await alice.get(res.headers.location!);
    expect(page.text).toContain('Saved. The website shows the new version now.');
  });

  it('publishes a draft when "Draft" is unticked, and hides a page when it is ticked', async () => {
    const { form } = await alice.openForm('/edit/page/extra-draft.md');
    expect(form['fm-draft']).toBeUndefined();
    await alice.post('/edit/page/extra-draft.md', { ...form, 'fm-draft': 'true', action: 'save' });
    expect((await request(t.handler).get('/extra-draft/')).status).toBe(404);
    const again = await alice.openForm('/edit/page/extra-draft.md');
    expect(again.form['fm-draft']).toBe('true');
    const { 'fm-draft': _draft, ...published } = again.form;
    await alice.post('/edit/page/extra-draft.md', { ...published, action: 'save' });
    expect((await request(t.handler).get('/extra-draft/')).status).toBe(200);
  });

  it('"Preview" shows the page as the site renders it, with what was typed, and saves nothing', async () => {
    const { form } = await alice.openForm('/edit/page/about.md');
    const before = folderHash(t.contentDir);
    const res = await alice.post('/edit/page/about.md', {
      ...form,
      'fm-title': 'A previewed title',
      action: 'preview',
    });
    expect(res.status).toBe(200);
    expect(folderHash(t.contentDir)).toBe(before);
    const srcdoc = /srcdoc="([^"]*)"/.exec(res.text)![1]!;
    const previewed = srcdoc
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    expect(previewed).toContain('<h1>A previewed title</h1>');
    expect(previewed).toMatch(/<link rel="stylesheet" href="\/assets\/main\.[\w-]+\.css">/);
    expect(previewed).toContain('class="nhsuk-header');
    // The live preview for the script answers the same, as JSON.
    const live = await alice.post('/edit/preview/about.md', { ...form, 'fm-title': 'Typed just now' });
    expect(JSON.parse(live.text).html).toContain('<h1>Typed just now</h1>');
  });
});

describe('lists of groups in the form', () => {
  it('never show more rows than a list can hold, whatever row numbers a form names', async () => {
    const rel = 'documents/final-achievement-report/index.md';
    const { form } = await alice.openForm(`/edit/page/${rel}`);
    expect(form['fm-files-0-file']).toBeTruthy();
    const started = process.cpuUsage();
    const res = await alice.post(`/edit/page/${rel}`, {
      ...form,
      'fm-files-5000-title': 'x',
      'fm-files-99-title': 'The last row a list can hold',
      'fm-changeNotes-100000-note': 'x',
      action: 'preview',
    });
    const used = process.cpuUsage(started);
    expect(res.status).toBe(200);
    // Row 99 is the last of MAX_ROWS (100): shown, with no blank row after it; nothing past it.
    expect(res.text).toContain('id="fm-files-99-title"');
    expect(res.text).not.toContain('id="fm-files-100-');
    // The stray row number beyond the list adds no rows: the notes show as when the form was opened.
    const noteRows = (html: string) => [...html.matchAll(/id="fm-changeNotes-(\d+)-note"/g)].length;
    expect(noteRows(res.text)).toBe(noteRows((await alice.get(`/edit/page/${rel}`)).text));
    expect(res.text.length).toBeLessThan(2_000_000);
    expect((used.user + used.system) / 1000).toBeLessThan(3000);
  });
});

describe('history', () => {
  it(
    'shows who changed the page, when, and what changed in words,' + ' and restores a version as a new commit',
    async () => {
      const rel = 'regional-projects/head-of-midwifery.md';
      const original = file(rel);
      const { form } = await bob.openForm(`/edit/page/${rel}`);
      await bob.post(`/edit/page/${rel}`, { ...form, 'fm-title': 'Chief of midwifery', action: 'save' });
      const history = await bob.get(`/edit/history/${rel}`);
      expect(history.text).toContain('Bob Jones');
      expect(history.text).toContain('Edit “Chief of midwifery”');
      const ids = [...history.text.matchAll(/\?at=([0-9a-f]{40})/g)].map((m) => m[1]!);
      expect(ids.length).toBe(2);
      const newest = await bob.get(`/edit/history/${rel}?at=${ids[0]}`);
      expect(newest.text).toContain('<ins><span class="nhsuk-u-visually-hidden">[Added: </span>');
      expect(newest.text).toContain('<del><span class="nhsuk-u-visually-hidden">[Removed: </span>');
      expect(newest.text).toContain('This is the version on the website now.');
      const oldest = await bob.get(`/edit/history/${rel}?at=${ids[1]}`);
      expect(oldest.text).toContain('Restore this version');
      const head = git('rev-parse', 'HEAD').trim();
      const res = await bob.post(`/edit/restore/${rel}`, {
        token: Browser.token(oldest.text),
        entry: ids[1]!,
        version: /name="version" value="([^"]+)"/.exec(oldest.text)![1]!,
      });
      expect(res.status).toBe(303);
      expect(file(rel)).toBe(original);
      expect(git('rev-parse', 'HEAD~1').trim()).toBe(head);
      expect(git('log', '-1', '--format=%an|%s')).toMatch(
        /^Bob Jones\|Restore regional-projects\/head-of-midwifery\.md to the version of /,
      );
      expect(await publicPage('/regional-projects/head-of-midwifery/')).not.toContain('Chief of midwifery');
    },
  );
});

describe('two people editing one page', () => {
  it(
    'tells the second who else opened it, merges changes to different lines,' +
      ' and keeps overlapping ones as a conflict with both texts',
    async () => {
      const rel = 'regional-projects/diabetes-advisory-group.md';
      const a = await alice.openForm(`/edit/page/${rel}`);
      const b = await bob.openForm(`/edit/page/${rel}`);
      expect(b.html).toMatch(/Alice Smith opened this page (just now|1 minute ago)/);
      // Alice changes the title, Bob the body: different lines, both kept.
      expect(
        (
          await alice.post(`/edit/page/${rel}`, {
            ...a.form,
            'fm-title': 'Diabetes advisory group (Alice)',
            action: 'save',
          })
        ).status,
      ).toBe(303);
      const merged = await bob.post(`/edit/page/${rel}`, {
        ...b.form,
        body: `${b.form.body}\nA closing sentence by Bob.\n`,
        action: 'save',
      });
      expect(merged.headers.location).toBe(`/edit/page/${rel}?notice=merged`);
      expect(file(rel)).toContain('title: "Diabetes advisory group (Alice)"');
      expect(file(rel)).toContain('A closing sentence by Bob.');
      const page = await publicPage('/regional-projects/diabetes-advisory-group/');
      expect(page).toContain('Diabetes advisory group (Alice)');
      expect(page).toContain('A closing sentence by Bob.');

      // Now both change the title: the second save is not written, and Bob's text is kept.
      const a2 = await alice.openForm(`/edit/page/${rel}`);
      const b2 = await bob.openForm(`/edit/page/${rel}`);
      await alice.post(`/edit/page/${rel}`, { ...a2.form, 'fm-title': 'Title by Alice', action: 'save' });
      const saved = file(rel);
      const conflict = await bob.post(`/edit/page/${rel}`, { ...b2.form, 'fm-title': 'Title by Bob', action: 'save' });
      expect(conflict.headers.location).toMatch(new RegExp(`^/edit/conflict/${rel}\\?kept=[\\w-]+$`));
      expect(file(rel)).toBe(saved);
      const shown = await bob.get(conflict.headers.location!);
      expect(shown.text).toContain('Title by Alice');
      expect(shown.text).toContain('Title by Bob');
      expect(shown.text).toContain('Alice Smith saved it on');
      // The conflict is kept for Bob (listed on his home page) until he resolves it.
      expect((await bob.get('/edit/')).text).toContain(conflict.headers.location!);
      const resolvedText = saved.replace('Title by Alice', 'Title agreed by both');
      const resolve = await bob.post(`/edit/source/${rel}`, {
        ...formFields(shown.text, '/edit/source/'),
        whole: resolvedText,
      });
      expect(resolve.status).toBe(303);
      expect(file(rel)).toContain('Title agreed by both');
      expect((await bob.get('/edit/')).text).not.toContain(`/edit/conflict/${rel}`);
      expect(readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8')).toContain('"event":"page-conflict"');
    },
  );
});

describe('kept conflicts', () => {
  /** Alice and Bob change the same line; Bob saves second, so his text is kept. Returns the conflict page's address. */
  async function conflictFor(rel: string, aliceTitle: string, bobTitle: string): Promise<string> {
    const a = await alice.openForm(`/edit/page/${rel}`);
    const b = await bob.openForm(`/edit/page/${rel}`);
    await alice.post(`/edit/page/${rel}`, { ...a.form, 'fm-title': aliceTitle, action: 'save' });
    const res = await bob.post(`/edit/page/${rel}`, { ...b.form, 'fm-title': bobTitle, action: 'save' });
    expect(res.headers.location).toMatch(/^\/edit\/conflict\//);
    return res.headers.location!;
  }
  const archived = (user: string) =>
    t.editor.context.conflicts
      .archived(user)
      .then((all) => all.map((c) => [c.mine.match(/title: "?([^"\n]+)/)![1], c.resolution]));

  it('are kept, each one, until their author saves or discards it from its conflict page, then archived', async () => {
    const rel = 'regional-projects/pc-aims.md';
    const first = await conflictFor(rel, 'Aims by Alice', 'Aims by Bob, first');
    // Saving the page from its own form (not from the conflict page) leaves the kept text alone.
    const { form } = await bob.openForm(`/edit/page/${rel}`);
    expect(
      (await bob.post(`/edit/page/${rel}`, { ...form, body: `${form.body}\nMore.\n`, action: 'save' })).status,
    ).toBe(303);
    expect((await bob.get('/edit/')).text).toContain(first);
    // A second conflict on the same page is kept beside the first, not over it.
    const second = await conflictFor(rel, 'Aims by Alice again', 'Aims by Bob, second');
    expect(second).not.toBe(first);
    const home = (await bob.get('/edit/')).text;
    expect(home).toContain(first);
    expect(home).toContain(second);
    expect((await bob.get(first)).text).toContain('Aims by Bob, first');
    expect((await bob.get(second)).text).toContain('Aims by Bob, second');

    // Saving from the first conflict's page resolves that one only.
    const page = await bob.get(first);
    const saved = await bob.post(`/edit/source/${rel}`, {
      ...formFields(page.text, '/edit/source/'),
      whole: file(rel).replace('Aims by Alice again', 'Aims agreed'),
    });
    expect(saved.status).toBe(303);
    expect(file(rel)).toContain('Aims agreed');
    const after = (await bob.get('/edit/')).text;
    expect(after).not.toContain(first);
    expect(after).toContain(second);
    // Discarding the second: nothing is open any more, and both texts are archived, never deleted.
    const discard = await bob.get(second);
    const discardForm = /<form method="post" action="\/edit\/conflict\/[^"]+">([\s\S]*?)<\/form>/.exec(
      discard.text,
    )![1]!;
    const kept = /name="kept" value="([^"]+)"/.exec(discardForm)![1]!;
    await bob.post(`/edit/conflict/${rel}`, { token: Browser.token(discard.text), kept });
    expect((await bob.get('/edit/')).text).not.toContain('/edit/conflict/');
    expect(await archived('bob')).toEqual(
      expect.arrayContaining([
        ['Aims by Bob, first', 'saved'],
        ['Aims by Bob, second', 'discarded'],
      ]),
    );
    expect(readdirSync(path.join(t.dataDir, 'conflicts'), { recursive: true }).length).toBeGreaterThan(0);
  });

  it('a save from the conflict page that is refused keeps the conflict open, and the form still names it', async () => {
    const rel = 'regional-projects/diabetes-advisory-group.md';
    const location = await conflictFor(rel, 'Group by Alice', 'Group by Bob');
    const page = await bob.get(location);
    const refused = await bob.post(`/edit/source/${rel}`, {
      ...formFields(page.text, '/edit/source/'),
      whole: 'no front matter at all',
    });
    expect(refused.status).toBe(200);
    expect(formFields(page.text, '/edit/source/').conflict).toMatch(/^[\w-]+$/);
    expect(formFields(refused.text, '/edit/source/').conflict).toBe(formFields(page.text, '/edit/source/').conflict);
    expect((await bob.get('/edit/')).text).toContain(location);
  });
});

describe('text larger than a page can be', () => {
  it('is refused with a clear message before any merge, and never kept as a conflict', async () => {
    const rel = 'regional-projects/pc-aims.md';
    const a = await alice.openForm(`/edit/page/${rel}`);
    const b = await bob.openForm(`/edit/page/${rel}`);
    await bob.post(`/edit/page/${rel}`, { ...b.form, 'fm-title': 'Changed by Bob first', action: 'save' });
    const saved = file(rel);
    const huge = `${'A long line of text that goes on. '.repeat(30)}\n`.repeat(1000);
    const res = await alice.post(`/edit/page/${rel}`, {
      ...a.form,
      'fm-title': 'Changed by Alice too',
      body: huge,
      action: 'save',
    });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('larger than 512 KB');
    expect(file(rel)).toBe(saved);
    expect(await t.editor.context.conflicts.list('alice')).toEqual([]);
    // The whole-file editor refuses it the same way.
    const whole = await alice.post(`/edit/source/${rel}`, {
      token: a.form.token!,
      version: a.form.version!,
      whole: `---\ntitle: Big\ndescription: Big.\n---\n${huge}`,
    });
    expect(whole.text).toContain('larger than 512 KB');
    expect(await t.editor.context.conflicts.list('alice')).toEqual([]);
  });
});

describe('creating and deleting pages', () => {
  it('creates a draft page in a section, refusing a bad or taken address', async () => {
    const form = await alice.get('/edit/new');
    const token = Browser.token(form.text);
    const bad = await alice.post('/edit/new', {
      token,
      section: 'work-streams',
      name: 'Bad Name!',
      title: 'Survey results',
    });
    expect(bad.text).toContain('lowercase letters, digits and single hyphens');
    const taken = await alice.post('/edit/new', {
      token,
      section: 'work-streams',
      name: 'key-performance-indicators',
      title: 'Survey results',
    });
    expect(taken.text).toContain('already exists');
    const outside = await alice.post('/edit/new', { token, section: '../..', name: 'x', title: 'X' });
    expect(outside.text).toContain('Choose a section from the list');
    const res = await alice.post('/edit/new', {
      token,
      section: 'work-streams',
      name: 'survey-results',
      title: 'Survey results',
    });
    expect(res.headers.location).toBe('/edit/page/work-streams/survey-results.md?notice=created');
    expect(file('work-streams/survey-results.md')).toContain('draft: true');
    expect(git('log', '-1', '--format=%an|%s')).toBe(
      'Alice Smith|Create Survey results (work-streams/survey-results.md)\n',
    );
    expect((await request(t.handler).get('/work-streams/survey-results/')).status).toBe(404);
  });

  it('creates a draft document, its folder and index.md, in the documents section, in a category in use', async () => {
    const token = Browser.token((await alice.get('/edit/new')).text);
    const res = await alice.post('/edit/new', {
      token,
      section: 'documents',
      name: 'survey-2027',
      title: 'Survey 2027',
    });
    expect(res.headers.location).toBe('/edit/page/documents/survey-2027/index.md?notice=created');
    const text = file('documents/survey-2027/index.md');
    expect(text).toContain('draft: true\n');
    expect(text).toContain('files: []\n');
    // The category most documents use, the first in alphabetical order of those used most.
    const counts = new Map<string, number>();
    for (const e of readdirSync(path.join(t.contentDir, 'documents'), { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'survey-2027') continue;
      const category = /^category: "?([^"\n]*)"?$/m.exec(file(`documents/${e.name}/index.md`))![1]!;
      counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    const expected = [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b, 'en'))[0]![0];
    expect(expected).not.toBe(NEW_DOCUMENT_CATEGORY);
    expect(text).toContain(`category: "${expected}"\n`);
    // Its form opens, with the document's own fields, and the public site does not show it.
    const opened = await alice.get('/edit/page/documents/survey-2027/index.md?notice=created');
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('name="fm-summary"');
    expect((await request(t.handler).get('/documents/survey-2027/')).status).toBe(404);
  });

  it('checks a new address against the paths in the content folder without reading any file', async () => {
    const readAll = vi.spyOn(t.store, 'readAll');
    const list = vi.spyOn(t.store, 'list');
    try {
      const token = Browser.token((await alice.get('/edit/new')).text);
      const taken = await alice.post('/edit/new', { token, section: '', name: 'about', title: 'About again' });
      expect(taken.text).toContain('already exists');
      expect(list).toHaveBeenCalled();
      expect(readAll).not.toHaveBeenCalled();
    } finally {
      readAll.mockRestore();
      list.mockRestore();
    }
  });

  it('deletes a page to the trash, refuses to delete one that others link to, and brings it back', async () => {
    const refused = await alice.get('/edit/delete/work-streams/key-performance-indicators.md');
    expect(refused.text).toContain('links to this page');
    const confirm = await alice.get('/edit/delete/extra-delete.md');
    expect(confirm.text).toContain('Delete this page');
    const del = await alice.post('/edit/delete/extra-delete.md', {
      token: Browser.token(confirm.text),
      version: /name="version" value="([^"]+)"/.exec(confirm.text)![1]!,
    });
    expect(del.headers.location).toBe('/edit/?notice=deleted');
    expect((await request(t.handler).get('/extra-delete/')).status).toBe(404);
    expect(git('log', '-1', '--format=%s')).toContain('Delete');
    const trash = await alice.get('/edit/trash');
    expect(trash.text).toContain('extra-delete.md');
    const entry = /name="entry" value="([0-9a-f]{40})"/.exec(trash.text)![1]!;
    const restored = await alice.post('/edit/restore/extra-delete.md', {
      token: Browser.token(trash.text),
      entry,
      version: '',
    });
    expect(restored.status).toBe(303);
    expect((await request(t.handler).get('/extra-delete/')).status).toBe(200);
    expect((await alice.get('/edit/trash')).text).toContain('No pages have been deleted.');
  });

  it('shows the activity to admins only', async () => {
    expect((await alice.get('/edit/activity')).status).toBe(403);
    const activity = await bob.get('/edit/activity');
    expect(activity.status).toBe(200);
    expect(activity.text).toContain('page deleted: extra-delete.md');
  });
});
