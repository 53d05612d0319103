import { renameSync, rmSync, symlinkSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { watchForReloads, type ContentWatcher } from '../../src/live/contentWatcher.js';
import { LiveSite, MAX_TIMER_MS } from '../../src/live/liveSite.js';
import { minimalFiles, page, SITE_URL, tempContent } from '../helpers/site.js';
import { capturedLogger, clientFor, fakeClock, waitFor, writerFor } from '../helpers/live.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function sectionPage(title: string, body: string): string {
  return page(`title: ${title}\ndescription: D`, body);
}

function files(version: number): Record<string, string> {
  return minimalFiles({
    's/index.md': page('title: Section\ndescription: D'),
    's/a.md': sectionPage(`A v${version}`, `A body v${version}.\n`),
    's/b.md': sectionPage('B', 'B body.\n'),
    'other.md': page('title: Other\ndescription: D'),
  });
}

async function liveServer(options: {
  files: Record<string, string>;
  watch?: boolean;
  clock?: ReturnType<typeof fakeClock>;
}) {
  const content = tempContent(options.files);
  const { logger, lines } = capturedLogger();
  const live = new LiveSite({
    contentDir: content.dir,
    siteUrl: SITE_URL,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const first = await live.reload({ content: 'all', reason: 'start' });
  const app = createApp({
    config: { trustProxy: false },
    site: () => live.current()!,
    logger: capturedLogger().logger,
    contentStatus: () => live.status(),
  });
  const server: http.Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  let watcher: ContentWatcher | null = null;
  if (options.watch !== false)
    watcher = await watchForReloads(live, [{ dir: content.dir, kind: 'content' }], { debounceMs: 20, logger });
  cleanups.push(async () => {
    await watcher?.close();
    live.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    content.cleanup();
  });
  const { get } = clientFor(server);
  const write = writerFor(content.dir);
  return { live, first, get, write, dir: content.dir, logs: lines };
}

describe('production reloads from file changes', () => {
  it('serves an edited page after the file is saved, re-rendering only that page', async () => {
    const s = await liveServer({ files: files(1) });
    expect(s.first.ok).toBe(true);
    expect((await s.get('/other/')).text).toContain('<h1>Other</h1>');
    const untouched = s.live.current()!.pages.get('/s/b/');
    s.write('other.md', page('title: Other\ndescription: D', 'Edited body.\n'));
    await waitFor(async () => (await s.get('/other/')).text.includes('Edited body.'), 10_000, 'the edit to be served');
    expect(s.live.status()).toMatchObject({ state: 'current', version: 2 });
    expect(s.live.current()!.pages.get('/s/b/')).toBe(untouched);
  });

  it('picks up new, deleted and renamed pages and folders', async () => {
    const s = await liveServer({ files: files(1) });
    s.write('new/index.md', page('title: New section\ndescription: D'));
    await waitFor(async () => (await s.get('/new/')).status === 200, 10_000, 'the new section');
    expect((await s.get('/')).text).toContain('href="/new/"');
    renameSync(path.join(s.dir, 'new'), path.join(s.dir, 'renamed'));
    await waitFor(
      async () => (await s.get('/renamed/')).status === 200 && (await s.get('/new/')).status === 404,
      10_000,
      'the rename',
    );
    rmSync(path.join(s.dir, 'renamed'), { recursive: true });
    await waitFor(async () => (await s.get('/renamed/')).status === 404, 10_000, 'the deletion');
  });

  it(
    'keeps serving the old site when an edit has errors, logs them with file ' +
      'and line, reports stale content, and recovers',
    async () => {
      const s = await liveServer({ files: files(1) });
      s.write('s/a.md', '---\ntitle: A v2\ndescription: D\ntittle: oops\n---\nBroken.\n');
      await waitFor(() => s.live.status().state === 'stale', 10_000, 'the stale state');
      const res = await s.get('/s/a/');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1>A v1</h1>');
      const ready = await s.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.headers.get('x-content-status')).toBe('stale');
      expect(ready.text).toMatch(/content stale/);
      expect(s.logs()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            level: 50,
            file: 's/a.md',
            line: 4,
            column: 1,
            msg: expect.stringMatching(/unknown key "tittle"/),
          }),
        ]),
      );

      s.write('s/a.md', sectionPage('A v3', 'Fixed.\n'));
      await waitFor(async () => (await s.get('/s/a/')).text.includes('<h1>A v3</h1>'), 10_000, 'the repair');
      expect(s.live.status().state).toBe('current');
      expect((await s.get('/readyz')).headers.get('x-content-status')).toBe('current');
    },
  );

  it('refuses a symlink added while running, like at start', async () => {
    const s = await liveServer({ files: files(1) });
    symlinkSync('/etc/passwd', path.join(s.dir, 'leak.md'));
    await waitFor(() => s.live.status().state === 'stale', 10_000, 'the stale state');
    expect(s.live.status().diagnostics[0]).toMatchObject({
      file: 'leak.md',
      message: expect.stringMatching(/symbolic links are not allowed/),
    });
    expect((await s.get('/leak/')).status).toBe(404);
  });

  it(
    'under concurrent requests, edits, breaks and repairs give no error ' + 'responses and no mixed or older pages',
    async () => {
      const s = await liveServer({ files: files(0) });
      let stop = false;
      const problems: string[] = [];
      const seen = { '/s/a/': 0, '/s/b/': 0 } as Record<string, number>;
      const client = async (url: string) => {
        let count = 0;
        while (!stop) {
          const res = await s
            .get(url)
            .catch((error: unknown) => ({ status: 0, text: String(error), headers: new Headers() }));
          count++;
          if (res.status !== 200) problems.push(`${url}: status ${res.status}`);
          // Every mention of page A in one response must carry the same version.
          const versions = new Set([...res.text.matchAll(/A (?:body )?v(\d+)/g)].map((m) => Number(m[1])));
          if (url.startsWith('/s/') && versions.size !== 1)
            problems.push(`${url}: mixed versions ${[...versions].join(',')}`);
          const version = [...versions][0] ?? 0;
          if (url in seen) {
            if (version < seen[url]!) problems.push(`${url}: went back from v${seen[url]} to v${version}`);
            seen[url] = version;
          }
        }
        return count;
      };
      const clients = ['/s/a/', '/s/b/', '/s/a/', '/', '/readyz'].map(client);

      cleanups.push(() => {
        stop = true;
      });
      for (let v = 1; v <= 12; v++) {
        if (v % 3 === 0) {
          // A broken save, then the repair.
          s.write('s/a.md', `---\ntitle: A v${v}\ndescription: D\nnavigation:\n\torder: 1\n---\nA body v${v}.\n`);
          await waitFor(() => s.live.status().state === 'stale', 10_000, `stale at v${v}`);
        }
        s.write('s/a.md', sectionPage(`A v${v}`, `A body v${v}.\n`));
        await waitFor(
          () => s.live.current()!.pages.get('/s/b/')!.body.toString().includes(`A v${v}<`),
          10_000,
          `v${v}`,
        );
      }
      await waitFor(() => seen['/s/a/'] === 12 && seen['/s/b/'] === 12, 10_000, 'the clients to see the last version');
      stop = true;
      const counts = await Promise.all(clients);
      expect(problems).toEqual([]);
      expect(counts.every((n) => n > 5)).toBe(true);
      expect(seen['/s/a/']).toBe(12);
    },
  );
});

describe('SIGHUP-style forced reload', () => {
  it('reads the whole folder again when asked, even without watching', async () => {
    const s = await liveServer({ files: files(1), watch: false });
    s.write('other.md', page('title: Other changed\ndescription: D'));
    await new Promise((r) => setTimeout(r, 100));
    expect((await s.get('/other/')).text).toContain('<h1>Other</h1>');
    const outcome = await s.live.reload({ content: 'all', reason: 'SIGHUP' });
    expect(outcome.ok).toBe(true);
    expect((await s.get('/other/')).text).toContain('<h1>Other changed</h1>');
  });

  it('merges reloads requested during a reload into one', async () => {
    const s = await liveServer({ files: files(1), watch: false });
    const outcomes = await Promise.all([s.live.reload(), s.live.reload(), s.live.reload()]);
    // The first runs at once; the other two wait and share the next reload.
    expect(outcomes.map((o) => o.version)).toEqual([2, 3, 3]);
  });
});

describe('scheduled pages without a restart', () => {
  it('publishes and expires pages when their time comes, by a timer set for the next boundary', async () => {
    const clock = fakeClock(Date.parse('2027-02-28T12:00:00Z'));
    const s = await liveServer({
      watch: false,
      clock,
      files: minimalFiles({
        'news.md': page('title: News\ndescription: D\npublishDate: 2027-03-01 09:00\nexpiryDate: 2027-03-02'),
      }),
    });
    expect((await s.get('/news/')).status).toBe(404);
    expect(clock.pendingTimers()).toEqual([Date.parse('2027-03-01T09:00:00Z')]);

    clock.advanceTo(Date.parse('2027-03-01T09:00:00Z'));
    await waitFor(async () => (await s.get('/news/')).status === 200, 5000, 'publication');
    expect((await s.get('/')).text).toContain('href="/news/"');
    expect((await s.get('/sitemap.xml')).text).toContain('/news/');
    expect(clock.pendingTimers()).toEqual([Date.parse('2027-03-02T00:00:00Z')]);

    clock.advanceTo(Date.parse('2027-03-02T00:00:00Z'));
    await waitFor(async () => (await s.get('/news/')).status === 404, 5000, 'expiry');
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('waits in steps when the next boundary is further away than a timer can wait', async () => {
    const start = Date.parse('2027-01-01T00:00:00Z');
    const clock = fakeClock(start);
    const s = await liveServer({
      watch: false,
      clock,
      files: minimalFiles({ 'later.md': page('title: Later\ndescription: D\npublishDate: 2027-01-31') }),
    });
    expect(clock.pendingTimers()).toEqual([start + MAX_TIMER_MS]);
    clock.advanceTo(start + MAX_TIMER_MS);
    await waitFor(() => s.live.status().version === 2, 5000, 'the intermediate rebuild');
    expect(clock.pendingTimers()).toEqual([Date.parse('2027-01-31T00:00:00Z')]);
    expect((await s.get('/later/')).status).toBe(404);
  });
});

describe('one live site serving both views', () => {
  it('swaps the public site and the preview from one reload, each only when the version is valid for it', async () => {
    const content = tempContent(minimalFiles({ 'about.md': page('title: About\ndescription: D') }));
    cleanups.push(content.cleanup);
    const live = new LiveSite({
      contentDir: content.dir,
      siteUrl: SITE_URL,
      logger: capturedLogger().logger,
      preview: {},
    });
    cleanups.push(() => live.close());
    const write = writerFor(content.dir);
    expect((await live.reload({ content: 'all', reason: 'start' })).ok).toBe(true);
    const firstPublic = live.current()!;
    expect([...live.currentPreview()!.pages.keys()]).toEqual([...firstPublic.pages.keys()]);

    // A new draft: the preview shows it, the public site does not, from the same reload.
    write('plan.md', page('title: Plan\ndescription: D\ndraft: true'));
    const added = await live.reload({ content: ['plan.md'], reason: 'edit' });
    expect(added).toMatchObject({ ok: true, preview: { ok: true } });
    expect(live.currentPreview()!.pages.has('/plan/')).toBe(true);
    expect(live.current()!.pages.has('/plan/')).toBe(false);
    expect(live.current()!.model.pages.get('/about/')).toBe(live.currentPreview()!.model.pages.get('/about/'));

    // A published page linking to the draft: fine to preview, not to publish.
    write('about.md', page('title: About\ndescription: D', 'See [the plan](/plan/).\n'));
    const linked = await live.reload({ content: ['about.md'], reason: 'edit' });
    expect(linked).toMatchObject({ ok: false, preview: { ok: true } });
    expect(live.status().state).toBe('stale');
    expect(live.previewStatus().state).toBe('current');
    expect(live.currentPreview()!.pages.get('/about/')!.body.toString()).toContain('the plan');
    expect(live.current()!.pages.get('/about/')!.body.toString()).not.toContain('the plan');

    // Publishing the draft mends both.
    write('plan.md', page('title: Plan\ndescription: D'));
    expect(await live.reload({ content: ['plan.md'], reason: 'edit' })).toMatchObject({
      ok: true,
      preview: { ok: true },
    });
    expect(live.status().state).toBe('current');
    expect(live.current()!.pages.has('/plan/')).toBe(true);
  });
});
