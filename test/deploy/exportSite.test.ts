import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_TO_Z_URL, FEED_URL, SEARCH_INDEX_URL, SEARCH_URL } from '../../src/content/engineUrls.js';
import { exportFiles, exportSite, ExportError } from '../../src/deploy/exportSite.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { buildSite } from '../../src/content/buildSite.js';
import { documentPage, libraryFiles, memoryFolderOf } from '../helpers/documents.js';
import { appFor, renderedBundledSite } from '../helpers/site.js';

/** The plainest static file server: a URL maps to a file, a folder to its index.html, else 404.html. */
function staticServer(root: string): http.Server {
  return http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      file = path.join(root, '404.html');
    }
    res.end(readFileSync(file));
  });
}

let site: RenderedSite;
let out: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  site = await renderedBundledSite();
  out = path.join(mkdtempSync(path.join(os.tmpdir(), 'export-')), '_site');
  await exportSite(site, out, { precompress: true });
  server = staticServer(out);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(path.dirname(out), { recursive: true, force: true });
});

describe('static export', () => {
  it('answers every URL the live server knows with identical bytes', async () => {
    const app = appFor(site);
    // The search differs by design: the live server searches itself, the export in the browser, from an index file.
    const urls = [...exportFiles(site)]
      .map((f) => (f.file.endsWith('index.html') ? `/${f.file.slice(0, -'index.html'.length)}` : `/${f.file}`))
      .filter((u) => ![`/404.html`, SEARCH_URL, SEARCH_INDEX_URL].includes(u));
    expect(urls).toEqual(expect.arrayContaining([A_TO_Z_URL, FEED_URL]));
    expect(urls.length).toBeGreaterThan(site.pages.size);
    for (const url of urls) {
      const live = await request(app)
        .get(url)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(live.status, url).toBe(200);
      const fromExport = await fetch(`${base}${url}`);
      expect(fromExport.status, url).toBe(200);
      expect(Buffer.from(await fromExport.arrayBuffer()).equals(live.body as Buffer), url).toBe(true);
    }
  });

  it('has a search page that searches in the browser, and the index it loads', async () => {
    const page = await (await fetch(`${base}${SEARCH_URL}?q=dataset`)).text();
    expect(page).toContain('data-search-app');
    expect(page).toContain(`data-index-url="${SEARCH_INDEX_URL}"`);
    expect(page).toContain(`src="${site.assets.url('search.js')}"`);
    expect(page).toContain('<meta name="robots" content="noindex">');
    const index = (await (await fetch(`${base}${SEARCH_INDEX_URL}`)).json()) as { entries: [string][] };
    expect(index.entries.map((e) => e[0]).sort()).toEqual([...site.pages.keys()].sort());
  });

  it('serves the same 404 page for unknown URLs', async () => {
    const live = await request(appFor(site)).get('/no-such-page/');
    const fromExport = await fetch(`${base}/no-such-page/`);
    expect(fromExport.status).toBe(404);
    expect(await fromExport.text()).toBe(live.text);
  });

  it('writes precompressed siblings that decompress to the same bytes', async () => {
    const { gunzipSync, brotliDecompressSync } = await import('node:zlib');
    const index = readFileSync(path.join(out, 'index.html'));
    expect(gunzipSync(readFileSync(path.join(out, 'index.html.gz'))).equals(index)).toBe(true);
    expect(brotliDecompressSync(readFileSync(path.join(out, 'index.html.br'))).equals(index)).toBe(true);
  });

  it('refuses to replace a folder it did not make', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'not-export-'));
    mkdirSync(path.join(dir, 'keep'));
    writeFileSync(path.join(dir, 'keep', 'precious.txt'), 'x');
    await expect(exportSite(site, dir)).rejects.toBeInstanceOf(ExportError);
    expect(readFileSync(path.join(dir, 'keep', 'precious.txt'), 'utf8')).toBe('x');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('document file names in the export', () => {
  it('are refused when a static host would not find them (accents, spaces, capitals), with the name to use', () => {
    for (const [name, suggestion] of [
      ['Données 2024.csv', 'donnees-2024.csv'],
      ['report final.pdf', 'report-final.pdf'],
      ['DATA.CSV', 'data.csv'],
      ['data.final.csv', 'data-final.csv'],
    ]) {
      const result = buildSite(
        memoryFolderOf(
          libraryFiles({
            'documents/data/index.md': documentPage({ files: `files:\n  - file: "${name}"` }),
            [`documents/data/${name}`]: 'a\n1\n',
          }),
        ),
      );
      expect(result.site, name).toBeNull();
      expect(
        result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`),
        name,
      ).toContain(
        `documents/data/index.md:8: "files.0.file" must use lowercase letters, ` +
          `digits and hyphens, with one extension: rename the file and this entry, ` +
          `for example to "${suggestion}"`,
      );
    }
  });

  it('are written where a static server that decodes the link looks for them', async () => {
    const downloads = [...site.model.library.downloads.values()];
    expect(downloads.length).toBeGreaterThan(0);
    for (const download of downloads) {
      const response = await fetch(`${base}${download.url}`);
      expect(response.status, download.url).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(download.bytes), download.url).toBe(true);
      expect(existsSync(path.join(out, decodeURIComponent(download.url)))).toBe(true);
    }
  });
});
