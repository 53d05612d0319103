/**
 * Documents and pictures from the browser, and moving pages: uploads are
 * checked for CSRF before a byte of the body is read, limited while they
 * stream, typed by their bytes (never their names), stored under names the
 * server makes, saved as one commit with their page, and a refused upload
 * leaves nothing behind. The hostile uploads of the issue are all here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageWithPicture } from '../../src/editor/routes/images.js';
import { folderHash } from './hashing.js';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';
import { tinyPdf, tinyXlsx, zip } from '../helpers/documents.js';
import { HOSTILE_SVG, tinyPng } from '../helpers/images.js';
import { GIT_ISOLATED_ENV } from '../helpers/git.js';

let t: TestEditor;
let alice: Browser;
beforeAll(async () => {
  t = await testEditor();
  alice = new Browser(t.handler);
  await alice.signIn('alice', PASSWORDS.alice);
});
afterAll(() => t?.close());

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: t.contentDir,
    env: GIT_ISOLATED_ENV,
  }).toString('utf8');
const file = (rel: string) => readFileSync(path.join(t.contentDir, rel));

/** The form token of an editor page, as its upload forms carry it in their address. */
async function tokenFrom(url: string): Promise<string> {
  return Browser.token((await alice.get(url)).text);
}

interface Upload {
  fields?: Record<string, string>;
  file?: { bytes: Buffer; name: string; type?: string };
  headers?: Record<string, string>;
  token?: string | null;
}

async function upload(url: string, options: Upload): Promise<request.Response> {
  const token = options.token === undefined ? await tokenFrom('/edit/') : options.token;
  const req = request(t.handler)
    .post(token === null ? url : `${url}?token=${encodeURIComponent(token)}`)
    .set('Cookie', alice.cookieHeader())
    .set(options.headers ?? { 'Sec-Fetch-Site': 'same-origin' });
  for (const [k, v] of Object.entries(options.fields ?? {})) req.field(k, v);
  if (options.file)
    req.attach('file', options.file.bytes, {
      filename: options.file.name,
      contentType: options.file.type ?? 'application/octet-stream',
    });
  return req;
}

const newDocument = (name: string, file: Upload['file'], extra: Record<string, string> = {}) =>
  upload('/edit/documents/new', {
    fields: { title: `Report ${name}`, name, category: 'Reports', summary: 'A sample report for the tests.', ...extra },
    ...(file ? { file } : {}),
  });

/** An XLSX-looking zip whose directory declares an entry that unpacks to 3.9 GB: a "zip bomb". */
function zipBomb(): Buffer {
  const bytes = zip([
    ['[Content_Types].xml', '<Types/>'],
    ['xl/workbook.xml', '<workbook/>'],
    ['xl/worksheets/sheet1.xml', 'x'.repeat(100)],
  ]);
  // The third central directory entry: claim 0xEFFFFFFF bytes uncompressed.
  let offset = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  for (let i = 0; i < 2; i++) offset = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), offset + 4);
  bytes.writeUInt32LE(0xefffffff, offset + 24);
  return bytes;
}

describe('documents from the browser', () => {
  it('creates a document page with its file as one commit by its author; the public site offers it', async () => {
    const res = await newDocument('annual-report', { bytes: tinyPdf(3), name: 'Annual Report (Final).PDF' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/edit/document/annual-report?notice=created');
    expect(file('documents/annual-report/annual-report-final.pdf').equals(tinyPdf(3))).toBe(true);
    expect(file('documents/annual-report/index.md').toString()).toContain('  - file: annual-report-final.pdf\n');
    expect(git('log', '-1', '--format=%an|%s', '--name-only').split('\n').slice(0, 4).sort()).toEqual(
      [
        'Alice Smith|Add the document “Report annual-report” (documents/annual-report/) with annual-report-final.pdf',
        '',
        'documents/annual-report/annual-report-final.pdf',
        'documents/annual-report/index.md',
      ].sort(),
    );
    const page = await request(t.handler).get('/documents/annual-report/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/documents/annual-report/annual-report-final.pdf"');
    const files = await alice.get('/edit/document/annual-report?notice=created');
    expect(files.text).toContain('The document is published with its file.');
  });

  it('adds, replaces (the old bytes stay in the history) and removes files', async () => {
    const added = await upload('/edit/document/annual-report/add', {
      file: { bytes: Buffer.from('Area,Births\nNorth,120\n'), name: 'births.csv' },
      fields: { fileTitle: 'the data' },
    });
    expect(added.status).toBe(303);
    expect(file('documents/annual-report/births.csv').toString()).toBe('Area,Births\nNorth,120\n');
    const page = await alice.get('/edit/document/annual-report');
    const version = /replace\/births\.csv[\s\S]*?name="version" value="([^"]+)"/.exec(page.text)![1]!;
    const replaced = await upload('/edit/document/annual-report/replace/births.csv', {
      file: { bytes: Buffer.from('Area,Births\nNorth,121\n'), name: 'whatever.csv' },
      fields: { version },
    });
    expect(replaced.status).toBe(303);
    expect(file('documents/annual-report/births.csv').toString()).toBe('Area,Births\nNorth,121\n');
    expect(git('show', 'HEAD~1:./documents/annual-report/births.csv')).toBe('Area,Births\nNorth,120\n');
    // A PDF cannot replace a CSV file: its address and type would change under visitors.
    const wrongType = await upload('/edit/document/annual-report/replace/births.csv', {
      file: { bytes: tinyPdf(), name: 'births.pdf' },
      fields: { version: 'x' },
    });
    expect(wrongType.text).toContain('can only be replaced by one');
    const again = await alice.get('/edit/document/annual-report');
    const current = /remove\/births\.csv[\s\S]*?name="version" value="([^"]+)"/.exec(again.text)![1]!;
    const removed = await alice.post('/edit/document/annual-report/remove/births.csv', {
      token: Browser.token(again.text),
      version: current,
    });
    expect(removed.status).toBe(303);
    expect(existsSync(path.join(t.contentDir, 'documents/annual-report/births.csv'))).toBe(false);
    expect(file('documents/annual-report/index.md').toString()).not.toContain('births.csv');
    const last = await alice.get('/edit/document/annual-report');
    const pdfVersion = /remove\/annual-report-final\.pdf[\s\S]*?name="version" value="([^"]+)"/.exec(last.text)![1]!;
    const refused = await alice.post('/edit/document/annual-report/remove/annual-report-final.pdf', {
      token: Browser.token(last.text),
      version: pdfVersion,
    });
    expect(refused.text).toContain('A document needs at least one file');
  });

  it('refuses a CSV file with ragged rows at its row and column, keeping what was typed', async () => {
    const before = folderHash(t.contentDir);
    const res = await newDocument('ragged', { bytes: Buffer.from('Area,Year,Births\nNorth,2010\n'), name: 'd.csv' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('row 2 has 2 cells but the header names 3 columns: column 3 is missing');
    expect(res.text).toContain('value="Report ragged"');
    expect(folderHash(t.contentDir)).toBe(before);
  });
});

/** Runs `use` with the editor listening on an ephemeral port of 127.0.0.1, for requests supertest cannot make. */
async function listening<T>(use: (port: number) => Promise<T>): Promise<T> {
  const server = http.createServer(t.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Alice's raw multipart POST of a new document, its body sent by the caller (length given, or chunked). */
function rawNewDocument(port: number, token: string, boundary: string, length?: number): http.ClientRequest {
  return http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/edit/documents/new?token=${encodeURIComponent(token)}`,
    headers: {
      Cookie: alice.cookieHeader(),
      'Sec-Fetch-Site': 'same-origin',
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      ...(length === undefined ? {} : { 'Content-Length': String(length) }),
    },
  });
}

/** Every file and folder under a folder (git's own objects aside): a temporary file would show here. */
const filesUnder = (folder: string) =>
  readdirSync(folder, { recursive: true })
    .map(String)
    .filter((f) => !f.includes(`.git${path.sep}`))
    .sort();

describe('hostile uploads', () => {
  const refusedUnchanged = async (res: Promise<request.Response>, status: number, text: RegExp) => {
    const before = folderHash(t.contentDir);
    const answer = await res;
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(text);
    expect(folderHash(t.contentDir)).toBe(before);
    return answer;
  };

  it('refuses an HTML file named .pdf, naming the types allowed', async () => {
    await refusedUnchanged(
      newDocument('html', { bytes: Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), name: 'report.pdf' }),
      200,
      /&quot;report\.pdf&quot; cannot be offered: it is a web page, XML or SVG file[^<]*a PDF, CSV, XLSX or ODS file/,
    );
  });

  it('refuses an SVG with a script, as a document and as a picture', async () => {
    await refusedUnchanged(
      newDocument('svg', { bytes: Buffer.from(HOSTILE_SVG), name: 'data.csv' }),
      200,
      /it is a web page, XML or SVG file/,
    );
    const token = await tokenFrom('/edit/images/about.md');
    await refusedUnchanged(
      upload('/edit/images/about.md', {
        token,
        file: { bytes: Buffer.from(HOSTILE_SVG), name: 'logo.png', type: 'image/png' },
        fields: { alt: 'Our logo' },
      }),
      200,
      /it is an SVG file, which can hold scripts/,
    );
  });

  it('refuses a ZIP bomb named .xlsx, from the sizes its directory declares, without unpacking it', async () => {
    await refusedUnchanged(
      newDocument('bomb', { bytes: zipBomb(), name: 'figures.xlsx' }),
      200,
      /would unpack to far more than it holds \(a &quot;zip bomb&quot;\)/,
    );
  });

  it('makes its own name for a file sent with a path in its name', async () => {
    const res = await newDocument('paths', { bytes: tinyXlsx(), name: '..\\..\\..\\etc/../../passwd.xlsx' });
    expect(res.status).toBe(303);
    expect(readdirSync(path.join(t.contentDir, 'documents/paths')).sort()).toEqual(['index.md', 'passwd.xlsx']);
    expect(existsSync(path.join(t.root, 'passwd.xlsx'))).toBe(false);
  });

  it('refuses a cross-site upload, one without its token and one without a session, before reading it', async () => {
    const form = {
      fields: { title: 'X', name: 'cross', category: 'C', summary: 'S.' },
      file: { bytes: tinyPdf(), name: 'x.pdf' },
    };
    await refusedUnchanged(
      upload('/edit/documents/new', { ...form, headers: { 'Sec-Fetch-Site': 'cross-site' } }),
      403,
      /could not be sent/,
    );
    await refusedUnchanged(upload('/edit/documents/new', { ...form, token: null }), 403, /was not uploaded/);
    await refusedUnchanged(upload('/edit/documents/new', { ...form, token: 'forged' }), 403, /was not uploaded/);
    const anonymous = request(t.handler)
      .post('/edit/documents/new?token=x')
      .set('Sec-Fetch-Site', 'same-origin')
      .attach('file', tinyPdf(), 'x.pdf');
    await refusedUnchanged(anonymous, 403, /signed out/);
    // An upload to an address that takes none is refused too, unread.
    await refusedUnchanged(
      upload('/edit/page/about.md', { ...form, token: await tokenFrom('/edit/') }),
      403,
      /was not uploaded/,
    );
  });

  it('answers a cross-site, tokenless or signed-out upload while its body is on the way, reading none', async () => {
    const token = await tokenFrom('/edit/');
    const before = folderHash(t.contentDir);
    const files = filesUnder(t.root);
    // Sends the headers and the start of a file, then waits: an answer can only come from checks made before parsing.
    const answerBeforeBody = (port: number, target: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const boundary = 'unfinished';
        const req = http.request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: target,
          headers: {
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
            'Content-Length': String(10 * 1024 * 1024),
            ...headers,
          },
        });
        const timer = setTimeout(() => reject(new Error('no answer before the body ended')), 5000);
        req.on('response', (res) => {
          clearTimeout(timer);
          res.resume();
          req.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => undefined);
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\n\r\n%PDF-1.7\n`);
      });
    const path = `/edit/documents/new?token=${encodeURIComponent(token)}`;
    const cookie = alice.cookieHeader();
    await listening(async (port) => {
      expect(await answerBeforeBody(port, path, { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
      expect(await answerBeforeBody(port, path, { Cookie: cookie, Origin: 'https://evil.example' })).toBe(403);
      const tokenless = { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' };
      expect(await answerBeforeBody(port, '/edit/documents/new', tokenless)).toBe(403);
      expect(await answerBeforeBody(port, path, { 'Sec-Fetch-Site': 'same-origin' })).toBe(403);
    });
    expect(folderHash(t.contentDir)).toBe(before);
    expect(filesUnder(t.root)).toEqual(files);
  });

  it('refuses a 1 GB upload at once when it says so, and cuts off one that does not: nothing is left', async () => {
    const token = await tokenFrom('/edit/');
    const before = folderHash(t.contentDir);
    const files = filesUnder(t.root);
    const send = (port: number, chunked: boolean) =>
      new Promise<{ status: number; sent: number }>((resolve, reject) => {
        const boundary = 'x1gb';
        const head = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n` +
            'Content-Type: text/csv\r\n\r\n',
        );
        const gigabyte = 1024 * 1024 * 1024;
        const req = rawNewDocument(port, token, boundary, chunked ? undefined : gigabyte + head.length);
        let sent = 0;
        let answered = false;
        const chunk = Buffer.alloc(1024 * 1024, 'a,b\n');
        req.on('response', (res) => {
          answered = true;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }));
          res.on('error', () => resolve({ status: res.statusCode ?? 0, sent }));
        });
        req.on('error', (error) => (answered ? undefined : reject(error)));
        // Made as it is sent, never stored: at most a megabyte at a time.
        const pump = () => {
          while (!answered && sent < gigabyte) {
            sent += chunk.length;
            if (!req.write(sent === chunk.length ? Buffer.concat([head, chunk]) : chunk))
              return void req.once('drain', pump);
          }
          if (!answered) req.end();
        };
        pump();
      });
    await listening(async (port) => {
      const announced = await send(port, false);
      expect(announced.status).toBe(413);
      expect(announced.sent).toBeLessThan(64 * 1024 * 1024);
      const streamed = await send(port, true);
      expect(streamed.status).toBe(413);
      expect(streamed.sent).toBeLessThan(200 * 1024 * 1024);
    });
    expect(folderHash(t.contentDir)).toBe(before);
    const hidden = readdirSync(t.contentDir, { recursive: true }).filter((f) => String(f).includes('store-tmp'));
    expect(hidden).toEqual([]);
    expect(filesUnder(t.root)).toEqual(files);
  }, 60_000);
});

describe('a busy editor', () => {
  it('tells an upload beyond the two at a time to try again, and the sender reads why instead of a reset', async () => {
    const token = await tokenFrom('/edit/');
    const boundary = 'busy';
    const head = (name: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: text/csv\r\n\r\n';
    const post = (port: number, length: number) => rawNewDocument(port, token, boundary, length);
    await listening(async (port) => {
      // Two uploads that send their start and then wait hold both places.
      const holding = [post(port, 10 * 1024 * 1024), post(port, 10 * 1024 * 1024)];
      for (const req of holding) {
        req.on('error', () => undefined);
        req.write(head('slow.csv'));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      try {
        // A third sends a whole 8 MB file straight away, as a browser does, and only then reads the answer.
        const body = Buffer.concat([
          Buffer.from(head('data.csv')),
          Buffer.alloc(8 * 1024 * 1024, 'a,b\n'),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const answer = await new Promise<{ status: number; text: string; retryAfter: string | undefined }>(
          (resolve, reject) => {
            const req = post(port, body.length);
            req.on('response', (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (text += c));
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, text, retryAfter: res.headers['retry-after'] }),
              );
            });
            req.on('error', reject);
            req.end(body);
          },
        );
        expect(answer.status).toBe(503);
        expect(answer.retryAfter).toBe('10');
        expect(answer.text).toContain('Other files are being uploaded. Try again in a moment.');
      } finally {
        for (const req of holding) req.destroy();
      }
    });
  }, 30_000);
});

describe('pictures from the browser', () => {
  it('stores a described picture beside the page and adds it; the page shows it with its size', async () => {
    const token = await tokenFrom('/edit/images/about.md');
    const res = await upload('/edit/images/about.md', {
      token,
      file: { bytes: tinyPng(40, 30), name: 'Team Photo.PNG', type: 'image/png' },
      fields: { alt: 'The project team [2010]', append: 'yes' },
    });
    expect(res.status).toBe(303);
    expect(file('team-photo.png').equals(tinyPng(40, 30))).toBe(true);
    expect(file('about.md').toString()).toMatch(/\n!\[The project team \\\[2010\\\]\]\(team-photo\.png\)\n$/);
    const page = (await request(t.handler).get('/about/')).text;
    const src = /<img src="(\/assets\/content\/team-photo\.[0-9a-f]{12}\.png)" width="40" height="30"/.exec(page)![1]!;
    expect((await request(t.handler).get(src)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const list = await alice.get('/edit/images/about.md?added=team-photo.png');
    expect(list.text).toContain('team-photo.png is uploaded and shown at the end of the page.');
    expect(list.text).toContain(`src="/edit${src}"`);
    expect((await alice.get(`/edit${src}`)).status).toBe(200);
  });

  it("shows a draft's picture to staff in the preview, never to visitors", async () => {
    const draft = 'picture-draft.md';
    await t.store.write(draft, Buffer.from('---\ntitle: Draft\ndescription: A draft.\ndraft: true\n---\n\nText.\n'), {
      expectedVersion: null,
    });
    await t.live.reload({ content: [draft], reason: 'test' });
    const token = await tokenFrom(`/edit/images/${draft}`);
    const res = await upload(`/edit/images/${draft}`, {
      token,
      file: { bytes: tinyPng(12, 9), name: 'secret-chart.png', type: 'image/png' },
      fields: { alt: 'A chart not yet published', append: 'yes' },
    });
    expect(res.status).toBe(303);
    const form = await alice.get(`/edit/page/${draft}`);
    const src = /src=&quot;(\/edit\/assets\/content\/secret-chart\.[0-9a-f]{12}\.png)&quot;/.exec(form.text)![1]!;
    expect((await alice.get(src)).status).toBe(200);
    expect((await request(t.handler).get(src.slice('/edit'.length))).status).toBe(404);
    expect((await request(t.handler).get(src)).status).toBe(303); // signed out: to sign-in
    // A picture wide enough to have copies for phones: every picture the preview names comes from the editor.
    const wide = await upload(`/edit/images/${draft}`, {
      token,
      file: { bytes: tinyPng(1000, 500), name: 'wide-chart.png', type: 'image/png' },
      fields: { alt: 'A wide chart not yet published', append: 'yes' },
    });
    expect(wide.status).toBe(303);
    const preview = (await alice.get(`/edit/page/${draft}`)).text;
    const named = [...preview.matchAll(/(\S*)\/assets\/content\/([a-z0-9.-]+)/g)];
    expect(named.map((m) => m[2])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^wide-chart\.[0-9a-f]{12}\.png$/)]),
    );
    for (const [address, before] of named) {
      expect(before).toMatch(/\/edit$/);
      expect((await alice.get(address!.slice(address!.indexOf('/edit/')))).status).toBe(200);
    }
  });

  it('asks for a description unless the picture is marked as decoration, and gives the line to write', async () => {
    const token = await tokenFrom('/edit/images/about.md');
    const missing = await upload('/edit/images/about.md', {
      token,
      file: { bytes: tinyPng(8, 8), name: 'border.png', type: 'image/png' },
    });
    expect(missing.text).toContain('Describe what the picture shows');
    const decorative = await upload('/edit/images/about.md', {
      token,
      file: { bytes: tinyPng(8, 8), name: 'border.png', type: 'image/png' },
      fields: { decorative: 'yes' },
    });
    expect(decorative.status).toBe(200);
    expect(decorative.text).toContain('<code class="app-markdown-line">![](border.png){decorative}</code>');
  });

  it('refuses to save a page whose picture has no description or no file, at the line of the picture', async () => {
    const { form } = await alice.openForm('/edit/page/about.md');
    const before = folderHash(t.contentDir);
    const res = await alice.post('/edit/page/about.md', {
      ...form,
      body: 'Our team.\n\n![](team-photo.png)\n\n![A chart](no-such-chart.png)\n',
      action: 'save',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="#body"');
    expect(res.text).toMatch(
      /id="body-error"[^>]*>[\s\S]*?Line 3: [^<]*&quot;team-photo\.png&quot; has no description/,
    );
    expect(res.text).toMatch(/Line 5: [^<]*&quot;no-such-chart\.png&quot; is missing/);
    expect(folderHash(t.contentDir)).toBe(before);
    const decorative = await alice.post('/edit/page/about.md', {
      ...form,
      body: 'Our team.\n\n![](team-photo.png){decorative}\n',
      action: 'save',
    });
    expect(decorative.status).toBe(303);
  });
});

describe('a picture added to the end of a page', () => {
  it('follows one blank line, in time proportional to the page, however many blank lines it holds', () => {
    expect(pageWithPicture('Text.\n\n\n', '![A chart](chart.png)')).toBe('Text.\n\n![A chart](chart.png)\n');
    expect(pageWithPicture('Text.', '![A chart](chart.png)')).toBe('Text.\n\n![A chart](chart.png)\n');
    // /\n*$/ tried every newline of a run as the start of the end: 100,000 blank lines then text took seconds of
    // the request thread (a 512 KB page, a minute and a half) while everyone else's requests waited.
    const text = `Text.${'\n'.repeat(100_000)}More text.\n`;
    const before = process.cpuUsage();
    expect(pageWithPicture(text, '![](x.png){decorative}')).toBe(`${text}\n![](x.png){decorative}\n`);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(200);
  });
});

describe('moving a page in the editor', () => {
  it('moves it, keeps the old address as a 301, and records who did it', async () => {
    const form = await alice.get('/edit/move/work-streams/maternity-systems-survey.md');
    expect(form.status).toBe(200);
    const res = await alice.post('/edit/move/work-streams/maternity-systems-survey.md', {
      token: Browser.token(form.text),
      address: 'work-streams/survey',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/edit/page/work-streams/survey.md?notice=moved');
    const old = await request(t.handler).get('/work-streams/maternity-systems-survey/').redirects(0);
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe('/work-streams/survey/');
    expect(readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8')).toContain('"event":"page-moved"');
    const refused = await alice.post('/edit/move/work-streams/survey.md', {
      token: Browser.token(form.text),
      address: 'about',
    });
    expect(refused.text).toContain('about.md already has the address /about/');
  });
});
