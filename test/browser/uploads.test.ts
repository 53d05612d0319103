/**
 * The editor's pages for documents, pictures and moves in Chromium, signed
 * in, at a desktop and a phone width: no axe-core violations, console errors,
 * failed requests or CSP violations, no sideways scrolling on the phone. Files
 * are chosen and sent as a person does, without JavaScript tricks; a page with
 * a picture shows it at its place and size, never wider than a phone, and a
 * phone downloads the copy made for its screen.
 * Screenshots go to test-output/screenshots/editor-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/httpServer.js';
import { PASSWORDS, testEditor, type TestEditor } from '../editor/support.js';
import { tinyPdf } from '../helpers/documents.js';
import { tinyPng } from '../helpers/images.js';
import { watchPage } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { editorPageProblems, signedInContext } from './support/editorSession.js';
import { listenOnLoopback } from './support/server.js';
import { DESKTOP, PHONE } from './support/viewports.js';

const VIEWPORTS = [DESKTOP, PHONE];
const choose = (page: Page, selector: string, name: string, buffer: Buffer, mimeType: string) =>
  page.setInputFiles(selector, { name, mimeType, buffer });

const PAGES: Array<{ name: string; path: string; prepare?: (page: Page) => Promise<void> }> = [
  { name: 'document-new', path: '/edit/documents/new' },
  {
    name: 'document-new-errors',
    path: '/edit/documents/new',
    prepare: async (page) => {
      await page.fill('#title', 'Survey results');
      await choose(page, '#file', 'results.pdf', Buffer.from('<!DOCTYPE html><p>Not a PDF</p>'), 'application/pdf');
      await page.getByRole('button', { name: 'Add the document' }).click();
      await page.waitForSelector('.nhsuk-error-summary');
    },
  },
  { name: 'document-files', path: '/edit/document/regional-perinatal-dataset' },
  { name: 'images', path: '/edit/images/about.md' },
  { name: 'move', path: '/edit/move/regional-projects/pc-aims.md' },
  {
    name: 'move-errors',
    path: '/edit/move/regional-projects/pc-aims.md',
    prepare: async (page) => {
      await page.fill('#address', 'About Us');
      await page.getByRole('button', { name: 'Move the page' }).click();
      await page.waitForSelector('.nhsuk-error-summary');
    },
  },
];

describe.skipIf(skipBrowserTests)('documents, pictures and moves in Chromium', () => {
  let browser: Browser;
  let t: TestEditor;
  let server: RunningServer;
  let origin: string;
  const contexts = new Map<number, BrowserContext>();

  beforeAll(async () => {
    t = await testEditor({ files: { 'team.png': '' } });
    // A picture beside the About page, shown on it, so that the list and the public page have one.
    await t.store.write('team.png', tinyPng(1200, 800), { expectedVersion: (await t.store.read('team.png'))!.version });
    const about = (await t.store.read('about.md'))!;
    await t.store.write(
      'about.md',
      Buffer.from(`${about.bytes.toString('utf8')}\n![A blue rectangle standing for the project team](team.png)\n`),
      { expectedVersion: about.version },
    );
    await t.live.reload({ content: 'all', reason: 'test' });
    [browser, server] = await Promise.all([launchChromium(), listenOnLoopback(() => t.handler)]);
    origin = `http://127.0.0.1:${server.port}`;
    for (const viewport of VIEWPORTS)
      contexts.set(viewport.width, await signedInContext(browser, origin, viewport, 'alice', PASSWORDS.alice));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.drain(2_000);
    t?.close();
  });

  const audit = editorPageProblems;

  for (const viewport of VIEWPORTS)
    for (const target of PAGES)
      it(`${target.name} at ${viewport.width}px`, async () => {
        const page = await contexts.get(viewport.width)!.newPage();
        try {
          const watch = watchPage(page);
          const response = await page.goto(`${origin}${target.path}`, { waitUntil: 'load' });
          expect(response?.status()).toBe(200);
          await target.prepare?.(page);
          expect(await audit(page, watch, viewport.width, target.name)).toEqual([]);
        } finally {
          await page.close();
        }
      });

  it('adds a document by choosing a file, and the public page offers it', async () => {
    const page = await contexts.get(DESKTOP.width)!.newPage();
    try {
      await page.goto(`${origin}/edit/documents/new`);
      await page.fill('#title', 'Browser test report');
      await page.fill('#name', 'browser-test-report');
      await page.fill('#category', 'Reports');
      await page.fill('#summary', 'A sample report added by the browser test.');
      await choose(page, '#file', 'Browser Test.pdf', tinyPdf(2), 'application/pdf');
      await Promise.all([
        page.waitForURL(`${origin}/edit/document/browser-test-report?notice=created`),
        page.getByRole('button', { name: 'Add the document' }).click(),
      ]);
      expect(await page.locator('h1').textContent()).toBe('Files of “Browser test report”');
      const watch = watchPage(page);
      expect(await audit(page, watch, DESKTOP.width, 'document-created')).toEqual([]);
      await page.goto(`${origin}/documents/browser-test-report/`);
      expect(await page.locator('a[href="/documents/browser-test-report/browser-test.pdf"]').count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  for (const viewport of VIEWPORTS)
    it(`shows a picture at its size, within the page, from a copy sized for a ${viewport.width}px screen`, async () => {
      const page = await contexts.get(viewport.width)!.newPage();
      try {
        const watch = watchPage(page);
        await page.goto(`${origin}/about/`);
        const image = page.locator('main img');
        await image.scrollIntoViewIfNeeded();
        const box = await image.evaluate((img: HTMLImageElement) => ({
          width: img.getBoundingClientRect().width,
          height: img.getBoundingClientRect().height,
          loaded: img.complete && img.naturalWidth > 0,
          file: new URL(img.currentSrc).pathname,
          attributes: [img.getAttribute('width'), img.getAttribute('height')],
          column: img.parentElement!.getBoundingClientRect().width,
        }));
        expect(box.attributes).toEqual(['1200', '800']);
        expect(box.loaded).toBe(true);
        // A phone downloads the 480-pixel copy; a desktop screen, the picture itself.
        expect(box.file).toMatch(
          viewport === PHONE
            ? /^\/assets\/content\/team-480w\.[0-9a-f]{12}\.png$/
            : /^\/assets\/content\/team\.[0-9a-f]{12}\.png$/,
        );
        expect(box.width).toBeLessThanOrEqual(box.column);
        expect(Math.abs(box.height - (box.width * 800) / 1200)).toBeLessThan(1.5);
        expect(await audit(page, watch, viewport.width, `public-picture`)).toEqual([]);
      } finally {
        await page.close();
      }
    });
});
