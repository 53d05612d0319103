import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runNew } from '../../src/cli/newCommand.js';
import { buildSite } from '../../src/content/buildSite.js';
import { planNewPage } from '../../src/content/newPage.js';
import { readContentFolder } from '../../src/content/readContentFolder.js';
import { reviewContent } from '../../src/content/governance.js';
import { FsContentStore } from '../../src/store/fsContentStore.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';

const NOW = Date.parse('2027-02-10T12:00:00Z');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function site() {
  const content = tempContent(
    minimalFiles({
      'work-streams/index.md': page('title: Work streams\ndescription: D'),
      'about.md': page('title: About\ndescription: D'),
    }),
  );
  cleanups.push(content.cleanup);
  return content.dir;
}

describe('npm run new', () => {
  it('creates a draft page with valid front matter, dated today with a review due in a year', async () => {
    const dir = site();
    const outcome = await runNew(
      ['work-streams/survey-results', 'Survey results: "2027"'],
      await FsContentStore.open(dir),
      NOW,
      dir,
    );
    expect(outcome).toMatchObject({ code: 0, err: '' });
    expect(outcome.out).toContain(
      'Created work-streams/survey-results.md: a draft with the web address /work-streams/survey-results/.',
    );
    const text = readFileSync(path.join(dir, 'work-streams/survey-results.md'), 'utf8');
    expect(text).toContain('title: "Survey results: \\"2027\\""\n');
    expect(text).toContain('draft: true\nlastReviewed: 2027-02-10\nnextReviewDue: 2028-02-10\n');

    const folder = await readContentFolder(dir);
    const preview = buildSite(folder, { now: NOW });
    expect(preview.diagnostics).toEqual([]);
    const created = preview.preview!.pages.get('/work-streams/survey-results/')!;
    expect(created.frontMatter.title).toBe('Survey results: "2027"');
    expect(created.headings.map((h) => h.level)).toEqual([2]);
    // Until the example description is replaced, the check says so.
    const governance = reviewContent({ folder, build: buildSite(folder, { now: NOW }) }, { today: '2027-02-10' });
    expect(
      governance.diagnostics
        .filter((d) => d.file.startsWith('work-streams/survey'))
        .map((d) => [d.file, d.line, d.message.slice(0, 45)]),
    ).toEqual([['work-streams/survey-results.md', 3, 'the description is still the example from npm']]);
  });

  it('creates a draft document folder with a valid index.md, in the category most documents use', async () => {
    const dir = site();
    const store = await FsContentStore.open(dir);
    expect((await runNew(['documents/survey-2027', 'Survey 2027'], store, NOW, dir)).err).toMatch(
      /there is no documents section yet: create its page first with npm run new -- documents\/index "Documents"/,
    );
    expect((await runNew(['documents/index', 'Documents'], store, NOW, dir)).code).toBe(0);
    mkdirSync(path.join(dir, 'documents/old-data'));
    writeFileSync(
      path.join(dir, 'documents/old-data/index.md'),
      page(
        'title: Old data\ndescription: D.\nsummary: S.\ncategory: Datasets\npublished: 2026-01-01\n' +
          'files:\n  - file: old-data.csv',
      ),
    );
    writeFileSync(path.join(dir, 'documents/old-data/old-data.csv'), 'A,B\n1,2\n');

    const outcome = await runNew(['documents/survey-2027', 'Survey 2027'], store, NOW, dir);
    expect(outcome).toMatchObject({ code: 0, err: '' });
    expect(outcome.out).toContain(
      `Created ${path.join('documents', 'survey-2027', 'index.md')}: a draft document with the web address ` +
        '/documents/survey-2027/.',
    );
    expect(outcome.out).toContain(`Next: put its files in ${path.join('documents', 'survey-2027')}${path.sep}`);
    const text = readFileSync(path.join(dir, 'documents/survey-2027/index.md'), 'utf8');
    expect(text).toContain('title: "Survey 2027"\n');
    expect(text).toContain('category: "Datasets"\n');
    expect(text).toContain('published: 2027-02-10\n');
    expect(text).toContain('draft: true\n');
    expect(text).toContain('files: []\n');

    // Valid: no errors; the preview shows it as a draft, and the check says what is left to do.
    const folder = await readContentFolder(dir);
    const build = buildSite(folder, { now: NOW });
    expect(build.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(build.site!.pages.has('/documents/survey-2027/')).toBe(false);
    expect(build.preview!.library.documents.get('survey-2027')?.files).toEqual([]);
    const governance = reviewContent({ folder, build }, { today: '2027-02-10' });
    const advice = [...build.diagnostics, ...governance.diagnostics]
      .filter((d) => d.file === 'documents/survey-2027/index.md')
      .map((d) => `${d.line}: ${d.message.slice(0, 50)}`);
    expect(advice.sort()).toEqual([
      '15: this draft lists no files yet: put them in the fol',
      '3: the description is still the example from npm run ',
      '4: the summary is still the example from npm run new:',
    ]);
    // Publishing it without files is refused, saying what to do.
    writeFileSync(path.join(dir, 'documents/survey-2027/index.md'), text.replace('draft: true\n', ''));
    const published = buildSite(await readContentFolder(dir), { now: NOW });
    expect(published.diagnostics.map((d) => [d.file, d.line, d.message.slice(0, 40)])).toContainEqual([
      'documents/survey-2027/index.md',
      14,
      '"files" must list at least one file: put',
    ]);
  });

  it('refuses to overwrite an existing page, in either of its forms', async () => {
    const dir = site();
    writeFileSync(path.join(dir, 'work-streams/kpis.md'), 'mine');
    expect(await runNew(['work-streams/kpis', 'KPIs'], await FsContentStore.open(dir), NOW, dir)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^Not created: work-streams\/kpis\.md already exists/),
    });
    expect(readFileSync(path.join(dir, 'work-streams/kpis.md'), 'utf8')).toBe('mine');
    expect((await runNew(['work-streams', 'Another'], await FsContentStore.open(dir), NOW, dir)).err).toMatch(
      /work-streams\/index\.md already exists and has the web address \/work-streams\//,
    );
  });

  it('creates a new section with its index page, and refuses pages in a section that does not exist', async () => {
    const dir = site();
    expect((await runNew(['news/launch', 'Launch'], await FsContentStore.open(dir), NOW, dir)).err).toMatch(
      /there is no section "news" yet: create its page first with npm run new -- news\/index "Section title"/,
    );
    expect((await runNew(['news/index', 'News'], await FsContentStore.open(dir), NOW, dir)).code).toBe(0);
    expect((await runNew(['news/launch', 'Launch'], await FsContentStore.open(dir), NOW, dir)).code).toBe(0);
  });

  it('refuses names that cannot be web addresses, and bad titles', () => {
    const at = (target: string, title = 'T') => planNewPage(target, title, '2027-02-10', () => true);
    expect(at('Work Streams/New Page')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/"Work" is not allowed|"Work Streams" is not allowed/),
    });
    expect(at('../outside')).toMatchObject({ ok: false });
    expect(at('a//b')).toMatchObject({ ok: false });
    expect(at('index')).toMatchObject({ ok: false, message: expect.stringMatching(/home page/) });
    expect(planNewPage('x', '   ', '2027-02-10', () => false)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^the title must not be empty/),
    });
    expect(planNewPage('x', 'a\nb', '2027-02-10', () => false)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/line breaks/),
    });
  });

  it('runs as a command and explains its usage', async () => {
    const dir = site();
    const script = path.join(PROJECT_ROOT, 'dist', 'cli', 'new.js');
    const run = promisify(execFile);
    const ok = await run(process.execPath, [script, 'about-us', 'About us'], {
      cwd: dir,
      env: { ...process.env, CONTENT_DIR: dir },
    });
    expect(ok.stdout).toMatch(/^Created about-us\.md/);
    const usage = (await run(process.execPath, [script], { env: { ...process.env, CONTENT_DIR: dir } }).catch(
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run new -- <section>/<page-name> "Page title"');
  });
});
