import { describe, expect, it } from 'vitest';
import { BROWSER_TITLE_MAX_LENGTH, browserTitle } from '../../src/content/browserTitle.js';
import { buildFromFiles, minimalFiles, page } from '../helpers/site.js';

const SITE_NAME = 'Investing for Health Project 2c';
const spare = BROWSER_TITLE_MAX_LENGTH - ` – ${SITE_NAME}`.length;

describe('browser title', () => {
  it('is "title – site name" when that fits in 70 characters', () => {
    const title = 'x'.repeat(spare);
    expect(browserTitle(title, SITE_NAME)).toBe(`${title} – ${SITE_NAME}`);
    expect(browserTitle(title, SITE_NAME)).toHaveLength(BROWSER_TITLE_MAX_LENGTH);
  });

  it('keeps a longer title whole and drops the site name', () => {
    const title = '5 Quality Indicators – Rationale & Targets';
    expect(`${title} – ${SITE_NAME}`.length).toBeGreaterThan(BROWSER_TITLE_MAX_LENGTH);
    expect(browserTitle(title, SITE_NAME)).toBe(title);
  });

  it('warns, naming the file and the limit, when the page title alone is over 70 characters', () => {
    const long = 'y'.repeat(BROWSER_TITLE_MAX_LENGTH + 1);
    const result = buildFromFiles(minimalFiles({ 'long.md': page(`title: ${long}\ndescription: A page.`) }));
    expect(result.site).not.toBeNull();
    const warnings = result.diagnostics.filter((d) => d.file === 'long.md');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.severity).toBe('warning');
    expect(warnings[0]!.message).toContain('shorten it to 70 or fewer');
    expect([warnings[0]!.line, warnings[0]!.column]).toEqual([2, 8]);
  });

  it('does not warn about a title of exactly 70 characters, or about the 404 page within the limit', () => {
    const result = buildFromFiles(
      minimalFiles({ 'fits.md': page(`title: ${'z'.repeat(BROWSER_TITLE_MAX_LENGTH)}\ndescription: A page.`) }),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it('checks the 404 page too', () => {
    const files = minimalFiles({
      '404.md': page(
        `title: ${'n'.repeat(BROWSER_TITLE_MAX_LENGTH + 5)}\ndescription: Not found.\nnavigation:\n  hidden: true`,
      ),
    });
    expect(buildFromFiles(files).diagnostics.some((d) => d.file === '404.md' && d.severity === 'warning')).toBe(true);
  });
});
