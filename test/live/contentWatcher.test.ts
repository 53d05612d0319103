import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchForReloads, type ContentWatcher } from '../../src/live/contentWatcher.js';
import type { ReloadRequest } from '../../src/live/liveSite.js';
import { createLogger } from '../../src/logger.js';
import { tempContent } from '../helpers/site.js';
import { waitFor } from '../helpers/live.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function watched(files: Record<string, string>, debounceMs = 20, extra: { views?: string } = {}) {
  const content = tempContent(files);
  const requests: ReloadRequest[] = [];
  const targets = [
    { dir: content.dir, kind: 'content' as const },
    ...(extra.views ? [{ dir: extra.views, kind: 'templates' as const }] : []),
  ];
  const watcher: ContentWatcher = await watchForReloads(
    {
      reload: (r?: ReloadRequest) => {
        if (!r) throw new Error('no request');
        requests.push(r);
        return Promise.resolve(null as never);
      },
    },
    targets,
    { debounceMs, logger: createLogger('silent') },
  );
  cleanups.push(async () => {
    await watcher.close();
    content.cleanup();
  });
  const paths = () => requests.flatMap((r) => (r.content === 'all' ? ['*'] : (r.content ?? [])));
  return { dir: content.dir, requests, paths };
}

describe('content watcher', () => {
  it('collects a burst of saves into one reload naming every changed file', async () => {
    const w = await watched({ 'a.md': 'a', 's/b.md': 'b' }, 60);
    writeFileSync(path.join(w.dir, 'a.md'), 'a2');
    writeFileSync(path.join(w.dir, 's/b.md'), 'b2');
    mkdirSync(path.join(w.dir, 'new'));
    writeFileSync(path.join(w.dir, 'new/c.md'), 'c');
    await waitFor(() => w.requests.length > 0, 5000, 'a reload');
    await sleep(200);
    expect(w.requests).toHaveLength(1);
    expect(w.paths()).toEqual(expect.arrayContaining(['a.md', 's/b.md', 'new/c.md']));
    expect(w.requests[0]!.reason).toBe('file change');
  });

  it('ignores hidden files such as editor swap files and .git', async () => {
    const w = await watched({ 'a.md': 'a' });
    writeFileSync(path.join(w.dir, '.a.md.swp'), 'swap');
    mkdirSync(path.join(w.dir, '.git'));
    writeFileSync(path.join(w.dir, '.git', 'HEAD'), 'ref');
    await sleep(300);
    expect(w.paths().filter((p) => p !== 'a.md')).toEqual([]);
  });

  it('sees every save, including quick saves after the file was read (chokidar alone missed some)', async () => {
    const w = await watched({ 's/a.md': 'one' }, 10);
    const file = path.join(w.dir, 's', 'a.md');
    const missed: number[] = [];
    for (let i = 0; i < 40; i++) {
      const before = w.requests.length;
      writeFileSync(file, `---\ntitle: ${i}\n${'x'.repeat(i * 7 + 5)}`);
      await sleep(25);
      readFileSync(file); // a reload reads the file, which changes its access time
      await sleep(35);
      if (!w.requests.slice(before).some((r) => r.content !== 'all' && r.content?.includes('s/a.md'))) missed.push(i);
    }
    expect(missed).toEqual([]);
  });

  it('asks for templates to be reloaded when a view changes', async () => {
    const views = tempContent({ 'page.njk': 'x' });
    cleanups.push(views.cleanup);
    const w = await watched({ 'a.md': 'a' }, 20, { views: views.dir });
    writeFileSync(path.join(views.dir, 'page.njk'), 'y');
    await waitFor(() => w.requests.some((r) => r.templates), 5000, 'a template reload');
  });
});
