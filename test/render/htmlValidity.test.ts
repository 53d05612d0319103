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

const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData;
const validator = new HtmlValidate(config);

let site: RenderedSite;
beforeAll(async () => {
  site = await renderedBundledSite();
});

async function problemsIn(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message} (${m.selector ?? ''})`));
}

describe('html-validate', () => {
  it('uses the recommended rules without switching any off', () => {
    expect(config.extends).toContain('html-validate:recommended');
  });

  it('finds errors in broken markup (the validator is really running)', async () => {
    const problems = await problemsIn('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><div>bad</div></p><img src="a.png"></body></html>');
    expect(problems.length).toBeGreaterThan(0);
  });

  it('passes every page, the 404 page and the 500 page with zero problems', async () => {
    const documents: [string, Buffer][] = [...site.pages.keys()].map((url) => [url, site.pages.get(url)!.body]);
    documents.push(['404 page', site.notFound.body], ['500 page', site.serverError.body]);
    const failures: string[] = [];
    for (const [name, body] of documents) {
      for (const problem of await problemsIn(body.toString('utf8'))) failures.push(`${name} ${problem}`);
    }
    expect(failures).toEqual([]);
  });
});
