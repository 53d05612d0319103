/**
 * Every editor page in Chromium, signed in, at a desktop and a phone width:
 * no axe-core violations (WCAG 2.2 AA and best practice), no console errors,
 * failed requests or CSP violations, no sideways scrolling on the phone.
 * Then what a person does: the preview refreshes as they type, the form
 * works by keyboard alone, and without JavaScript the Preview button shows
 * the page too. Screenshots go to test-output/screenshots/editor-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/httpServer.js';
import { PASSWORDS, testEditor, type TestEditor } from '../editor/support.js';
import { cspViolations, recordCspViolations, watchPage } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { editorPageProblems, signedInContext } from './support/editorSession.js';
import { listenOnLoopback } from './support/server.js';
import { DESKTOP, PHONE } from './support/viewports.js';

const VIEWPORTS = [DESKTOP, PHONE];

/** Every page of the editor, by a short name; filled in once the content is known. */
const PAGES: Array<{ name: string; path: string; prepare?: (page: Page) => Promise<void> }> = [
  { name: 'home', path: '/edit/' },
  { name: 'page-form', path: '/edit/page/work-streams/key-performance-indicators.md' },
  {
    name: 'page-form-errors',
    path: '/edit/page/about.md',
    prepare: async (page) => {
      await page.fill('#fm-title', '');
      await page.fill('#fm-lastReviewed-month', '13');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForSelector('.nhsuk-error-summary');
    },
  },
  { name: 'document-form', path: '/edit/page/documents/final-achievement-report/index.md' },
  { name: 'source', path: '/edit/source/site.yml' },
  { name: 'new-page', path: '/edit/new' },
  {
    name: 'new-page-errors',
    path: '/edit/new',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Create the page' }).click();
      await page.waitForSelector('.nhsuk-error-summary');
    },
  },
  { name: 'delete', path: '/edit/delete/regional-projects/pc-aims.md' },
  { name: 'delete-refused', path: '/edit/delete/work-streams/index.md' },
  { name: 'history', path: '/edit/history/about.md' },
  { name: 'version', path: '' },
  { name: 'history-older', path: '' },
  { name: 'trash', path: '/edit/trash' },
  { name: 'trash-older', path: '' },
  { name: 'conflict', path: '/edit/conflict/about.md' },
  { name: 'activity', path: '/edit/activity' },
  { name: 'review-list', path: '/edit/review' },
  { name: 'review-change', path: '' },
  { name: 'review-change-returned', path: '' },
  { name: 'review-change-conflict', path: '' },
  { name: 'page-form-with-review', path: '/edit/page/work-streams/intrapartum-deaths-enquiry.md' },
  {
    name: 'review-send-back-errors',
    path: '',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Send back' }).click();
      await page.waitForSelector('.nhsuk-error-summary');
    },
  },
  { name: 'users', path: '/edit/users' },
  { name: 'user-new', path: '/edit/users/new' },
  {
    name: 'user-new-errors',
    path: '/edit/users/new',
    prepare: async (page) => {
      await page.fill('#username', 'Not A Name!');
      await page.fill('#password', 'password1234');
      await page.getByRole('button', { name: 'Add the user' }).click();
      await page.waitForSelector('.nhsuk-error-summary');
    },
  },
  { name: 'user', path: '/edit/users/alice' },
  { name: 'user-self', path: '/edit/users/bob' },
];

describe.skipIf(skipBrowserTests)('the editor in Chromium', () => {
  let browser: Browser;
  let t: TestEditor;
  let server: RunningServer;
  let origin: string;
  const contexts = new Map<number, BrowserContext>();

  beforeAll(async () => {
    t = await testEditor();
    [browser, server] = await Promise.all([launchChromium(), listenOnLoopback(() => t.handler)]);
    origin = `http://127.0.0.1:${server.port}`;
    // Some history, a deleted page and a kept conflict, so that those pages have something to show.
    const about = (await t.store.read('about.md'))!;
    await t.store.write(
      'about.md',
      Buffer.from(about.bytes.toString('utf8').replace('## ', 'A sentence added for the history.\n\n## ')),
      {
        expectedVersion: about.version,
        author: { name: 'Alice Smith', email: 'alice@example.org' },
        message: 'Edit “About” (about.md)',
      },
    );
    const extra = 'regional-projects/old-notes.md';
    await t.store.write(extra, Buffer.from('---\ntitle: Old notes\ndescription: Notes.\ndraft: true\n---\n\nOld.\n'), {
      expectedVersion: null,
    });
    await t.store.remove(extra, {
      expectedVersion: (await t.store.read(extra))!.version,
      author: { name: 'Alice Smith', email: 'alice@example.org' },
      message: 'Delete old notes',
    });
    await t.live.reload({ content: 'all', reason: 'test' });
    await t.editor.context.conflicts.keep('bob', {
      file: 'about.md',
      mine: `${(await t.store.read('about.md'))!.bytes.toString('utf8')}\nMy own paragraph.\n`,
      theirVersion: null,
      keptAt: new Date().toISOString(),
    });
    const history = (await t.store.history('about.md')).entries;
    PAGES.find((p) => p.name === 'version')!.path = `/edit/history/about.md?at=${history[0]!.id}`;
    // A later page of a long history or trash, with its links back to the newest.
    PAGES.find((p) => p.name === 'history-older')!.path = `/edit/history/about.md?from=${history.at(-1)!.id}`;
    const [deleted] = (await t.store.trash()).entries;
    PAGES.find((p) => p.name === 'trash-older')!.path = `/edit/trash?from=${deleted!.id}`;
    // Changes waiting for review: Alice's, one of them sent back; Bob's own, overlapping a change published since.
    const review = t.editor.context.review;
    const users = t.editor.context.users;
    const [aliceUser, bobUser] = [(await users.find('alice'))!, (await users.find('bob'))!];
    const pend = async (user: typeof aliceUser, file: string, change: (text: string) => string) => {
      const current = (await t.store.read(file))!;
      return review.save(user, file, Buffer.from(change(current.bytes.toString('utf8'))), {
        expectedVersion: current.version,
        message: `Edit ${file}`,
      });
    };
    const waiting = await pend(
      aliceUser,
      'work-streams/intrapartum-deaths-enquiry.md',
      (text) => `${text}\nA sentence waiting for review.\n`,
    );
    const returned = await pend(aliceUser, 'regional-projects/clinical-outcome.md', (text) => `${text}\nMore text.\n`);
    await review.put({
      ...returned,
      state: 'returned',
      comments: [
        { by: 'bob', byName: 'Bob Jones', at: new Date().toISOString(), text: 'Please add a date.', kind: 'returned' },
      ],
    });
    const mine = await pend(bobUser, 'work-streams/local-implementation-groups.md', (text) =>
      text.replace(/^title: .*$/m, 'title: "Local groups, by Bob"'),
    );
    const published = (await t.store.read('work-streams/local-implementation-groups.md'))!;
    await t.store.write(
      'work-streams/local-implementation-groups.md',
      Buffer.from(published.bytes.toString('utf8').replace(/^title: .*$/m, 'title: "Local groups, by Alice"')),
      { expectedVersion: published.version },
    );
    await t.live.reload({ content: 'all', reason: 'test' });
    PAGES.find((p) => p.name === 'review-change')!.path = `/edit/review/${waiting.id}`;
    PAGES.find((p) => p.name === 'review-send-back-errors')!.path = `/edit/review/${waiting.id}`;
    PAGES.find((p) => p.name === 'review-change-returned')!.path = `/edit/review/${returned.id}`;
    PAGES.find((p) => p.name === 'review-change-conflict')!.path = `/edit/review/${mine.id}`;

    for (const viewport of VIEWPORTS)
      contexts.set(viewport.width, await signedInContext(browser, origin, viewport, 'bob', PASSWORDS.bob));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.drain(2_000);
    t?.close();
  });

  const audit = editorPageProblems;

  for (const viewport of VIEWPORTS) {
    it(`signs in by keyboard at ${viewport.width}px, and the sign-in page passes`, async () => {
      const context = await browser.newContext({ viewport });
      await recordCspViolations(context);
      const page = await context.newPage();
      try {
        const watch = watchPage(page);
        await page.goto(`${origin}/edit/`);
        expect(page.url()).toBe(`${origin}/edit/sign-in`);
        expect(await audit(page, watch, viewport.width, 'sign-in')).toEqual([]);
        await page.getByLabel('Username').focus();
        await page.keyboard.type('bob');
        await page.keyboard.press('Tab');
        await page.keyboard.type(PASSWORDS.bob);
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Sign in');
        await Promise.all([page.waitForURL(`${origin}/edit/`), page.keyboard.press('Enter')]);
        expect(await page.locator('h1').textContent()).toBe('Pages');
      } finally {
        await context.close();
      }
    });

    for (const target of PAGES) {
      it(`${target.name} at ${viewport.width}px`, async () => {
        const page = await contexts.get(viewport.width)!.newPage();
        try {
          const watch = watchPage(page);
          const response = await page.goto(`${origin}${target.path}`, { waitUntil: 'load' });
          expect(response?.status()).toBe(200);
          expect(page.url(), 'still signed in').not.toContain('/sign-in');
          await target.prepare?.(page);
          expect(await audit(page, watch, viewport.width, target.name)).toEqual([]);
          expect(response?.headers()['cache-control']).toBe('no-store');
        } finally {
          await page.close();
        }
      });
    }
  }

  it('refreshes the preview as a person types, with the site’s own templates and styles', async () => {
    const page = await contexts.get(DESKTOP.width)!.newPage();
    try {
      await page.goto(`${origin}/edit/page/about.md`);
      const frame = page.frameLocator('#preview-frame');
      await expect.poll(() => frame.locator('h1').textContent()).toBe('About this site');
      await page.fill('#fm-title', 'About the project, renamed');
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 5_000 }).toBe('About the project, renamed');
      // The preview is the page as visitors get it: the site's header and stylesheet.
      expect(await frame.locator('header.nhsuk-header').count()).toBe(1);
      // The frame is sandboxed: no script of the page runs in it (the site's first script marks the body).
      expect((await frame.locator('body').getAttribute('class')) ?? '').not.toContain('js-enabled');
      expect(await frame.locator('script').count()).toBe(0);
      expect(await frame.locator('link[rel="stylesheet"]').getAttribute('href')).toMatch(
        /^\/assets\/main\.[\w-]+\.css$/,
      );
      // A link in the preview opens the website in a new tab; the form stays as it was.
      const [tab] = await Promise.all([
        page.context().waitForEvent('page'),
        frame.locator('main a[href^="/"]').first().click(),
      ]);
      await tab.waitForLoadState();
      expect(tab.url()).toMatch(new RegExp(`^${origin}/`));
      await tab.close();
      expect(await page.inputValue('#fm-title')).toBe('About the project, renamed');
      expect(await cspViolations(page)).toEqual([]);
      // Nothing was saved.
      expect((await t.store.read('about.md'))!.bytes.toString('utf8')).toContain('title: "About this site"');
    } finally {
      await page.close();
    }
  });

  it('saves by keyboard alone: from "Page content", Tab reaches Save, focus shows, Enter saves', async () => {
    const page = await contexts.get(PHONE.width)!.newPage();
    try {
      await page.goto(`${origin}/edit/page/work-streams/maternity-systems-survey.md`);
      await page.focus('#body');
      await page.keyboard.press('End');
      await page.keyboard.type(' Typed with the keyboard.');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Save');
      const focused = await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);
      expect(focused).not.toBe('none');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Preview');
      await page.keyboard.press('Shift+Tab');
      await Promise.all([page.waitForURL(/notice=saved/), page.keyboard.press('Enter')]);
      expect(await page.locator('.app-notice').textContent()).toContain('Saved.');
      expect((await t.store.read('work-streams/maternity-systems-survey.md'))!.bytes.toString('utf8')).toContain(
        'Typed with the keyboard.',
      );
    } finally {
      await page.close();
    }
  });

  it('works without JavaScript: Preview shows the page with what was typed, and Save saves it', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/edit/sign-in`);
      await page.fill('#username', 'alice');
      await page.fill('#password', PASSWORDS.alice);
      await Promise.all([page.waitForURL(`${origin}/edit/`), page.getByRole('button', { name: 'Sign in' }).click()]);
      await page.goto(`${origin}/edit/page/regional-projects/pc-aims.md`);
      await page.fill('#body', 'Typed without JavaScript.\n');
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      expect(await page.inputValue('#body')).toBe('Typed without JavaScript.\n');
      expect(await page.frameLocator('#preview-frame').locator('main').textContent()).toContain(
        'Typed without JavaScript.',
      );
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/notice=saved/);
      const pub = await fetch(`${origin}/regional-projects/pc-aims/`);
      expect(await pub.text()).toContain('Typed without JavaScript.');
    } finally {
      await context.close();
    }
  });
  it('publishes a change waiting for review from its page, by keyboard alone', async () => {
    const page = await contexts.get(PHONE.width)!.newPage();
    try {
      await page.goto(`${origin}${PAGES.find((p) => p.name === 'review-change')!.path}`);
      await page.getByRole('button', { name: 'Publish' }).focus();
      await Promise.all([page.waitForURL(/notice=published/), page.keyboard.press('Enter')]);
      expect(await page.locator('.app-notice').textContent()).toContain('Published.');
      const pub = await fetch(`${origin}/work-streams/intrapartum-deaths-enquiry/`);
      expect(await pub.text()).toContain('A sentence waiting for review.');
      expect(await cspViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
