import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatReloadForTerminal } from '../../src/cli/devReport.js';
import { PROJECT_ROOT, VIEWS_DIR } from '../../src/paths.js';
import { MAX_STREAMS_PER_CLIENT } from '../../src/server/eventStreams.js';
import { watchForReloads } from '../../src/live/contentWatcher.js';
import { createDevApp, EVENTS_URL, RELOAD_SCRIPT, RELOAD_SCRIPT_URL } from '../../src/server/devServer.js';
import { PROBLEMS_URL } from '../../src/server/previewProblems.js';
import { NEW_DOCUMENT_SUMMARY, NEW_PAGE_DESCRIPTION } from '../../src/content/newPage.js';
import { createLogger } from '../../src/logger.js';
import { LiveSite } from '../../src/live/liveSite.js';
import {
  appFor,
  BUNDLED_SETTINGS,
  minimalFiles,
  page,
  renderedFromFiles,
  SITE_URL,
  tempContent,
} from '../helpers/site.js';
import { clientFor, waitFor, writerFor } from '../helpers/live.js';
import { rawExchange } from '../helpers/rawHttp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const FILES = minimalFiles({
  'index.md': page('title: Home\ndescription: D', 'Welcome.\n'),
  'plans.md': page('title: Plans\ndescription: D\ndraft: true', 'Not ready.\n'),
  'news.md': page('title: News\ndescription: D\npublishDate: 2099-01-01', 'Soon.\n'),
});

async function preview(files: Record<string, string>, options: { viewsDir?: string; host?: string } = {}) {
  const content = tempContent(files);
  const logger = createLogger('silent');
  const live = new LiveSite({
    contentDir: content.dir,
    siteUrl: SITE_URL,
    logger,
    preview: { reloadScriptUrl: RELOAD_SCRIPT_URL },
    ...(options.viewsDir ? { viewsDir: options.viewsDir } : {}),
  });
  await live.reload({ content: 'all', reason: 'start' });
  const dev = createDevApp({
    live,
    config: { trustProxy: false, ...(options.host ? { host: options.host } : {}) },
    logger,
    pathPrefix: 'content/',
  });
  const server = await new Promise<http.Server>((resolve) => {
    const s = dev.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const targets = [
    { dir: content.dir, kind: 'content' as const },
    ...(options.viewsDir ? [{ dir: options.viewsDir, kind: 'templates' as const }] : []),
  ];
  const watcher = await watchForReloads(live, targets, { debounceMs: 20, logger });
  cleanups.push(async () => {
    await watcher.close();
    dev.close();
    live.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    content.cleanup();
  });
  const { base, get } = clientFor(server);
  const write = writerFor(content.dir);
  const port = (server.address() as AddressInfo).port;
  /** A request exactly as written: any Host, any path. */
  const raw = (target: string, host = 'localhost') =>
    rawExchange(port, [`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`]);
  return { live, dev, base, get, write, raw };
}

/** Opens the event stream and collects the versions it announces. */
function events(base: string): Promise<{ versions: string[]; close: () => void }> {
  return new Promise((resolve, reject) => {
    const versions: string[] = [];
    const req = http.get(base + EVENTS_URL, (res) => {
      expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (/^event: version$/m.test(message) && data) versions.push(data);
        }
      });
      res.on('error', () => undefined);
      resolve({ versions, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('npm run dev: the preview', () => {
  it('serves and lists drafts and scheduled pages with a notice, which production does not', async () => {
    const p = await preview(FILES);
    const plans = await p.get('/plans/');
    expect(plans.status).toBe(200);
    expect(plans.text).toContain('This page is a draft: visitors cannot see it.');
    expect((await p.get('/')).text).toContain('href="/plans/"');
    expect((await p.get('/news/')).text).toContain('Visitors see this page from 1 January 2099');

    const production = appFor(renderedFromFiles(FILES));
    const request = (await import('supertest')).default;
    expect((await request(production).get('/plans/')).status).toBe(404);
    expect((await request(production).get('/news/')).status).toBe(404);
    expect((await request(production).get('/')).text).not.toContain('href="/plans/"');
  });

  it('has the reload script and event stream, which production does not, and no CSP relaxation', async () => {
    const p = await preview(FILES);
    const script = await p.get(RELOAD_SCRIPT_URL);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.text).toBe(RELOAD_SCRIPT);
    const home = await p.get('/');
    expect(home.text).toContain(`<script type="module" src="${RELOAD_SCRIPT_URL}"></script>`);

    const request = (await import('supertest')).default;
    const production = appFor(renderedFromFiles(FILES));
    const prodHome = await request(production).get('/');
    expect(prodHome.text).not.toContain('/__dev/');
    expect((await request(production).get(RELOAD_SCRIPT_URL)).status).toBe(404);
    expect((await request(production).get(EVENTS_URL)).status).toBe(404);
    expect(home.headers.get('content-security-policy')).toBe(prodHome.headers['content-security-policy']);
    expect(home.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-[^']+';/);
    expect(home.headers.get('content-security-policy')).toMatch(/connect-src 'self';/);
  });

  it('announces a new version after every rebuild, so open pages reload', async () => {
    const p = await preview(FILES);
    const stream = await events(p.base);
    cleanups.push(stream.close);
    await waitFor(() => stream.versions.length === 1, 5000, 'the first version');
    p.write('index.md', page('title: Home\ndescription: D', 'Welcome back.\n'));
    await waitFor(() => stream.versions.length === 2, 5000, 'a second version');
    expect(stream.versions[1]).not.toBe(stream.versions[0]);
    // A HEAD request answers at once and holds no stream open.
    const head = await fetch(p.base + EVENTS_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(p.dev.clients()).toBe(1);
    expect((await p.get('/')).text).toContain('Welcome back.');
  });

  it(
    'shows a saved mistake on its page with file, line, column and the lines around it, ' +
      'serves the other pages from the last good version with a notice, then recovers when fixed',
    async () => {
      const p = await preview(FILES);
      const stream = await events(p.base);
      cleanups.push(stream.close);
      p.write(
        'plans.md',
        '---\ntitle: Plans <b>\ndescription: D\ntittle: typo\ndraft: true\n---\nNot ready.\n\n\tIndented.\n',
      );
      await waitFor(() => p.live.previewStatus().state === 'stale', 5000, 'the error');
      // The broken file's own page: the error, where it is, and the lines around it.
      const broken = await p.get('/plans/');
      expect(broken.status).toBe(500);
      expect(broken.headers.get('cache-control')).toBe('no-store');
      expect(broken.text).toContain('This page has 1 problem to fix');
      expect(broken.text).toContain('content/plans.md, line 4, column 1');
      expect(broken.text).toContain('Unknown key &quot;tittle&quot;. Did you mean &quot;title&quot;?');
      expect(broken.text).toContain('   2 | title: Plans &lt;b&gt;');
      expect(broken.text).toContain('<mark>   4 | tittle: typo</mark>\n     | ^');
      // The page's warnings come after its errors, so that one round of fixes is enough.
      const warning = broken.text.indexOf('content/plans.md, line 9, column 1');
      expect(warning).toBeGreaterThan(broken.text.indexOf('content/plans.md, line 4, column 1'));
      expect(broken.text.slice(warning)).toContain('<strong>Warning:</strong> This line starts with a tab');
      expect(broken.text).toContain(`src="${RELOAD_SCRIPT_URL}"`);
      expect(broken.text).toMatch(/<link rel="stylesheet" href="\/assets\/main\.[\w-]+\.css">/);
      // Every other page is still viewable, from the last good version, saying why it may be out of date.
      for (const url of ['/', '/news/']) {
        const res = await p.get(url);
        expect(res.status, url).toBe(200);
        expect(res.headers.get('cache-control'), url).toBe('no-store');
        expect(res.text, url).toContain('This page may be out of date');
        expect(res.text, url).toContain(
          'This page is shown as it was before the latest change, because content/plans.md has 1 problem to fix.',
        );
        expect(res.text, url).toContain(`href="${PROBLEMS_URL}"`);
      }
      expect((await p.get('/')).text).toContain('Welcome.');
      expect((await p.get('/no-such-page/')).status).toBe(404);
      // Every problem, with its lines, at one address.
      const all = await p.get(PROBLEMS_URL);
      expect(all.text).toContain('The site has 1 problem to fix');
      expect(all.text).toContain('<mark>   4 | tittle: typo</mark>');
      const css = /href="(\/assets\/main\.[\w-]+\.css)"/.exec(broken.text)![1]!;
      expect((await p.get(css)).status).toBe(200);

      const before = stream.versions.length;
      p.write('plans.md', page('title: Plans\ndescription: D\ndraft: true', 'Ready soon.\n'));
      await waitFor(async () => (await p.get('/plans/')).status === 200, 5000, 'the repair');
      expect((await p.get('/plans/')).text).toContain('Ready soon.');
      expect((await p.get('/')).text).not.toContain('This page may be out of date');
      expect(stream.versions.length).toBeGreaterThan(before);
    },
  );

  it('replaces every page while a problem concerns them all (the site settings)', async () => {
    const p = await preview(FILES);
    p.write('site.yml', `${BUNDLED_SETTINGS}\nnmae: typo\n`);
    await waitFor(() => p.live.previewStatus().state === 'stale', 5000, 'the error');
    for (const url of ['/', '/plans/']) {
      const res = await p.get(url);
      expect(res.status, url).toBe(500);
      expect(res.text, url).toContain('The site has 1 problem to fix');
      expect(res.text, url).toContain('content/site.yml');
    }
  });

  it('shows a new page that has no problem once the problems elsewhere are fixed, saying so meanwhile', async () => {
    const p = await preview(FILES);
    p.write('plans.md', page('tittle: Plans\ndescription: D'));
    await waitFor(() => p.live.previewStatus().state === 'stale', 5000, 'the error');
    p.write('events.md', page('title: Events\ndescription: D'));
    await waitFor(() => p.live.fileText('events.md') !== null, 5000, 'the new page to be read');
    const res = await p.get('/events/');
    expect(res.status).toBe(500);
    expect(res.text).toContain('This page cannot be shown yet');
    expect(res.text).toContain('content/plans.md, line 2, column 1');
  });

  it('shows warnings on the page they concern, without blocking it', async () => {
    const p = await preview({
      ...FILES,
      'index.md': page('title: Home\ndescription: D', '# A second main heading\n\nSome <b>bold</b> words.\n'),
      'about.md': page('title: About\ndescription: D\nlastReviewed: 2019-01-01\nnextReviewDue: 2020-01-01', 'Fine.\n'),
    });
    expect(p.live.previewStatus().state).toBe('current');
    const home = await p.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('3 things to check on this page');
    expect(home.text).toContain('The page has no &quot;lastReviewed&quot; date');
    expect(home.text).toContain(
      '<strong>Warning, line 5, column 1:</strong> The page title is already the main heading: start body headings ' +
        'at &quot;##&quot;',
    );
    expect(home.text).toContain('<strong>Warning, line 7, column 6:</strong> &lt;b&gt; is HTML');
    // The box comes right after the page's heading, and the page itself is all there.
    expect(home.text.indexOf('app-preview-problems')).toBeGreaterThan(home.text.indexOf('<h1>Home</h1>'));
    expect(home.text).toContain('Some &lt;b&gt;bold&lt;/b&gt; words.');
    // What npm run check says of the page's upkeep is there too.
    const about = await p.get('/about/');
    expect(about.text).toContain('1 thing to check on this page');
    expect(about.text).toMatch(/Warning, line 5, column 16:<\/strong> The review was due on 1 January 2020: check/);
    // A page with nothing to say about it is served as usual, cached and unchanged.
    const plans = await p.get('/plans/');
    expect(plans.text).toContain('Not ready.');
    expect(plans.text).not.toContain('app-preview-problems');
    expect(plans.headers.get('etag')).toBeTruthy();
  });

  it("shows a document's warnings on its page: a formula-like CSV cell, the example text of npm run new", async () => {
    const p = await preview({
      ...FILES,
      'documents/index.md': page('title: Documents\ndescription: D'),
      'documents/data/index.md': page(
        `title: Data\ndescription: "${NEW_PAGE_DESCRIPTION}"\nsummary: "${NEW_DOCUMENT_SUMMARY}"\n` +
          'category: Datasets\npublished: 2026-01-10\nfiles:\n  - file: data.csv',
        'The data.\n',
      ),
      // A ragged row is an error (the table would be wrong); a cell that looks like a formula is a warning.
      'documents/data/data.csv': 'Unit,Births\nA,10\nB,=SUM(1)\n',
    });
    expect(p.live.previewStatus().state).toBe('current');
    const res = await p.get('/documents/data/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('3 things to check on this page');
    expect(res.text).toContain(
      '<strong>Warning in content/documents/data/data.csv, line 3, column 1:</strong> Row 3, column 2 starts like ' +
        'a spreadsheet formula',
    );
    expect(res.text).toMatch(/<strong>Warning, line 3, column 14:<\/strong> The description is still the example/);
    expect(res.text).toMatch(/<strong>Warning, line 4, column 10:<\/strong> The summary is still the example/);
    // The page itself is all there: the box blocks nothing.
    expect(res.text).toContain('The data.');
    expect(res.text).toContain('/documents/data/data.csv');
  });

  it('starts even when the content has errors, showing them until they are fixed', async () => {
    const p = await preview({ ...FILES, 'site.yml': `${BUNDLED_SETTINGS}\nnmae: typo\n` });
    expect(p.live.previewStatus().state).toBe('none');
    const res = await p.get('/');
    expect(res.status).toBe(500);
    expect(res.text).toContain('content/site.yml, line');
    expect(res.text).toContain('&quot;nmae&quot;');
    expect((await p.get('/readyz')).headers.get('x-content-status')).toBe('none');
    p.write('site.yml', BUNDLED_SETTINGS);
    await waitFor(async () => (await p.get('/')).status === 200, 5000, 'the fix');
  });

  it('starts with a broken page showing its errors there, and every other page viewable', async () => {
    const p = await preview({
      ...FILES,
      'index.md': '---\ntitle: Home\n---\n',
      'about.md': page('title: About\ndescription: D', 'About us.\n'),
    });
    expect(p.live.previewStatus().state).toBe('stale');
    const broken = await p.get('/');
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('This page has 1 problem to fix');
    expect(broken.text).toContain('content/index.md, line 2, column 1');
    expect(broken.text).toContain('&quot;description&quot; is required');
    // No older version is kept: the other pages are today's, and say so.
    expect(broken.text).toContain('Other pages are shown as they are now.');
    for (const url of ['/about/', '/plans/']) {
      const res = await p.get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).toContain('This page is up to date, but content/index.md has 1 problem to fix');
      expect(res.text, url).not.toContain('as it was before');
    }
    expect((await p.get('/about/')).text).toContain('About us.');
    p.write('index.md', page('title: Home\ndescription: D', 'Welcome home.\n'));
    await waitFor(async () => (await p.get('/')).status === 200, 5000, 'the fix');
    expect(p.live.previewStatus().state).toBe('current');
    expect((await p.get('/')).text).toContain('Welcome home.');
    expect((await p.get('/about/')).text).not.toContain('shown as it was before the latest change');
  });

  it('re-renders pages when a template in views/ changes', async () => {
    const views = mkdtempSync(path.join(os.tmpdir(), 'views-'));
    cleanups.push(() => rmSync(views, { recursive: true, force: true }));
    cpSync(VIEWS_DIR, views, { recursive: true });
    const p = await preview(FILES, { viewsDir: views });
    const template = path.join(views, 'page.njk');
    writeFileSync(
      template,
      readFileSync(template, 'utf8').replace('<h1>{{ title }}</h1>', '<h1 class="edited-template">{{ title }}</h1>'),
    );
    await waitFor(
      async () => (await p.get('/')).text.includes('<h1 class="edited-template">Home</h1>'),
      5000,
      'the template change',
    );
  });
});

describe('npm run dev: what a hostile page or request cannot do', () => {
  it('answers only to loopback names and the configured host: a DNS-rebound name gets 421 and no draft', async () => {
    const p = await preview(FILES, { host: 'preview.internal' });
    for (const host of [
      'localhost',
      'localhost:3000',
      'LOCALHOST.',
      'app.localhost:3000',
      '127.0.0.1:3000',
      '127.1.2.3',
      '[::1]:3000',
      'preview.internal:3000',
    ]) {
      const res = await p.raw('/plans/', host);
      expect(res.status, host).toBe(200);
    }
    for (const host of [
      'attacker.example',
      'attacker.example:3000',
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
      '0.0.0.0:3000',
      '192.168.1.10',
      '[::2]:3000',
      'preview.internal.attacker.example',
    ]) {
      const res = await p.raw('/plans/', host);
      expect(res.status, host).toBe(421);
      expect(res.raw, host).not.toContain('Not ready.');
      expect(res.headers['content-security-policy'], host).toMatch(/^default-src 'none'/);
      expect(res.headers['x-frame-options'], host).toBe('DENY');
    }
    for (const target of [EVENTS_URL, RELOAD_SCRIPT_URL, '/readyz', '/assets/x.css'])
      expect((await p.raw(target, 'attacker.example')).status, target).toBe(421);
  });

  it('shows no stack trace or internals, whatever the request, while the content has errors', async () => {
    // Errors in the settings: no page can be shown.
    const p = await preview({ ...FILES, 'site.yml': `${BUNDLED_SETTINGS}\nnmae: typo\n` });
    expect(p.live.previewStatus().state).toBe('none');
    for (const target of [
      '/readyz#%zz',
      '/healthz#%zz',
      '/readyz#/../x',
      '/%zz',
      '/readyz?%zz',
      '/..%2f..%2fetc/passwd',
    ]) {
      const res = await p.raw(target);
      expect(res.status, target).toBeGreaterThanOrEqual(400);
      expect(res.raw, target).not.toMatch(/\bat .*\(|TypeError|node_modules|\/src\/server\//);
      expect(res.raw, target).not.toContain(PROJECT_ROOT);
      expect(res.headers['content-security-policy'], target).toMatch(/^default-src 'none'/);
    }
    expect((await p.raw('/readyz')).status).toBe(200);
  });

  it(
    'keeps a few event streams per client: a new stream replaces the oldest, ' + 'so the editor’s page always gets one',
    async () => {
      const p = await preview(FILES);
      const streams: Array<{ replaced: boolean; ended: boolean; close: () => void }> = [];
      const open = () =>
        new Promise<void>((resolve, reject) => {
          const entry = { replaced: false, ended: false, close: () => req.destroy() };
          const req = http.get(p.base + EVENTS_URL, (res) => {
            expect(res.statusCode).toBe(200);
            res.on('data', (chunk: Buffer) => {
              if (chunk.toString().includes('event: replaced')) entry.replaced = true;
            });
            res.on('end', () => (entry.ended = true));
            res.on('error', () => undefined);
            streams.push(entry);
            resolve();
          });
          req.on('error', reject);
        });
      cleanups.push(() => streams.forEach((s) => s.close()));
      for (let i = 0; i < MAX_STREAMS_PER_CLIENT; i++) await open();
      expect(p.dev.clients()).toBe(MAX_STREAMS_PER_CLIENT);
      // Far more than the old limit of 64 streams in all: each replaces the oldest.
      for (let i = 0; i < 70; i++) await open();
      await waitFor(() => streams.filter((s) => s.ended).length === 70, 5000, 'the replaced streams to end');
      expect(p.dev.clients()).toBe(MAX_STREAMS_PER_CLIENT);
      expect(streams.slice(0, 70).every((s) => s.replaced && s.ended)).toBe(true);
      expect(streams.slice(70).some((s) => s.ended)).toBe(false);
      expect((await p.get('/')).status).toBe(200);
    },
  );

  it('serves a reload script that stops a replaced stream and opens it again when its tab is looked at', () => {
    expect(RELOAD_SCRIPT).toContain("source.addEventListener('replaced', () => source.close());");
    expect(RELOAD_SCRIPT).toContain(
      "document.visibilityState === 'visible' && source.readyState === EventSource.CLOSED",
    );
  });
});

describe('the preview in the terminal', () => {
  it('says the same as the browser: file, line, column, the lines around it, and what to do', () => {
    const text = '---\ntitle: Plans\ndescription: D\ntittle: typo\n---\n';
    const out = formatReloadForTerminal(
      {
        ok: false,
        version: 1,
        reason: 'file change',
        stats: null,
        preview: { ok: false, stats: null },
        timings: { readMs: 0, buildMs: 0, renderMs: 0 },
        diagnostics: [
          {
            file: 'plans.md',
            line: 4,
            column: 1,
            severity: 'error',
            message: 'unknown key "tittle". Did you mean "title"?',
          },
        ],
      },
      (f) => (f === 'plans.md' ? text : null),
      'content/',
    );
    expect(out).toBe(
      [
        'The site has 1 problem to fix (file change):',
        '',
        'content/plans.md:4:1: error: unknown key "tittle". Did you mean "title"?',
        '  2 | title: Plans',
        '  3 | description: D',
        '> 4 | tittle: typo',
        '    | ^',
        '  5 | ---',
        '  6 | ',
        '',
        'Fix the file and save it: the preview updates by itself.',
        'Meanwhile each page shows its own problems, and the other pages are shown as they were before.',
        '',
      ].join('\n'),
    );
  });
});
