/**
 * Long histories: every version of a page and every deleted page can be
 * reached (older ones a page at a time), and nothing reads more of the
 * history than it shows. A save or a live preview over a version someone
 * else has since replaced reads that one version, not the page's every
 * version (up to hundreds of half-megabyte texts, on every keystroke).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';
import { GIT_ISOLATED_ENV } from '../helpers/git.js';

let t: TestEditor;
let alice: Browser;
let bob: Browser;
beforeAll(async () => {
  t = await testEditor();
  alice = new Browser(t.handler);
  bob = new Browser(t.handler);
  await alice.signIn('alice', PASSWORDS.alice);
  await bob.signIn('bob', PASSWORDS.bob);
});
afterAll(() => t?.close());

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: t.contentDir, env: GIT_ISOLATED_ENV }).toString('utf8');

/**
 * Appends commits to the content repository in one git process (git fast-import), as years of saves
 * would have made them. Each change writes (text) or deletes (null) files; the working tree is left as
 * the last commit has it, so the callers end every file where it is on disk now.
 */
function appendCommits(commits: ReadonlyArray<{ message: string; changes: Record<string, string | null> }>): void {
  const branch = git('symbolic-ref', 'HEAD').trim();
  const parent = git('rev-parse', 'HEAD').trim();
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  commits.forEach((commit, i) => {
    const when = 1_800_000_000 + i * 60;
    chunks.push(`commit ${branch}\n`);
    chunks.push(`author Alice Smith <alice@example.org> ${when} +0000\n`);
    chunks.push(`committer Website editor <editor@localhost> ${when} +0000\n`);
    chunks.push(data(commit.message));
    if (i === 0) chunks.push(`from ${parent}\n`);
    for (const [file, text] of Object.entries(commit.changes))
      chunks.push(text === null ? `D ${file}\n` : `M 100644 inline ${file}\n${data(text)}`);
  });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: t.contentDir, env: GIT_ISOLATED_ENV, input: chunks.join('') });
  git('reset', '-q');
}

/** Every link of a paged list followed from its first page: the ids shown on each page, in order. */
async function allPages(first: string, idPattern: RegExp): Promise<string[][]> {
  const pages: string[][] = [];
  let url: string | null = first;
  while (url && pages.length < 20) {
    const html = (await bob.get(url)).text;
    pages.push([...html.matchAll(idPattern)].map((m) => m[1]!));
    const older = /<a href="([^"]+)"[^>]*>Older (?:versions|deleted pages)<\/a>/.exec(html);
    url = older ? older[1]!.replace(/&amp;/g, '&') : null;
  }
  return pages;
}

describe('a page with a long history', () => {
  const rel = 'regional-projects/pc-aims.md';
  let original: string;
  beforeAll(async () => {
    original = (await t.store.read(rel))!.bytes.toString('utf8');
    // 260 earlier versions, the last of them the text on disk now.
    appendCommits(
      Array.from({ length: 260 }, (_, i) => ({
        message: `Version ${i + 1} of the aims`,
        changes: { [rel]: i === 259 ? original : `${original}\nVersion ${i + 1}.\n` },
      })),
    );
  });

  it('shows every version, a page at a time, back to the first', async () => {
    const pages = await allPages(`/edit/history/${rel}`, /\?at=([0-9a-f]{40})/g);
    const ids = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(Number(git('rev-list', '--count', 'HEAD', '--', rel).trim()));
    expect(ids.at(-1)).toBe(git('rev-list', '--max-parents=0', 'HEAD').trim());
    // The first page marks the version on the website now, after reading one version at most.
    const readBlobs = vi.spyOn(t.store as unknown as { readBlobs: (specs: string[]) => unknown }, 'readBlobs');
    const first = await bob.get(`/edit/history/${rel}`);
    expect(first.text).toMatch(/\?at=[0-9a-f]{40}">[^<]*<span[^>]*> version<\/span><\/a> \(current\)/);
    expect(readBlobs.mock.calls.flatMap((c) => c[0]).length).toBeLessThanOrEqual(1);
    readBlobs.mockRestore();
    // An old version still opens and can be restored.
    const oldest = await bob.get(`/edit/history/${rel}?at=${ids.at(-2)}`);
    expect(oldest.text).toContain('Restore this version');
  });

  it('reads only the version a form was opened from when someone else has saved since', async () => {
    const { form } = await alice.openForm(`/edit/page/${rel}`);
    const b = await bob.openForm(`/edit/page/${rel}`);
    expect(
      (await bob.post(`/edit/page/${rel}`, { ...b.form, 'fm-title': 'Aims, renamed by Bob', action: 'save' })).status,
    ).toBe(303);
    const readBlobs = vi.spyOn(t.store as unknown as { readBlobs: (specs: string[]) => unknown }, 'readBlobs');
    // Alice's live preview, then her save, over Bob's newer version: merged, each reading one earlier version.
    const preview = await alice.post(`/edit/preview/${rel}`, { ...form, body: `${form.body}\nA line by Alice.\n` });
    expect(JSON.parse(preview.text).html).toContain('A line by Alice.');
    const blobsPerPreview = readBlobs.mock.calls.flatMap((c) => c[0]).length;
    expect(blobsPerPreview).toBeLessThanOrEqual(1);
    const saved = await alice.post(`/edit/page/${rel}`, {
      ...form,
      body: `${form.body}\nA line by Alice.\n`,
      action: 'save',
    });
    expect(saved.headers.location).toBe(`/edit/page/${rel}?notice=merged`);
    expect(readBlobs.mock.calls.flatMap((c) => c[0]).length).toBeLessThanOrEqual(blobsPerPreview + 3);
    readBlobs.mockRestore();
    const text = (await t.store.read(rel))!.bytes.toString('utf8');
    expect(text).toContain('Aims, renamed by Bob');
    expect(text).toContain('A line by Alice.');
  });
});

describe('many deleted pages', () => {
  it('are all listed, a page at a time, each once', async () => {
    const names = Array.from({ length: 230 }, (_, i) => `old-notes/note-${String(i).padStart(3, '0')}.md`);
    const text = '---\ntitle: Old note\ndescription: An old note.\ndraft: true\n---\n\nOld.\n';
    appendCommits([
      { message: 'Add old notes', changes: Object.fromEntries(names.map((n) => [n, text])) },
      ...names.map((n) => ({ message: `Delete ${n}`, changes: { [n]: null } })),
      // One deleted, brought back and deleted again: listed once, as its last deletion.
      { message: 'Bring back note 000', changes: { [names[0]!]: text } },
      { message: `Delete ${names[0]} again`, changes: { [names[0]!]: null } },
    ]);
    const pages = await allPages('/edit/trash', /<td class="nhsuk-table__cell">(old-notes\/[^<]+)<\/td>/g);
    const listed = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(listed.length).toBe(names.length);
    expect(new Set(listed)).toEqual(new Set(names));
    expect(listed[0]).toBe(names[0]);
  });
});
