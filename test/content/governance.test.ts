import { execFile } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/checkCommand.js';
import { buildSite, type BuildResult } from '../../src/content/buildSite.js';
import { NEW_PAGE_DESCRIPTION } from '../../src/content/newPage.js';
import { documentFiles, reviewContent } from '../../src/content/governance.js';
import { SourcePositions } from '../../src/content/positions.js';
import { readContentFolder } from '../../src/content/readContentFolder.js';
import type { ContentFolder } from '../../src/content/readContentFolder.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { BUNDLED_CONTENT, BUNDLED_SETTINGS, memoryFolder, minimalFiles, page, tempContent } from '../helpers/site.js';

const NOW = Date.parse('2027-06-15T12:00:00Z');
const reviewed = 'lastReviewed: 2027-01-01\nnextReviewDue: 2028-01-01';
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function review(
  files: Record<string, string>,
  options: { strict?: boolean; extraEntries?: ContentFolder['entries'] } = {},
) {
  const folder = memoryFolder(files);
  folder.entries.push(...(options.extraEntries ?? []));
  const build = buildSite(folder, { now: NOW });
  return reviewContent({ folder, build }, { today: '2027-06-15', ...(options.strict ? { strict: true } : {}) });
}

const base = (extra: Record<string, string>) =>
  minimalFiles({
    'index.md': page(`title: Home\ndescription: D\n${reviewed}`, '[About](/about/)\n'),
    'about.md': page(`title: About\ndescription: D\n${reviewed}`),
    ...extra,
  });

describe('content governance', () => {
  it('finds nothing to say about a tidy site', () => {
    expect(review(base({})).diagnostics).toEqual([]);
  });

  it('warns about an overdue review at the nextReviewDue line; --strict makes it an error', () => {
    const files = base({
      'old.md': page('title: Old\ndescription: D\nlastReviewed: 2025-01-01\nnextReviewDue: 2026-01-01'),
    });
    const warning = review(files).diagnostics;
    expect(warning).toEqual([
      expect.objectContaining({
        file: 'old.md',
        line: 5,
        column: 16,
        severity: 'warning',
        message: expect.stringMatching(/^the review was due on 1 January 2026: check the page is still right/),
      }),
    ]);
    expect(review(files, { strict: true }).diagnostics[0]!.severity).toBe('error');
  });

  it('does not count a review due today as overdue', () => {
    expect(
      review(
        base({ 'due.md': page('title: Due\ndescription: D\nlastReviewed: 2026-06-15\nnextReviewDue: 2027-06-15') }),
      ).diagnostics,
    ).toEqual([]);
  });

  it('warns about pages never reviewed, but not drafts, expired pages or the error pages', () => {
    const r = review(
      base({
        'never.md': page('title: Never\ndescription: D'),
        'draft.md': page('title: Draft\ndescription: D\ndraft: true'),
        'gone.md': page('title: Gone\ndescription: D\nexpiryDate: 2027-01-01'),
      }),
    );
    expect(r.diagnostics.map((d) => [d.file, d.message.slice(0, 40)])).toEqual([
      ['never.md', 'the page has no "lastReviewed" date: onc'],
    ]);
  });

  it('finds orphan pages: hidden from the navigation and linked from no published page', () => {
    const hidden = (title: string) => page(`title: ${title}\ndescription: D\nnavigation:\n  hidden: true\n${reviewed}`);
    const r = review(
      base({
        'orphan.md': hidden('Orphan'),
        'linked.md': hidden('Linked'),
        'self-linked.md': page(
          `title: Self\ndescription: D\nnavigation:\n  hidden: true\n${reviewed}`,
          '[me](/self-linked/)\n',
        ),
        'from-draft.md': hidden('From draft'),
        'draft.md': page('title: Draft\ndescription: D\ndraft: true', '[x](/from-draft/)\n'),
        'about.md': page(`title: About\ndescription: D\n${reviewed}`, '[linked](/linked/)\n'),
        'section/index.md': page(
          `title: Section\ndescription: D\nnavigation:\n  hidden: true\n${reviewed}`,
          '[child](child/)\n',
        ),
        'section/child.md': page(`title: Child\ndescription: D\n${reviewed}`),
      }),
    );
    expect(r.diagnostics.filter((d) => /nobody can find/.test(d.message)).map((d) => d.file)).toEqual([
      'from-draft.md',
      'orphan.md',
      'section/index.md',
      'self-linked.md',
    ]);
  });

  it('counts footer links: the hidden accessibility statement is not an orphan', () => {
    const settings = BUNDLED_SETTINGS.replace(
      /^footerLinks:\n(?: {2}.*\n)+/m,
      'footerLinks:\n  - text: Accessibility\n    href: /accessibility/\n',
    );
    const r = review(
      base({
        'site.yml': settings,
        'accessibility.md': page(`title: Accessibility\ndescription: D\nnavigation:\n  hidden: true\n${reviewed}`),
      }),
    );
    expect(r.diagnostics).toEqual([]);
  });

  it('finds files nothing uses, and accepts files declared by a feature (documents declare their downloads)', () => {
    const files = base({ 'files/stray.pdf': '%PDF', 'extra/data.csv': 'c' });
    const folder = memoryFolder(files);
    const build = buildSite(folder, { now: NOW });
    expect(build.site).not.toBeNull();
    const declared = reviewContent(
      { folder, build },
      { today: '2027-06-15', usedFiles: [() => ['site.yml'], () => ['extra/data.csv']] },
    );
    expect(declared.diagnostics.map((d) => [d.file, d.message])).toEqual([
      ['files/stray.pdf', 'nothing uses this file: link to it from a page, or delete it'],
    ]);
    const undeclared = reviewContent({ folder, build }, { today: '2027-06-15', usedFiles: [] });
    expect(undeclared.diagnostics.map((d) => d.file)).toEqual(['extra/data.csv', 'files/stray.pdf', 'site.yml']);
  });

  it('counts the files of the bundled document folders as used', async () => {
    const folder = await readContentFolder(BUNDLED_CONTENT);
    const build = buildSite(folder, { now: NOW });
    const used = [...documentFiles({ folder, build })];
    expect(used.length).toBeGreaterThanOrEqual(3);
    expect(used.every((f) => f.startsWith('documents/'))).toBe(true);
    expect(
      reviewContent({ folder, build }, { today: '2027-06-15' }).diagnostics.filter((d) =>
        /nothing uses/.test(d.message),
      ),
    ).toEqual([]);
  });

  it('says nothing about unused files while the site has errors', () => {
    const folder = memoryFolder(
      base({ 'files/stray.pdf': '%PDF', 'about.md': page('title: About\ndescription: D\ntittle: x') }),
    );
    const build = buildSite(folder, { now: NOW });
    expect(
      reviewContent({ folder, build }, { today: '2027-06-15' }).diagnostics.filter((d) =>
        /nothing uses/.test(d.message),
      ),
    ).toEqual([]);
  });

  it('lists drafts and scheduled pages', () => {
    const r = review(
      base({
        'draft.md': page('title: Draft\ndescription: D\ndraft: true\npublishDate: 2027-01-01'),
        'soon.md': page(`title: Soon\ndescription: D\npublishDate: 2027-07-01\n${reviewed}`),
        'now.md': page(`title: Now\ndescription: D\nexpiryDate: 2027-07-01\n${reviewed}`),
      }),
    );
    expect(r.drafts.map((s) => s.page.source)).toEqual(['draft.md']);
    expect(r.scheduled.map((s) => [s.page.source, s.state])).toEqual([
      ['now.md', 'published'],
      ['soon.md', 'scheduled'],
    ]);
  });

  it('points at the value of the front matter key, from the positions recorded when the file was parsed', () => {
    const folder = memoryFolder(
      minimalFiles({
        'old.md': '---\ntitle: X\ndescription: D\nnextReviewDue:  2026-01-01\n---\nnextReviewDue: body\n',
      }),
    );
    const r = reviewContent({ folder, build: buildSite(folder, { now: NOW }) }, { today: '2027-01-01' });
    expect(r.diagnostics.find((d) => d.file === 'old.md' && /review was due/.test(d.message))).toMatchObject({
      line: 4,
      column: 17,
    });
  });
});

describe('npm run check with governance', () => {
  it('lists drafts and scheduled pages above the problems, and reports symlinks', async () => {
    const content = tempContent(
      base({
        'plans.md': page('title: Plans\ndescription: D\ndraft: true'),
        'news.md': page(
          `title: News\ndescription: D\npublishDate: 2027-07-01 09:30\nexpiryDate: 2027-08-01\n${reviewed}`,
        ),
      }),
    );
    cleanups.push(content.cleanup);
    symlinkSync('/etc/passwd', path.join(content.dir, 'passwd.md'));
    const outcome = await runCheck(content.dir, 'https://example.org', content.dir, { now: NOW });
    expect(outcome.report).toBe(
      [
        'Drafts (shown only in the preview, npm run dev):',
        '  ./plans.md – Plans',
        '',
        'Scheduled pages (UK time):',
        '  ./news.md – News: shown from 1 July 2027 at 09:30 UK time until 1 August 2027 (not published yet)',
        '',
        './passwd.md:1:1: error: symbolic links are not allowed in the content ' +
          'folder: replace the link with the real file',
        '1 error, 0 warnings.',
        '',
      ].join('\n'),
    );
    expect(outcome.exitCode).toBe(1);
  });

  it('fails with --strict when a review is overdue, and passes without it', async () => {
    const content = tempContent(
      base({ 'old.md': page('title: Old\ndescription: D\nlastReviewed: 2025-01-01\nnextReviewDue: 2026-01-01') }),
    );
    cleanups.push(content.cleanup);
    const relaxed = await runCheck(content.dir, 'https://example.org', content.dir, { now: NOW });
    expect(relaxed.exitCode).toBe(0);
    expect(relaxed.report).toContain('./old.md:5:16: warning: the review was due on 1 January 2026');
    const strict = await runCheck(content.dir, 'https://example.org', content.dir, { now: NOW, strict: true });
    expect(strict.exitCode).toBe(1);
    expect(strict.report).toContain('./old.md:5:16: error: the review was due on 1 January 2026');

    const script = path.join(PROJECT_ROOT, 'dist', 'cli', 'check.js');
    const run = promisify(execFile);
    const failed = (await run(process.execPath, [script, '--strict'], {
      env: { ...process.env, CONTENT_DIR: content.dir },
    }).catch((e: unknown) => e)) as { code: number; stdout: string };
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/old\.md:5:16: error: the review was due/);
    const unknown = (await run(process.execPath, [script, '--strcit'], {
      env: { ...process.env, CONTENT_DIR: content.dir },
    }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown option --strcit.');
  });
});

describe('governance at scale', () => {
  it('finds each page’s positions by path, not by a search of every file per page', () => {
    // 40,000 overdue pages with the example description: each problem points at its setting.
    const entries: ContentFolder['entries'] = [];
    const sourcePages: BuildResult['sourcePages'] = [];
    for (let i = 0; i < 40_000; i++) {
      const source = `p${i}.md`;
      entries.push({
        path: source,
        kind: 'file',
        bytes: Buffer.from(`---\ntitle: P\ndescription: x\nnextReviewDue: 2020-01-01\n---\n`),
      });
      const frontMatter = { title: 'P', description: NEW_PAGE_DESCRIPTION, nextReviewDue: '2020-01-01' };
      const positions = new SourcePositions();
      positions.record(['description'], { line: 3, column: 1 }, { line: 3, column: 14 });
      positions.record(['nextReviewDue'], { line: 4, column: 1 }, { line: 4, column: 16 });
      sourcePages.push({
        page: { source, url: `/p${i}/`, role: 'page', frontMatter, positions, bodyHtml: '', headings: [], links: [] },
        state: 'published',
      });
    }
    const build: BuildResult = {
      settings: null,
      site: null,
      preview: null,
      diagnostics: [],
      sourcePages,
      nextChangeAt: null,
    };
    const before = process.cpuUsage();
    const report = reviewContent({ folder: { root: '/memory', entries }, build }, { today: '2027-06-15' });
    const used = process.cpuUsage(before);
    expect(report.diagnostics).toHaveLength(120_000);
    // A search per page costs 40,000 × 20,000 comparisons: seconds. By path it is a few hundred ms at most.
    expect((used.user + used.system) / 1000).toBeLessThan(1500);
  });
});
