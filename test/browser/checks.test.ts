/**
 * The browser checks themselves: a page with known faults, served with the
 * site's strict CSP, must trip every one of them. Without this, a check that
 * silently found nothing would look the same as a site with no problems.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  clippedContent,
  cspViolations,
  horizontalOverflow,
  recordCspViolations,
  watchPage,
  type PageWatch,
} from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { focusStop, hasVisibleFocusChange, tabThrough, unfocusedStyle } from './support/keyboard.js';
import { contentSecurityPolicyDirectives } from '../../src/server/securityHeaders.js';

const CSP = Object.entries(contentSecurityPolicyDirectives())
  .map(([name, values]) => `${name} ${values.join(' ')}`)
  .join('; ');

const FILES: Record<string, [string, string]> = {
  '/': [
    'text/html; charset=utf-8',
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Faulty</title>
<link rel="stylesheet" href="/faulty.css"><script src="/faulty.js" defer></script></head>
<body><main><h1>Faulty</h1>
<p style="color: red">An inline style, which the CSP refuses.</p>
<img src="/missing.png">
<div class="wide">Too wide for a phone.</div>
<div class="clipped">Text cut off by its box, text cut off by its box, text cut off by its box.</div>
<a href="/one" class="no-focus-style">No focus style</a>
<a href="/two" id="trap">Traps focus</a>
<a href="/three">Never reached</a>
</main></body></html>`,
  ],
  '/faulty.css': [
    'text/css',
    `.wide { width: 900px; } .clipped { width: 100px; height: 20px; overflow: hidden; white-space: nowrap; }
     .no-focus-style:focus { outline: none; } a { color: #00e; }`,
  ],
  '/faulty.js': [
    'text/javascript',
    `console.error('faulty page error');
     document.getElementById('trap').addEventListener('keydown', (e) => { if (e.key === 'Tab') e.preventDefault(); });`,
  ],
};

describe.skipIf(skipBrowserTests)('the browser checks find faults', () => {
  let browser: Browser;
  let server: http.Server;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const file = FILES[req.url ?? ''];
      res.setHeader('Content-Security-Policy', CSP);
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 375, height: 667 } });
    await recordCspViolations(context);
    page = await context.newPage();
    watch = watchPage(page);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForLoadState('load');
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('axe reports the missing language and the image without alternative text', async () => {
    const ids = (await axeViolations(page)).map((v) => v.split(' ')[0]);
    expect(ids).toEqual(expect.arrayContaining(['html-has-lang', 'image-alt']));
  });

  it('records the CSP violation, the console error and the failed request', async () => {
    expect((await cspViolations(page)).some((v) => v.startsWith('style-src-attr'))).toBe(true);
    expect(watch.consoleErrors.some((e) => e.includes('faulty page error'))).toBe(true);
    expect(watch.failedRequests.some((e) => e.includes('/missing.png: 404'))).toBe(true);
  });

  it('finds sideways scrolling and clipped text', async () => {
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth).toBeGreaterThan(overflow.clientWidth);
    expect(overflow.culprits.some((c) => c.startsWith('div.wide'))).toBe(true);
    expect((await clippedContent(page)).some((c) => c.startsWith('div.clipped'))).toBe(true);
  });

  it('sees a link whose focus changes nothing on screen', async () => {
    await page.locator('.no-focus-style').focus();
    const stop = (await focusStop(page))!;
    expect(hasVisibleFocusChange(stop.focusedStyle, await unfocusedStyle(page, stop.index))).toBe(false);
  });

  it('sees a keyboard trap', async () => {
    await page.locator('#trap').focus();
    const walk = await tabThrough(page, 'Tab', 20);
    expect(walk.trapped).toBe(true);
  });
});
