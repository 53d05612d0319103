/**
 * The bundled content stays faithful to the programme's source page: its
 * names as written, nothing expanded or attached that the source does not
 * give, honest dates on documents, one name for each page and an
 * attribution that claims only the original material.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { A_TO_Z_URL, FEED_URL, SEARCH_URL } from '../../src/content/engineUrls.js';
import type { NavNode } from '../../src/content/model.js';
import { readContentFolder } from '../../src/content/readContentFolder.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { appFor, BUNDLED_CONTENT, renderedBundledSite } from '../helpers/site.js';

let site: RenderedSite;
let texts: Map<string, string>;
beforeAll(async () => {
  site = await renderedBundledSite();
  const folder = await readContentFolder(BUNDLED_CONTENT);
  texts = new Map(
    folder.entries.filter((e) => /\.(md|yml)$/.test(e.path)).map((e) => [e.path, e.bytes!.toString('utf8')]),
  );
});

const titleOf = (url: string) => site.model.pages.get(url)!.frontMatter.title;

describe('the bundled content', () => {
  it('does not expand WMPI, or use abbreviations the source never uses', () => {
    for (const [file, text] of texts) {
      expect(text, file).not.toMatch(/West Midlands Perinatal Institute|\(LIGs?\)|\(KPIs?\)/);
    }
  });

  it('keeps the names the source gives, capitals included', () => {
    expect(titleOf('/')).toContain('Perinatal and Infant Mortality');
    expect(titleOf('/regional-projects/clinical-outcome/')).toBe('West Midlands Perinatal Network clinical outcome');
    expect(titleOf('/regional-projects/head-of-midwifery/')).toBe('Head of Midwifery');
    expect(titleOf('/regional-projects/b-bc-project/')).toBe('B&BC Project');
  });

  it('names work stream 2ii after intrapartum related deaths everywhere, at its existing address', async () => {
    const walk = (nodes: readonly NavNode[]): NavNode[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
    const node = walk(site.model.navigation).find((n) => n.url === '/work-streams/intrapartum-deaths-enquiry/')!;
    expect(node.title).toBe('Intrapartum-related deaths enquiry');
    const res = await request(appFor(site)).get('/work-streams/intrapartum-deaths-enquiry/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Intrapartum-related deaths enquiry</h1>');
  });

  it('attaches the quality indicators document where the source lists it, with the regional maternity data', () => {
    const citing = [...site.model.pages.values()]
      .filter((p) => p.frontMatter.documents?.includes('quality-indicators'))
      .map((p) => p.url);
    expect(citing).toEqual(['/regional-maternity-data/']);
  });

  it('gives each page one name: a footer link reads as the page does in the menu', () => {
    const walk = (nodes: readonly NavNode[]): NavNode[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
    const menu = new Map(walk(site.model.navigation).map((n) => [n.url, n.title]));
    // The engine's own pages are named by their labels.
    const { labels } = site.model.settings;
    const enginePages = new Map([
      [SEARCH_URL, labels.search.title],
      [A_TO_Z_URL, labels.atoZ.title],
      [FEED_URL, labels.feed.title],
    ]);
    for (const link of site.model.settings.footerLinks) {
      const name =
        menu.get(link.href) ?? site.model.pages.get(link.href)?.frontMatter.title ?? enginePages.get(link.href);
      expect(link.text, link.href).toBe(name);
    }
  });

  it('attributes the original material to its owner without claiming the new text for them', () => {
    expect(site.model.settings.copyright).toBe('Original project material © Perinatal Institute 2011');
  });

  it('says when each original document dates from, apart from when its page was published here', async () => {
    const app = appFor(site);
    for (const doc of site.model.library.documents.values()) {
      expect(doc.frontMatter.sample, doc.id).toBe(true);
      expect(doc.frontMatter.originalDate, doc.id).toBeDefined();
      const page = (await request(app).get(doc.url)).text;
      expect(page).toContain(`Date of the original document: ${doc.frontMatter.originalDate}`);
      expect(page).toMatch(/Published on this site <time datetime="\d{4}-\d{2}-\d{2}">/);
    }
    expect(site.model.library.documents.get('final-achievement-report')!.frontMatter.originalDate).toBe('2011');
  });

  it('says once, on the home page, that the original links are lost', () => {
    const mentions = [...texts].filter(([, text]) => /Those links are lost/.test(text)).map(([file]) => file);
    expect(mentions).toEqual(['index.md']);
  });

  it('keeps the word list in the content folder, where each site can tune it', () => {
    expect(readFileSync(path.join(BUNDLED_CONTENT, 'plain-english.yml'), 'utf8')).toMatch(/^words:$/m);
  });
});
