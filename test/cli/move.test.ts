/**
 * `npm run move`: a page or a whole section moves, its old addresses lead to
 * the new ones (formerAddresses, comments kept), pictures only it shows go
 * with it, site.yml redirects and document lists follow, and a move that
 * would break the content changes nothing.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMove } from '../../src/cli/moveCommand.js';
import { loadContent } from '../../src/content/loadContent.js';
import { FsContentStore } from '../../src/store/fsContentStore.js';
import { GitContentStore } from '../../src/store/gitContentStore.js';
import { folderHash } from '../editor/hashing.js';
import { tinyPng } from '../helpers/images.js';
import { BUNDLED_CONTENT } from '../helpers/site.js';

const NOW = Date.parse('2026-12-10T12:00:00Z');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function bundledCopy(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'move-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'content');
  cpSync(BUNDLED_CONTENT, dir, { recursive: true });
  return dir;
}
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('npm run move', () => {
  it('moves a page, keeps its old address as a redirect, and takes the pictures only it shows', async () => {
    const dir = bundledCopy();
    const kpi = 'work-streams/key-performance-indicators.md';
    writeFileSync(
      path.join(dir, kpi),
      read(dir, kpi).replace(
        '---\n\n',
        '# A comment that stays.\n---\n\n![A chart of the indicators](kpi-chart.png)\n\n',
      ),
    );
    writeFileSync(path.join(dir, 'work-streams/kpi-chart.png'), tinyPng());
    const outcome = await runMove([kpi, '/about-kpis/'], await FsContentStore.open(dir), NOW, 'content/');
    expect(outcome.err).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.out).toContain('/work-streams/key-performance-indicators/ now leads to /about-kpis/');
    expect(existsSync(path.join(dir, kpi))).toBe(false);
    const moved = read(dir, 'about-kpis.md');
    expect(moved).toContain('formerAddresses:\n  - /work-streams/key-performance-indicators/\n');
    expect(moved).toContain('# A comment that stays.\n');
    expect(existsSync(path.join(dir, 'kpi-chart.png'))).toBe(true);
    const { build } = await loadContent(dir, NOW);
    expect(build.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(build.site!.redirects.get('/work-streams/key-performance-indicators/')).toBe('/about-kpis/');
    // Moved again: both old addresses lead straight to the newest, never through a chain.
    expect((await runMove(['/about-kpis/', 'work-streams/kpis'], await FsContentStore.open(dir), NOW, '')).code).toBe(
      0,
    );
    const again = (await loadContent(dir, NOW)).build.site!;
    expect(again.redirects.get('/work-streams/key-performance-indicators/')).toBe('/work-streams/kpis/');
    expect(again.redirects.get('/about-kpis/')).toBe('/work-streams/kpis/');
  });

  it('moves a section with every page in it, as one commit in a git store', async () => {
    const dir = bundledCopy();
    const store = await GitContentStore.open(dir);
    const before = await store.head();
    const outcome = await runMove(['/regional-projects/', 'projects'], store, NOW, '');
    expect(outcome.code).toBe(0);
    expect(existsSync(path.join(dir, 'projects/pc-aims.md'))).toBe(true);
    expect(existsSync(path.join(dir, 'regional-projects/pc-aims.md'))).toBe(false);
    const site = (await loadContent(dir, NOW)).build.site!;
    expect(site.redirects.get('/regional-projects/')).toBe('/projects/');
    expect(site.redirects.get('/regional-projects/pc-aims/')).toBe('/projects/pc-aims/');
    const { execFileSync } = await import('node:child_process');
    const log = execFileSync('git', ['-C', dir, 'log', '--format=%s', `${before}..HEAD`]).toString();
    expect(log.trim().split('\n')).toEqual(['Move regional-projects/index.md to projects/index.md']);
  });

  it('renames a document, with the pages listing it and site.yml redirects leading to it', async () => {
    const dir = bundledCopy();
    writeFileSync(
      path.join(dir, 'site.yml'),
      `${read(dir, 'site.yml')}\nredirects:\n  - from: /old-site/qi.html\n    to: /documents/quality-indicators/\n`,
    );
    const citing = 'work-streams/key-performance-indicators.md';
    writeFileSync(
      path.join(dir, citing),
      read(dir, citing).replace('---\n\n', 'documents:\n  - quality-indicators\n---\n\n'),
    );
    const outcome = await runMove(
      ['/documents/quality-indicators/', '/documents/five-indicators/'],
      await FsContentStore.open(dir),
      NOW,
      '',
    );
    expect(outcome.err).toBe('');
    expect(read(dir, 'site.yml')).toContain('to: /documents/five-indicators/');
    expect(read(dir, citing)).toContain('documents:\n  - five-indicators\n');
    const site = (await loadContent(dir, NOW)).build.site!;
    const [pdf] = site.library.documents.get('five-indicators')!.files;
    expect(site.redirects.get(`/documents/quality-indicators/${pdf!.name}`)).toBe(pdf!.url);
  });

  it('moves a page back to an address it had: that address is its own again, the other leads to it', async () => {
    const dir = bundledCopy();
    const kpi = 'work-streams/key-performance-indicators.md';
    const store = await FsContentStore.open(dir);
    expect((await runMove([kpi, 'about-kpis'], store, NOW, '')).code).toBe(0);
    // Undoing a rename: before, the page's own address stayed in its former addresses and the move was refused.
    const back = await runMove(['about-kpis.md', 'work-streams/key-performance-indicators'], store, NOW, '');
    expect(back.err).toBe('');
    expect(back.code).toBe(0);
    expect(read(dir, kpi)).toContain('formerAddresses:\n  - /about-kpis/\n');
    const { build } = await loadContent(dir, NOW);
    expect(build.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...build.site!.redirects]).toContainEqual(['/about-kpis/', '/work-streams/key-performance-indicators/']);
    expect(build.site!.redirects.has('/work-streams/key-performance-indicators/')).toBe(false);
  });

  it('refuses a move onto a page, of the home page, out of the documents, or losing a picture', async () => {
    const dir = bundledCopy();
    // A picture two pages show stays where it is, so moving one of them away would lose it.
    for (const file of ['work-streams/key-performance-indicators.md', 'work-streams/maternity-systems-survey.md'])
      writeFileSync(path.join(dir, file), `${read(dir, file)}\n![A shared chart](shared.png)\n`);
    writeFileSync(path.join(dir, 'work-streams/shared.png'), tinyPng());
    const store = await GitContentStore.open(dir);
    const hash = folderHash(dir);
    const refusals = [
      [['about.md', 'accessibility'], /accessibility\.md already has the address \/accessibility\//],
      [['index.md', 'home'], /index\.md cannot move/],
      [['/documents/quality-indicators/', 'qi'], /a document stays in the documents section/],
      [['/no-such-page/', 'x'], /there is no page "\/no-such-page\/"/],
      [['about.md', 'About Us'], /cannot be a web address/],
      [['about.md', 'search'], /used by the website itself/],
      [['about.md', 'nowhere/about'], /there is no section \/nowhere\//],
      [['work-streams/key-performance-indicators.md', 'kpis'], /the image "shared\.png" is missing[\s\S]*Not moved/],
    ] as const;
    for (const [args, message] of refusals) {
      const outcome = await runMove(args, store, NOW, '');
      expect(outcome.code, args.join(' ')).toBe(1);
      expect(outcome.err).toMatch(message);
    }
    expect((await runMove(['one'], store, NOW, '')).code).toBe(2);
    expect(folderHash(dir)).toBe(hash);
  });
});
