/**
 * Every page the site renders must be valid HTML under html-validate's
 * recommended rules (the project's .htmlvalidate.json), with no errors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HtmlValidate, type ConfigData } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { renderedBundledSite } from '../helpers/site.js';
import { exportSearchPage } from '../../src/search/searchPages.js';
import { searchFor } from '../helpers/search.js';

const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData;
const validator = new HtmlValidate(config);

let site: RenderedSite;
beforeAll(async () => {
  site = await renderedBundledSite();
});

async function problemsIn(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) =>
    r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message} (${m.selector ?? ''})`),
  );
}

describe('html-validate', () => {
  it('uses the recommended rules without switching any off', () => {
    expect(config.extends).toContain('html-validate:recommended');
  });

  it('finds errors in broken markup (the validator is really running)', async () => {
    const problems = await problemsIn(
      '<!DOCTYPE html><html ' +
        'lang="en"><head><title>x</title></head><body><p><div>bad</div></p><img src="a.png"></body></html>',
    );
    expect(problems.length).toBeGreaterThan(0);
  });

  it('passes every page, the 404 page and the 500 page with zero problems', async () => {
    const documents: [string, Buffer][] = [...site.pages.keys()].map((url) => [url, site.pages.get(url)!.body]);
    documents.push(['404 page', site.notFound.body], ['500 page', site.serverError.body]);
    // The engine's own pages: search (empty, results with pagination, no results, an error), the A to Z list, the
    // export's search page.
    for (const [q, page] of [
      [null, null],
      ['perinatal', '2'],
      ['zebra', null],
      ['x'.repeat(300), null],
    ] as const) {
      documents.push([`search ${q?.slice(0, 20)} ${page}`, searchFor(site, q, page).response.body]);
    }
    documents.push(['A to Z', site.enginePages.atoZ.body], ['export search page', exportSearchPage(site)]);
    const failures: string[] = [];
    for (const [name, body] of documents) {
      for (const problem of await problemsIn(body.toString('utf8'))) failures.push(`${name} ${problem}`);
    }
    expect(failures).toEqual([]);
  });
});
