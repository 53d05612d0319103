/**
 * The preview's live reload in a real browser: a saved edit reloads the open
 * page; a stream the server replaces (a browser keeps a few per client) stops
 * without reconnecting in a loop, and opens again when its tab is looked at.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchForReloads } from '../../src/live/contentWatcher.js';
import { createDevApp, EVENTS_URL, RELOAD_SCRIPT_URL } from '../../src/server/devServer.js';
import { MAX_STREAMS_PER_CLIENT } from '../../src/server/eventStreams.js';
import { createLogger } from '../../src/logger.js';
import { LiveSite } from '../../src/live/liveSite.js';
import { waitFor, writerFor } from '../helpers/live.js';
import { minimalFiles, page as pageFile, SITE_URL, tempContent } from '../helpers/site.js';
import { axeViolations, cspViolations, recordCspViolations, watchPage } from './support/audit.js';
import { saveScreenshot } from './support/screenshots.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';

describe.skipIf(skipBrowserTests)('the preview in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let base: string;
  let streamsOpened = 0;
  const cleanups: Array<() => unknown> = [];
  const content = tempContent(minimalFiles({ 'index.md': pageFile('title: Home\ndescription: D', 'First words.\n') }));
  const write = writerFor(content.dir);

  beforeAll(async () => {
    const logger = createLogger('silent');
    const live = new LiveSite({
      contentDir: content.dir,
      siteUrl: SITE_URL,
      logger,
      preview: { reloadScriptUrl: RELOAD_SCRIPT_URL },
    });
    await live.reload({ content: 'all', reason: 'start' });
    const dev = createDevApp({ live, config: { trustProxy: false }, logger, pathPrefix: 'content/' });
    const server = http.createServer(dev.app);
    server.on('request', (req) => {
      if (req.url === EVENTS_URL && req.method === 'GET') streamsOpened++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const watcher = await watchForReloads(live, [{ dir: content.dir, kind: 'content' }], { debounceMs: 20, logger });
    cleanups.push(
      () => watcher.close(),
      () => dev.close(),
      () => live.close(),
      () => server.closeAllConnections(),
      () => server.close(),
      () => content.cleanup(),
    );
    browser = await launchChromium();
    const context = await browser.newContext();
    await recordCspViolations(context);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('reloads the open page when its file is saved, with no CSP violation or error', async () => {
    const watch = watchPage(page);
    await page.goto(`${base}/`);
    await waitFor(() => streamsOpened === 1, 5000, 'the event stream');
    write('index.md', pageFile('title: Home\ndescription: D', 'Second words.\n'));
    await page.waitForFunction(() => document.body.textContent?.includes('Second words.'), undefined, {
      timeout: 5000,
    });
    expect(await cspViolations(page)).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  it('stops a replaced stream without reconnecting, and listens again when the tab is looked at', async () => {
    await waitFor(() => streamsOpened === 2, 5000, 'the reloaded page’s stream');
    // Streams from the same client (127.0.0.1) replace the page's, which is the oldest.
    const others = Array.from({ length: MAX_STREAMS_PER_CLIENT }, () => http.get(`${base}${EVENTS_URL}`));
    cleanups.push(() => others.forEach((r) => r.destroy()));
    await waitFor(() => streamsOpened === 2 + MAX_STREAMS_PER_CLIENT, 5000, 'the other streams');
    await page.waitForTimeout(1500);
    expect(streamsOpened, 'a replaced stream must not reconnect (its retry is 500 ms)').toBe(
      2 + MAX_STREAMS_PER_CLIENT,
    );

    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => streamsOpened === 3 + MAX_STREAMS_PER_CLIENT, 5000, 'the stream opened again');
    write('index.md', pageFile('title: Home\ndescription: D', 'Third words.\n'));
    await page.waitForFunction(() => document.body.textContent?.includes('Third words.'), undefined, { timeout: 5000 });
  });

  it('keeps other pages viewable while one file is broken, and shows a warning in its page, axe-clean', async () => {
    write('about.md', pageFile('title: About\ndescription: D', 'Some words.\n\n\tA line indented by a tab.\n'));
    await waitFor(async () => (await fetch(`${base}/about/`)).status === 200, 5000, 'the new page');
    // A tab of its own: the earlier one reloads by itself after each save.
    const context = page.context();
    await page.close();
    page = await context.newPage();
    await page.goto(`${base}/about/`);
    expect(await page.textContent('.app-preview-problems')).toContain('This line starts with a tab');
    expect(await axeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'preview-warning');

    // One person's typo: its own page shows the error, the others stay viewable with a notice.
    write('plans.md', '---\ntittle: Plans\ndescription: D\n---\nPlans.\n');
    await page.waitForFunction(
      () => document.body.textContent?.includes('This page is shown as it was before the latest change'),
      undefined,
      { timeout: 5000 },
    );
    expect(await page.textContent('h1')).toBe('About');
    expect(await axeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'preview-out-of-date');
    const watch = watchPage(page, { url: `${base}/plans/`, status: 500 });
    const broken = await page.goto(`${base}/plans/`);
    expect(broken?.status()).toBe(500);
    expect(await page.textContent('h1')).toBe('This page has 1 problem to fix');
    expect(await axeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'preview-broken-page');
    expect(await cspViolations(page)).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });
});
