/**
 * Data tables on document pages: on a desktop screen the table fits its
 * column with nothing cut off; on a phone it scrolls inside its own region
 * (which takes keyboard focus) while the page itself never scrolls sideways.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedBundledSite } from '../helpers/site.js';
import { horizontalOverflow } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { startServer, type TestServer } from './support/server.js';
import { DESKTOP, PHONE } from './support/viewports.js';

const site = await renderedBundledSite();
/** Every document page that shows a data table. */
const tablePages = [...site.model.library.documents.values()]
  .filter((d) => d.files.some((f) => f.table))
  .map((d) => d.url);

describe.skipIf(skipBrowserTests)('data tables', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(site)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the bundled content has a document with a data table', () => {
    expect(tablePages.length).toBeGreaterThan(0);
  });

  for (const path of tablePages) {
    it(`${path}: fits at ${DESKTOP.width}px, scrolls in its region at ${PHONE.width}px`, async () => {
      const measure = async (viewport: { width: number; height: number }) => {
        const page = await browser.newPage({ viewport });
        try {
          await page.goto(`${server.origin}${path}`);
          const regions = await page
            .locator('.app-table-scroll')
            .evaluateAll((els) => els.map((el) => ({ client: el.clientWidth, scroll: el.scrollWidth })));
          return { regions, page: await horizontalOverflow(page) };
        } finally {
          await page.close();
        }
      };
      const desktop = await measure(DESKTOP);
      expect(desktop.regions.length).toBeGreaterThan(0);
      for (const r of desktop.regions)
        expect(r.scroll, 'table wider than its column on a desktop screen').toBeLessThanOrEqual(r.client);
      const phone = await measure(PHONE);
      expect(phone.page.scrollWidth).toBeLessThanOrEqual(phone.page.clientWidth);
      for (const r of phone.regions) expect(r.scroll).toBeGreaterThan(r.client);
    });
  }
});
