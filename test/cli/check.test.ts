import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/checkCommand.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { BUNDLED_CONTENT, minimalFiles, page, tempContent } from '../helpers/site.js';

const BROKEN = path.join(PROJECT_ROOT, 'test', 'fixtures', 'broken-content');
const MARKER = '/tmp/pwned-by-front-matter';
const PLACEHOLDER_WARNING =
  'content/site.yml:16:15: warning: perinatal-project@example.org uses ' +
  'example.org, a domain reserved for examples and tests: no one receives ' +
  'email sent there. Replace it with a real email address before the site ' +
  'goes live';

describe('npm run check', () => {
  it('passes the bundled content, warning only about the placeholder contact address', async () => {
    const outcome = await runCheck(BUNDLED_CONTENT, 'https://example.org', PROJECT_ROOT);
    expect(outcome.report).toBe(`${PLACEHOLDER_WARNING}\n0 errors, 1 warning.\n`);
    expect(outcome.exitCode).toBe(0);
  });

  it('does not launch the bundled content until the placeholder address is replaced, and says what to do', async () => {
    const outcome = await runCheck(BUNDLED_CONTENT, 'https://example.org', PROJECT_ROOT, { launch: true });
    expect(outcome.report).toBe(
      [
        PLACEHOLDER_WARNING.replace(': warning: ', ': error: '),
        '1 error, 0 warnings.',
        'Not ready to launch: fix the errors above, then run npm run check -- --launch again.',
        '',
      ].join('\n'),
    );
    expect(outcome.exitCode).toBe(1);
  });

  it('reports every problem in a broken folder as path:line:column and exits 1', async () => {
    rmSync(MARKER, { force: true });
    const outcome = await runCheck(BROKEN, 'https://example.org', PROJECT_ROOT);
    const p = 'test/fixtures/broken-content/';
    expect(outcome.report.split('\n')).toEqual([
      `${p}index.md:1:1: warning: the page has no "lastReviewed" date: once ` +
        `someone has checked it is right, add "lastReviewed: YYYY-MM-DD" and a ` +
        `"nextReviewDue" date`,
      `${p}index.md:6:73: error: the link "/gone/" points to /gone/, which is not a page on this site.`,
      `${p}site.yml:15:15: warning: perinatal-project@example.org uses ` +
        `example.org, a domain reserved for examples and tests: no one receives ` +
        `email sent there. Replace it with a real email address before the site ` +
        `goes live`,
      `${p}site.yml:19:11: error: the link "/accessibility/" points to ` +
        `/accessibility/, which is not a page on this site.`,
      `${p}site.yml:21:11: error: the link "/about/" points to /about/, which is not a page on this site.`,
      `${p}site.yml:23:11: error: the link "/documents/" points to /documents/, which is not a page on this site.`,
      `${p}work-streams/bad-date.md:4:15: error: "lastReviewed" is not a real ` +
        `calendar date: check the month (01-12) and the day`,
      `${p}work-streams/index.md:4:1: error: unknown key "navigaton". Did you mean "navigation"?`,
      `${p}work-streams/js-front-matter.md:1:4: error: front matter must open ` +
        `with a line of exactly "---"; "---js" is refused (language tags such as ` +
        `---js could run code)`,
      `${p}work-streams/no-description.md:2:1: error: "description" is required`,
      `${p}work-streams/tabs.md:5:1: error: a tab is used for indentation: indent with spaces only`,
      '9 errors, 2 warnings.',
      '',
    ]);
    expect(outcome.exitCode).toBe(1);
    expect(existsSync(MARKER)).toBe(false);
  });

  it('runs as a command with the same output and exit code', async () => {
    const script = path.join(PROJECT_ROOT, 'dist', 'cli', 'check.js');
    expect(existsSync(script), 'dist/ is built by the pretest script').toBe(true);
    const run = promisify(execFile);
    const error = await run(process.execPath, [script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CONTENT_DIR: BROKEN },
    }).catch((e: { code: number; stdout: string }) => e);
    expect((error as { code: number }).code).toBe(1);
    expect((error as { stdout: string }).stdout).toContain('work-streams/index.md:4:1: error: unknown key "navigaton"');
    const ok = await run(process.execPath, [script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CONTENT_DIR: BUNDLED_CONTENT },
    });
    expect(ok.stdout).toBe(`${PLACEHOLDER_WARNING}\n0 errors, 1 warning.\n`);
    for (const flag of ['--launch', '--strict']) {
      const launch = (await run(process.execPath, [script, flag], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, CONTENT_DIR: BUNDLED_CONTENT },
      }).catch((e: unknown) => e)) as { code: number; stdout: string };
      expect(launch.code).toBe(1);
      expect(launch.stdout).toContain('content/site.yml:16:15: error: perinatal-project@example.org uses example.org');
      expect(launch.stdout).toContain('Not ready to launch');
    }
  });

  it(
    'prints no control character a content file holds: no terminal title, ' + 'cleared screen or fake "Content OK"',
    async () => {
      const { dir, cleanup } = tempContent(
        minimalFiles({
          'title\u001b]0;pwned\u0007.md': page('title: T\ndescription: D'),
          'draft.md': page(
            'title: "Plans\\e[2J"\ndescription: D\ndraft: true\n"\\e[2J\\e[HContent OK: no problems found.\\r": x',
          ),
        }),
      );
      try {
        const outcome = await runCheck(dir, 'https://example.org', dir);
        expect(outcome.report).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        expect(outcome.report).toContain(
          'draft.md:5:1: error: unknown key "\\x1b[2J\\x1b[HContent OK: no problems found.\\x0d"',
        );
        expect(outcome.report).toContain(
          'title\\x1b]0;pwned\\x07.md:1:1: error: "title\\x1b]0;pwned\\x07" cannot be part of a web address',
        );
        expect(outcome.report.split('\n').filter((l) => l.startsWith('Content OK'))).toEqual([]);
      } finally {
        cleanup();
      }
    },
  );

  it("checks the links of drafts, a draft document's included, and says the page is a draft", async () => {
    const { dir, cleanup } = tempContent(
      minimalFiles({
        'plans.md': page('title: Plans\ndescription: D\ndraft: true', 'See [a](/nowhere/) and [b](/neither/).\n'),
        'documents/index.md': page('title: Documents\ndescription: D'),
        'documents/data/index.md': page(
          'title: Data\ndescription: D\nsummary: S\ncategory: Data\npublished: 2026-01-10\ndraft: true\nfiles: []',
          'See [the plans](plans.md).\n',
        ),
      }),
    );
    try {
      const outcome = await runCheck(dir, 'https://example.org', dir, { now: Date.UTC(2026, 5, 1) });
      expect(outcome.exitCode).toBe(1);
      expect(outcome.report).not.toContain('Content OK');
      const drafted = ' This page is a draft: correct the link before you publish it.';
      expect(outcome.report.split('\n').filter((l) => l.includes(': error: '))).toEqual([
        `./documents/data/index.md:10:17: error: the link "plans.md" names the page's file: link to its web ` +
          `address instead, "/plans/".${drafted}`,
        `./plans.md:6:9: error: the link "/nowhere/" points to /nowhere/, which is not a page on this site.${drafted}`,
        `./plans.md:6:28: error: the link "/neither/" points to /neither/, which is not a page on this site.${drafted}`,
      ]);
    } finally {
      cleanup();
    }
  });
});
