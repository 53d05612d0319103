import { describe, expect, it } from 'vitest';
import { BROWSER_TITLE_MAX_LENGTH, browserTitle } from '../../src/content/browserTitle.js';
import { buildFromFiles, minimalFiles, page } from '../helpers/site.js';

const SITE_NAME = 'Investing for Health Project 2c';
const spare = BROWSER_TITLE_MAX_LENGTH - browserTitle('', SITE_NAME).length;

describe('browser title length', () => {
  it('warns, naming the file and the limit, when title and site name exceed 70 characters', () => {
    const long = 'x'.repeat(spare + 1);
    const result = buildFromFiles(minimalFiles({ 'long.md': page(`title: ${long}\ndescription: A page.`) }));
    expect(result.site).not.toBeNull();
    const warnings = result.diagnostics.filter((d) => d.file === 'long.md');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.severity).toBe('warning');
    expect(warnings[0]!.message).toContain(`shorten the title to ${spare} characters or fewer`);
  });

  it('accepts a title that fits exactly', () => {
    const result = buildFromFiles(minimalFiles({ 'fits.md': page(`title: ${'x'.repeat(spare)}\ndescription: A page.`) }));
    expect(result.diagnostics.filter((d) => d.file === 'fits.md')).toEqual([]);
  });

  it('checks the 404 page too', () => {
    const files = minimalFiles({ '404.md': page(`title: ${'y'.repeat(spare + 5)}\ndescription: Not found.\nnavigation:\n  hidden: true`) });
    expect(buildFromFiles(files).diagnostics.some((d) => d.file === '404.md' && d.severity === 'warning')).toBe(true);
  });
});
