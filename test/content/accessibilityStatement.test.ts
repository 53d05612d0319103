/**
 * The accessibility statement must stay true and complete: what the
 * regulations ask for, the contact address from site settings, review dates
 * that match its front matter, and the screen sizes the browser tests use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatLongDate } from '../../src/content/dates.js';
import type { Page, SiteModel } from '../../src/content/model.js';
import { DESKTOP, PHONE, REFLOW } from '../browser/support/viewports.js';
import { renderedBundledSite } from '../helpers/site.js';

let site: SiteModel;
let statement: Page;
let text: string;
beforeAll(async () => {
  site = (await renderedBundledSite()).model;
  statement = site.pages.get('/accessibility/')!;
  text = statement.bodyHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
});

describe('the accessibility statement', () => {
  it('is linked from the footer of every page', () => {
    expect(statement).toBeDefined();
    expect(site.settings.footerLinks.map((l) => l.href)).toContain('/accessibility/');
  });

  it('has the sections the regulations ask for', () => {
    const headings = statement.headings.map((h) => h.text);
    for (const heading of [
      'How accessible this website is',
      'Feedback and contact information',
      'Reporting accessibility problems with this website',
      'Enforcement procedure',
      'Compliance status',
      'Non-accessible content',
      'How we tested this website',
      'Preparation of this accessibility statement',
    ]) {
      expect(headings).toContain(heading);
    }
    expect(text).toMatch(
      new RegExp(
        'This website is (fully|partially|not) compliant with the Web Content Accessibility Guidelines ' +
          'version 2\\.2 AA standard',
      ),
    );
    expect(text).toContain('Equality and Human Rights Commission');
    expect(text).toContain('Equality Advisory and Support Service');
  });

  it('gives the contact address from the site settings', () => {
    expect(statement.bodyHtml).toContain(`href="mailto:${site.settings.contactEmail}"`);
  });

  it('says when it was prepared and last reviewed, matching its review date', () => {
    const reviewed = statement.frontMatter.lastReviewed;
    expect(reviewed).toBeDefined();
    expect(text).toContain(`It was last reviewed on ${formatLongDate(reviewed!)}.`);
    expect(text).toMatch(/This statement was prepared on \d{1,2} [A-Z][a-z]+ \d{4}\./);
  });

  it('names the screen widths that the browser tests really use', () => {
    expect(text).toContain(`${DESKTOP.width}, ${PHONE.width} and ${REFLOW.width} pixels wide`);
    expect(REFLOW.width * 4).toBe(DESKTOP.width);
  });
});
