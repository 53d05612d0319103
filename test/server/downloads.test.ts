import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { strongEtag } from '../../src/content/fileInfo.js';
import { loadContent } from '../../src/content/loadContent.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { contentDisposition, parseRange } from '../../src/server/download.js';
import { appFor, SITE_URL } from '../helpers/site.js';
import { documentPage, libraryFiles, tempTree, tinyOds, tinyPdf, tinyXlsx } from '../helpers/documents.js';

const SECRET = 'TOP-SECRET-0f6c2b';
const CSV = 'Data item,Description\nItem A,Sample item\nItem B,Another sample item\n';
const FILES = {
  'data.csv': Buffer.from(CSV),
  'report.pdf': tinyPdf(2),
  'sheet.ods': tinyOds(),
  'book.xlsx': tinyXlsx(),
};

let tree: ReturnType<typeof tempTree>;
let site: RenderedSite;
let app: ReturnType<typeof appFor>;
const PAST = new Date('2026-01-10T12:00:00Z');

async function loadApp(): Promise<void> {
  const result = (await loadContent(tree.dir)).build;
  if (!result.site) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  site = renderSite(result.site, { siteUrl: SITE_URL });
  app = appFor(site);
}

function makeTree(): void {
  tree = tempTree({
    ...libraryFiles({}),
    'documents/data/index.md': documentPage({
      files: `files:\n${Object.keys(FILES)
        .map((f) => `  - file: ${f}`)
        .join('\n')}`,
    }),
    ...Object.fromEntries(Object.entries(FILES).map(([name, bytes]) => [`documents/data/${name}`, bytes])),
    'documents/data/undeclared.csv': `${SECRET}\n`,
    'documents/data/.hidden.csv': `${SECRET}\n`,
    'notes.txt': `${SECRET}\n`,
  } as Record<string, string | Buffer>);
  // A secret beside the content folder: what every traversal tries to reach.
  writeFileSync(path.join(tree.parent, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(path.join(tree.parent, 'package.json'), `{"secret":"${SECRET}"}\n`);
  for (const name of Object.keys(FILES)) utimesSync(path.join(tree.dir, 'documents/data', name), PAST, PAST);
}

const url = (name: string) => `/documents/data/${encodeURIComponent(name)}`;
const FILE_HEADERS = ['content-disposition', 'etag', 'last-modified', 'accept-ranges', 'content-range'];

/** Sends the path byte for byte: supertest and URL parsers would tidy ".." and "\" away. */
function rawGet(target: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const req = http.request({ host: '127.0.0.1', port, path: target, method: 'GET', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          server.close();
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') });
        });
      });
      req.on('error', (e) => {
        server.close();
        reject(e);
      });
      req.end();
    });
  });
}

beforeAll(async () => {
  makeTree();
  await loadApp();
});
afterAll(() => tree.cleanup());

describe('GET and HEAD', () => {
  const types: [string, string][] = [
    ['data.csv', 'text/csv; charset=utf-8'],
    ['report.pdf', 'application/pdf'],
    ['sheet.ods', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['book.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ];
  for (const [name, type] of types) {
    it(`serves ${name} whole, as ${type}, with validators and caching headers`, async () => {
      const bytes = FILES[name as keyof typeof FILES];
      const res = await request(app)
        .get(url(name))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-length']).toBe(String(bytes.length));
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${name}"`);
      expect(res.headers.etag).toBe(strongEtag(bytes));
      expect(res.headers.etag).not.toMatch(/^W\//);
      expect(res.headers['last-modified']).toBe(PAST.toUTCString());
      expect(res.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
    });
  }

  it('answers HEAD with the same headers and no body', async () => {
    const get = await request(app).get(url('report.pdf'));
    const head = await request(app).head(url('report.pdf'));
    expect(head.status).toBe(200);
    for (const h of [
      'content-type',
      'content-length',
      'content-disposition',
      'etag',
      'last-modified',
      'cache-control',
      'accept-ranges',
    ]) {
      expect(head.headers[h], h).toBe(get.headers[h]);
    }
    expect(head.text ?? '').toBe('');
    // Range is defined for GET only: HEAD with Range still describes the whole file.
    const headRange = await request(app).head(url('report.pdf')).set('Range', 'bytes=0-9');
    expect(headRange.status).toBe(200);
    expect(headRange.headers['content-range']).toBeUndefined();
  });

  it('names the file in Content-Disposition as it is named in the folder (names need no encoding)', async () => {
    const res = await request(app).get(url('data.csv'));
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="data.csv"');
  });
});

describe('conditional requests', () => {
  const etag = () => strongEtag(FILES['data.csv']);
  const expectNoFileHeaders = (headers: Record<string, string>) => {
    expect(headers['content-disposition']).toBeUndefined();
    expect(headers['content-range']).toBeUndefined();
    expect(headers['last-modified']).toBeUndefined();
    expect(headers['accept-ranges']).toBeUndefined();
  };

  it('answers If-None-Match with 304 for the current tag, weak or in a list, and for *', async () => {
    for (const value of [etag(), `W/${etag()}`, `"other", ${etag()}`, '*']) {
      const res = await request(app).get(url('data.csv')).set('If-None-Match', value);
      expect(res.status, value).toBe(304);
      expect(res.headers.etag).toBe(etag());
      expect(res.headers['content-type']).toBeUndefined();
      expectNoFileHeaders(res.headers);
    }
    expect((await request(app).get(url('data.csv')).set('If-None-Match', '"other"')).status).toBe(200);
  });

  it('answers If-Modified-Since with 304 when not modified since, 200 when modified', async () => {
    expect((await request(app).get(url('data.csv')).set('If-Modified-Since', PAST.toUTCString())).status).toBe(304);
    expect(
      (
        await request(app)
          .get(url('data.csv'))
          .set('If-Modified-Since', new Date(PAST.getTime() + 86400000).toUTCString())
      ).status,
    ).toBe(304);
    expect(
      (
        await request(app)
          .get(url('data.csv'))
          .set('If-Modified-Since', new Date(PAST.getTime() - 1000).toUTCString())
      ).status,
    ).toBe(200);
    expect((await request(app).get(url('data.csv')).set('If-Modified-Since', 'not a date')).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect(
      (
        await request(app)
          .get(url('data.csv'))
          .set('If-None-Match', '"other"')
          .set('If-Modified-Since', PAST.toUTCString())
      ).status,
    ).toBe(200);
  });

  it('ignores date headers that are not HTTP-dates, as RFC 9110 says', async () => {
    for (const value of [
      '3000',
      'Dec 2099',
      '2099-12-31',
      'Fri, 31 Dec 2099',
      'fri, 31 dec 2099 00:00:00 gmt',
      'Fri, 31 Dec 2099 00:00:00 +0000',
      'Thu, 31 Apr 2099 00:00:00 GMT',
    ]) {
      expect((await request(app).get(url('data.csv')).set('If-Modified-Since', value)).status, value).toBe(200);
    }
    for (const value of ['1', '1970', 'Jan 1970', '0']) {
      expect((await request(app).get(url('data.csv')).set('If-Unmodified-Since', value)).status, value).toBe(200);
    }
    // The three HTTP-date formats are honoured.
    const later = new Date(PAST.getTime() + 86400000);
    const [day, date, month, year, time] = later.toUTCString().replace(',', '').split(' ') as [
      string,
      string,
      string,
      string,
      string,
    ];
    const longDay = later.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
    for (const value of [
      later.toUTCString(),
      `${longDay}, ${date}-${month}-${year.slice(2)} ${time} GMT`,
      `${day} ${month} ${String(Number(date)).padStart(2, ' ')} ${time} ${year}`,
    ]) {
      expect((await request(app).get(url('data.csv')).set('If-Modified-Since', value)).status, value).toBe(304);
    }
  });

  it('answers a failed If-Match or If-Unmodified-Since with 412 and no file headers', async () => {
    const a = await request(app).get(url('data.csv')).set('If-Match', '"other"');
    expect(a.status).toBe(412);
    expect(a.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(a.headers.etag).toBeUndefined();
    expectNoFileHeaders(a.headers);
    expect((await request(app).get(url('data.csv')).set('If-Match', `W/${etag()}`)).status).toBe(412);
    expect((await request(app).get(url('data.csv')).set('If-Match', etag())).status).toBe(200);
    expect(
      (
        await request(app)
          .get(url('data.csv'))
          .set('If-Unmodified-Since', new Date(PAST.getTime() - 1000).toUTCString())
      ).status,
    ).toBe(412);
    expect((await request(app).get(url('data.csv')).set('If-Unmodified-Since', PAST.toUTCString())).status).toBe(200);
  });
});

describe('ranges', () => {
  const size = Buffer.byteLength(CSV);

  it('answers one range with 206 and Content-Range, for first-last, open-ended and suffix forms', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 9],
      ['bytes=10-', 10, size - 1],
      ['bytes=-5', size - 5, size - 1],
      ['bytes=5-100000', 5, size - 1],
      ['bytes=-100000', 0, size - 1],
      [' bytes = 3 - 4 ', 3, 4],
    ];
    for (const [range, start, end] of cases) {
      const res = await request(app).get(url('data.csv')).set('Range', range);
      expect(res.status, range).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers['content-length']).toBe(String(end - start + 1));
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers.etag).toBe(strongEtag(FILES['data.csv']));
      expect(res.text).toBe(CSV.slice(start, end + 1));
    }
  });

  it('answers an unsatisfiable range with 416, Content-Range: bytes */N and no file headers', async () => {
    for (const range of [
      `bytes=${size}-`,
      'bytes=99999-100000',
      'bytes=-0',
      `bytes=${size}-${size + 5}, ${size + 10}-`,
    ]) {
      const res = await request(app).get(url('data.csv')).set('Range', range);
      expect(res.status, range).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${size}`);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.headers['last-modified']).toBeUndefined();
      expect(res.text).not.toContain('Item');
    }
  });

  it('sends the whole file for ranges it does not serve: bad syntax, other units, several ranges', async () => {
    for (const range of ['bytes=abc', 'items=0-1', 'bytes=5-1', 'bytes=', 'bytes=0-1,3-4', 'bytes=--1']) {
      const res = await request(app).get(url('data.csv')).set('Range', range);
      expect(res.status, range).toBe(200);
      expect(res.text).toBe(CSV);
      expect(res.headers['content-range']).toBeUndefined();
    }
  });

  it('honours If-Range only for a strong ETag match', async () => {
    const etag = strongEtag(FILES['data.csv']);
    expect((await request(app).get(url('data.csv')).set('Range', 'bytes=0-3').set('If-Range', etag)).status).toBe(206);
    for (const ifRange of [
      `W/${etag}`,
      '"other"',
      PAST.toUTCString(),
      new Date(PAST.getTime() + 86400000).toUTCString(),
    ]) {
      const res = await request(app).get(url('data.csv')).set('Range', 'bytes=0-3').set('If-Range', ifRange);
      expect(res.status, ifRange).toBe(200);
      expect(res.text).toBe(CSV);
    }
  });

  it('parses ranges by RFC 9110', () => {
    expect(parseRange('bytes=0-0', 1)).toEqual({ kind: 'single', start: 0, end: 0 });
    expect(parseRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('BYTES=1-2', 10)).toEqual({ kind: 'single', start: 1, end: 2 });
    expect(parseRange(`bytes=${'0-1,'.repeat(400)}0-1`, 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=99999999999999999999-', 10)).toEqual({ kind: 'unsatisfiable' });
  });

  it('builds Content-Disposition safely', () => {
    expect(contentDisposition('report.pdf')).toBe('attachment; filename="report.pdf"');
    expect(contentDisposition('a "b".pdf')).toBe(`attachment; filename="a _b_.pdf"; filename*=UTF-8''a%20%22b%22.pdf`);
    expect(contentDisposition("it's (final)*.pdf")).toBe(`attachment; filename="it's (final)*.pdf"`);
    expect(contentDisposition('résumé (1).pdf')).toBe(
      `attachment; filename="resume (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.pdf`,
    );
  });
});

describe('only declared files are downloadable', () => {
  const refused = [
    '/documents/data/undeclared.csv',
    '/documents/data/.hidden.csv',
    '/documents/data/index.md',
    '/documents/data/index',
    '/documents/data/DATA.CSV',
    '/documents/data/data.csv/',
    '/documents/notes.txt',
    '/notes.txt',
    '/secret.txt',
    // Traversal forms: encoded dots, %2f, backslashes, %00, double encoding, overlong UTF-8.
    '/documents/data/../../../secret.txt',
    '/documents/data/..%2f..%2f..%2fsecret.txt',
    '/documents/data/%2e%2e/%2e%2e/%2e%2e/secret.txt',
    '/documents/data/%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecret.txt',
    '/documents/data/.%2e/.%2e/.%2e/secret.txt',
    '/documents/data/..\\..\\..\\secret.txt',
    '/documents/data/..%5c..%5c..%5csecret.txt',
    '/documents/data/data.csv%00.pdf',
    '/documents/data/%00/../../../secret.txt',
    '/documents/data/%252e%252e%252f%252e%252e%252f%252e%252e%252fsecret.txt',
    '/documents/data/%25%32%65%25%32%65/secret.txt',
    '/documents/data/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afsecret.txt',
    '/documents/data/%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/secret.txt',
    '/documents/data/%c0%2e%c0%2e/secret.txt',
    '/..%2f..%2fpackage.json',
    '//secret.txt',
  ];
  for (const target of refused) {
    it(`answers ${target} with 404 and never the secret`, async () => {
      const res = await rawGet(target);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SECRET);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      for (const h of FILE_HEADERS) expect(res.headers[h], h).toBeUndefined();
    });
  }

  it('refuses a content folder holding a symlink: the site does not load', async () => {
    symlinkSync(path.join(tree.parent, 'secret.txt'), path.join(tree.dir, 'documents/data/link.csv'));
    try {
      const result = (await loadContent(tree.dir)).build;
      expect(result.site).toBeNull();
      expect(result.diagnostics.some((d) => d.file === 'documents/data/link.csv' && d.severity === 'error')).toBe(true);
    } finally {
      unlinkSync(path.join(tree.dir, 'documents/data/link.csv'));
    }
  });
});

describe('files changed while the server runs', () => {
  const dir = () => path.join(tree.dir, 'documents/data');
  beforeEach(async () => {
    tree.cleanup();
    makeTree();
    await loadApp();
  });

  /** Replaces a file the safe way: write beside it, then rename over it. */
  function replaceAtomically(name: string, bytes: Buffer, mtime = PAST): void {
    const temporary = path.join(dir(), `.tmp-${name}`);
    writeFileSync(temporary, bytes);
    utimesSync(temporary, mtime, mtime);
    renameSync(temporary, path.join(dir(), name));
  }

  it('serves the complete new file, with headers computed from it, after an atomic replace', async () => {
    const next = Buffer.from(`${CSV}Item C,A third sample item\n`);
    const later = new Date(PAST.getTime() + 3600_000);
    replaceAtomically('data.csv', next, later);
    const res = await request(app).get(url('data.csv'));
    expect(res.status).toBe(200);
    expect(res.text).toBe(next.toString());
    expect(res.headers['content-length']).toBe(String(next.length));
    expect(res.headers.etag).toBe(strongEtag(next));
    expect(res.headers['last-modified']).toBe(later.toUTCString());
    // A client resuming the old version with If-Range gets the whole new file, never a mix.
    const resume = await request(app)
      .get(url('data.csv'))
      .set('Range', 'bytes=10-')
      .set('If-Range', strongEtag(FILES['data.csv']));
    expect(resume.status).toBe(200);
    expect(resume.text).toBe(next.toString());
    // The old validator no longer matches.
    expect((await request(app).get(url('data.csv')).set('If-None-Match', strongEtag(FILES['data.csv']))).status).toBe(
      200,
    );
  });

  it('answers 404 while a file rewritten in place is still fresh, then serves it once settled', async () => {
    const next = tinyPdf(5, 'rewritten');
    writeFileSync(path.join(dir(), 'report.pdf'), next);
    expect((await request(app).get(url('report.pdf'))).status).toBe(404);
    utimesSync(path.join(dir(), 'report.pdf'), PAST, PAST);
    const res = await request(app).get(url('report.pdf'));
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(next.length));
    expect(res.headers.etag).toBe(strongEtag(next));
  });

  it(
    'answers 404, not 500, when the file is deleted, turned into a folder or ' +
      'a link, or no longer what its name says',
    async () => {
      unlinkSync(path.join(dir(), 'data.csv'));
      expect((await request(app).get(url('data.csv'))).status).toBe(404);
      mkdirSync(path.join(dir(), 'data.csv'));
      expect((await request(app).get(url('data.csv'))).status).toBe(404);
      rmSync(path.join(dir(), 'data.csv'), { recursive: true });
      symlinkSync(path.join(tree.parent, 'secret.txt'), path.join(dir(), 'data.csv'));
      const link = await request(app).get(url('data.csv'));
      expect(link.status).toBe(404);
      expect(link.text).not.toContain(SECRET);
      replaceAtomically('report.pdf', Buffer.from('no longer a PDF'));
      expect((await request(app).get(url('report.pdf'))).status).toBe(404);
      replaceAtomically('sheet.ods', Buffer.alloc(0));
      expect((await request(app).get(url('sheet.ods'))).status).toBe(404);
    },
  );

  it('answers 404 when the document folder is swapped for a link to somewhere else', async () => {
    const outside = path.join(tree.parent, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'data.csv'), `${SECRET}\n`);
    utimesSync(path.join(outside, 'data.csv'), PAST, PAST);
    renameSync(dir(), path.join(tree.dir, 'documents/moved'));
    symlinkSync(outside, dir());
    const res = await request(app).get(url('data.csv'));
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(SECRET);
  });

  it('never sends a truncated or mixed body while files are replaced under load', async () => {
    const versions = [
      Buffer.from(CSV),
      Buffer.from(`${CSV}${'Item X,Longer sample item\n'.repeat(2000)}`),
      Buffer.from('Data item\nShort\n'),
    ];
    const known = new Map(versions.map((v) => [strongEtag(v), v]));
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 400; i++) {
        const version = versions[i % versions.length]!;
        if (i % 2 === 0) replaceAtomically('data.csv', version, new Date(PAST.getTime() + i * 1000));
        else writeFileSync(path.join(dir(), 'data.csv'), version); // in place: fresh, so refused until settled
        // Now and then a settled file stays a moment, so that some requests are served even on a busy machine.
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 20));
        else await new Promise((r) => setImmediate(r));
      }
    })();
    let served = 0;
    for (let i = 0; i < 150; i++) {
      const res = await request(app).get(url('data.csv'));
      expect([200, 404]).toContain(res.status);
      if (res.status === 200) {
        served++;
        const expected = known.get(res.headers.etag!);
        expect(expected, 'ETag of a known version').toBeDefined();
        expect(res.text).toBe(expected!.toString());
        expect(res.headers['content-length']).toBe(String(expected!.length));
      }
    }
    writing = false;
    await writer;
    expect(served).toBeGreaterThan(0);
  });
});
