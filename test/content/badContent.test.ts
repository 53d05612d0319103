/**
 * The hostile-content suite from the project's pitfalls notes: every payload
 * is either refused with a diagnostic for its file, or rendered inert. A
 * marker file proves that no payload ran code, and each one is built under
 * a CPU budget (an upper bound, not a benchmark: a regression to
 * exponential or quadratic work blows far past it).
 */
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES } from '../../src/content/buildSite.js';
import type { Diagnostic } from '../../src/content/diagnostics.js';
import { MAX_DOCUMENT_FILE_BYTES } from '../../src/content/documents.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { isUnsafeUrl, parseTags, URL_ATTRIBUTES } from '../helpers/html.js';
import { BUNDLED_SETTINGS, buildFromFiles, minimalFiles, page, SITE_URL } from '../helpers/site.js';

const MARKER = path.join(os.tmpdir(), `payload-marker-${process.pid}-${Date.now()}`);
const CPU_BUDGET_MS = 100;
/** Fixed inline scripts and module scripts a clean page carries; a payload must not add any. */
const CLEAN_PAGE = page('title: Clean\ndescription: A clean page.');

/** Front matter that writes the marker file if any engine evaluates it. */
const CODE = `{ title: require('fs').writeFileSync(${JSON.stringify(MARKER)}, 'ran') || 'Ran', description: 'x' }`;

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

interface Outcome {
  errors: Diagnostic[];
  /** Every rendered HTML document of the site, when it built. */
  html: string[];
  cpuMs: number;
}

/** Builds (and, if it builds, renders) a minimal site plus the payload file, timing the build. */
function buildWith(files: Record<string, string>): Outcome {
  let result!: ReturnType<typeof buildFromFiles>;
  const used = cpuMs(() => {
    result = buildFromFiles(minimalFiles(files));
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.site) return { errors, html: [], cpuMs: used };
  const rendered = renderSite(result.site, { siteUrl: SITE_URL });
  const html = [...rendered.pages.values(), rendered.notFound, rendered.serverError].map((p) =>
    p.body.toString('utf8'),
  );
  return { errors, html, cpuMs: used };
}

function expectRefused(outcome: Outcome, file: string, message: RegExp): void {
  expect(outcome.html, 'the site must not build').toEqual([]);
  const forFile = outcome.errors.filter((d) => d.file === file);
  expect(forFile.length, JSON.stringify(outcome.errors)).toBeGreaterThan(0);
  expect(forFile.map((d) => d.message).join('\n')).toMatch(message);
  expect(forFile.length, 'a bad file reports a handful of problems, not thousands').toBeLessThanOrEqual(20);
}

let baselineScripts = 0;

function expectInert(outcome: Outcome): void {
  expect(outcome.errors, JSON.stringify(outcome.errors)).toEqual([]);
  expect(outcome.html.length).toBeGreaterThan(0);
  for (const html of outcome.html) {
    const tags = parseTags(html);
    expect(tags.filter((t) => t.name === 'script').length, 'no script element may be added').toBe(baselineScripts);
    expect(
      tags
        .filter(
          (t) => ['iframe', 'object', 'embed', 'style', 'form', 'base', 'img', 'svg'].includes(t.name) && !isOwnSvg(t),
        )
        .map((t) => t.name),
    ).toEqual([]);
    for (const tag of tags) {
      for (const [name, value] of tag.attributes) {
        expect(name, `event handler on <${tag.name}>`).not.toMatch(/^on/);
        expect(name, `inline style on <${tag.name}>`).not.toBe('style');
        if (URL_ATTRIBUTES.has(name))
          expect(isUnsafeUrl(value), `unsafe URL ${JSON.stringify(value)} on <${tag.name}>`).toBe(false);
      }
    }
  }
}

/**
 * The layout's own SVGs (header logo, search icon, attachment icon) and header search form are the only ones a page may
 * carry.
 */
function isOwnSvg(tag: { name: string; attributes: [string, string][] }): boolean {
  const hasClass = (classes: string[]) => tag.attributes.some(([n, v]) => n === 'class' && classes.includes(v));
  if (tag.name === 'form') return hasClass(['nhsuk-header__search-form']);
  return (
    tag.name === 'svg' && hasClass(['nhsuk-header__logo', 'nhsuk-icon nhsuk-icon--search', 'app-attachment__icon'])
  );
}

beforeAll(() => {
  rmSync(MARKER, { force: true });
  // Warm the parsers once, so the budget measures the payload, not the JIT.
  for (let i = 0; i < 3; i++) buildWith({ 'clean.md': CLEAN_PAGE });
  const clean = buildWith({ 'clean.md': CLEAN_PAGE });
  baselineScripts = parseTags(clean.html[0]!).filter((t) => t.name === 'script').length;
  expect(baselineScripts).toBeGreaterThan(0);
});

afterAll(() => rmSync(MARKER, { force: true }));

describe('the marker file', () => {
  it('is written when gray-matter is used as it comes (so the suite below can detect code running)', () => {
    const require = createRequire(import.meta.url);
    const matter = require('gray-matter') as (s: string, o?: object) => unknown;
    matter(`---js\n${CODE}\n---\nbody`, {});
    expect(existsSync(MARKER)).toBe(true);
    rmSync(MARKER);
  });
});

describe('JavaScript and other front matter languages are refused, and no code runs', () => {
  const openers = [
    '---js',
    '---javascript',
    '---JavaScript',
    '--- js ',
    '---JS',
    '---Js',
    '--- javascript',
    '---js   ',
    '---coffee',
    '---coffeescript',
    '---json',
    '---toml',
    '---yaml',
    '---;',
    '----',
    '---\t js',
  ];
  for (const opener of openers) {
    it(`refuses ${JSON.stringify(opener)}`, () => {
      for (const text of [`${opener}\n${CODE}\n---\nBody.\n`, `\uFEFF${opener}\r\n${CODE}\r\n---\r\nBody.\r\n`]) {
        const outcome = buildWith({ 'payload.md': text });
        expectRefused(outcome, 'payload.md', /exactly "---"/);
        expect(existsSync(MARKER), 'the payload ran code').toBe(false);
        expect(outcome.cpuMs).toBeLessThan(CPU_BUDGET_MS);
      }
    });
  }
});

/** YAML payloads in front matter: [name, front matter text, expected message]. */
const YAML_BOMBS: [string, string, RegExp][] = [
  [
    'billion laughs (nested aliases)',
    [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
      'title: x',
      'description: y',
    ].join('\n'),
    /aliases|anchors/,
  ],
  [
    'thousands of aliases in one list',
    `a: &a lol\ntitle: [${Array(3000).fill('*a').join(',')}]\ndescription: y`,
    /more than 256 items|aliases|larger than/,
  ],
  [
    'deeply nested brackets',
    `title: x\ndescription: ${'['.repeat(5000)}${']'.repeat(5000)}`,
    /nested more than 32 deep/,
  ],
  [
    'deeply nested braces',
    `title: x\ndescription: ${'{a: '.repeat(2000)}1${'}'.repeat(2000)}`,
    /nested more than 32 deep|larger than/,
  ],
  [
    'deeply nested block maps',
    [
      'title: x',
      'description: y',
      ...Array.from({ length: 170 }, (_, i) => `${' '.repeat(i)}k${i}:`),
      `${' '.repeat(170)}v`,
    ].join('\n'),
    /more than 200 lines|unknown key|larger than/,
  ],
  [
    'deeply nested block lists',
    [
      'title: x',
      'description: y',
      'documents:',
      ...Array.from({ length: 150 }, (_, i) => `${' '.repeat(i + 1)}-`),
      `${' '.repeat(152)}a`,
    ].join('\n'),
    /document|list|must/,
  ],
  [
    'thousands of merge keys, one a line',
    ['title: x', 'description: y', ...Array(3000).fill('<<: {}')].join('\n'),
    /more than 200 lines|larger than/,
  ],
  [
    'thousands of merge keys in one map',
    `title: x\ndescription: y\nnavigation: {${Array(2000).fill('<<: {}').join(', ')}}`,
    /more than 256 items/,
  ],
  ['a merge key', 'base: &b {title: x}\n<<: *b\ndescription: y', /merge keys|aliases|anchors/],
  [
    'a few merge keys',
    `title: x\ndescription: y\nnavigation:\n${Array(150).fill('  <<: {order: 1}').join('\n')}`,
    /merge keys/,
  ],
  [
    'thousands of duplicate keys in one map',
    `title: x\ndescription: y\nnavigation: {${Array(255).fill('order: 1').join(', ')}}`,
    /appears twice/,
  ],
  ['__proto__ key', 'title: x\ndescription: y\n__proto__: {polluted: yes}', /"__proto__" is not allowed/],
  [
    'nested __proto__ key',
    'title: x\ndescription: y\nnavigation:\n  __proto__:\n    polluted: yes',
    /"__proto__" is not allowed/,
  ],
  ['quoted __proto__ key', 'title: x\ndescription: y\n"__proto__": {polluted: yes}', /"__proto__" is not allowed/],
  [
    'constructor.prototype keys',
    'title: x\ndescription: y\nconstructor:\n  prototype:\n    polluted: yes',
    /"constructor" is not allowed/,
  ],
  ['!!binary tag', 'title: !!binary aGVsbG8=\ndescription: y', /tags/],
  ['!!js/function tag', "title: !!js/function 'function () { return 1 }'\ndescription: y", /tags/],
  ['!!python/object tag', 'title: !!python/object:os.system [echo]\ndescription: y', /tags/],
  ['custom local tag', 'title: !include /etc/passwd\ndescription: y', /tags/],
  [
    '!!omap on a map (which dropped its settings)',
    'title: x\ndescription: y\nnavigation: !!omap\n  - order: 1',
    /tags like !!omap are not allowed/,
  ],
  ['!!map on a map', 'title: x\ndescription: y\nnavigation: !!map\n  order: 1', /tags like !!map are not allowed/],
  ['!!set on a flow map', 'title: x\ndescription: y\ndocuments: !!set {a, b}', /tags like !!set are not allowed/],
  ['a tag on the whole front matter', '!!map\ntitle: x\ndescription: y', /tags like !!map are not allowed/],
  ['verbatim tag', 'title: !<tag:yaml.org,2002:binary> aGVsbG8=\ndescription: y', /tags/],
  ['%TAG directive', '%TAG !e! tag:evil.example,2000:\n---\ntitle: !e!x y\ndescription: y', /YAML|tag|---/],
  [
    'timestamps stay text and are checked',
    'title: x\ndescription: y\npublished: 2024-13-45',
    /not a real calendar date/,
  ],
  ['oversized front matter (20 KB)', `title: x\ndescription: y\n# ${'a'.repeat(20 * 1024)}`, /larger than 16 KB/],
  [
    'oversized front matter (5 MB)',
    `title: x\ndescription: y\n# ${'a'.repeat(5 * 1024 * 1024)}`,
    /larger than 16 KB|page is larger than 512 KB/,
  ],
  ['thousands of lines', `title: x\ndescription: y\n${Array(5000).fill('#').join('\n')}`, /more than 200 lines/],
  [
    'an unclosed block with a large body',
    `title: x\ndescription: y\n${'body line\n'.repeat(200_000)}`,
    /never closed|more than 200 lines|larger than/,
  ],
];

describe('YAML bombs and unsafe YAML are refused cheaply', () => {
  for (const [name, yaml, message] of YAML_BOMBS) {
    it(`refuses ${name}`, () => {
      const outcome = buildWith({ 'payload.md': `---\n${yaml}\n---\nBody.\n` });
      expectRefused(outcome, 'payload.md', message);
      expect(outcome.cpuMs, `${name} cost ${outcome.cpuMs.toFixed(1)} ms of CPU`).toBeLessThan(CPU_BUDGET_MS);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(existsSync(MARKER)).toBe(false);
    });
  }

  it('refuses tags on the maps of site.yml', () => {
    const outcome = buildWith({
      'site.yml': BUNDLED_SETTINGS.replace('organisation:', 'organisation: !!omap').replace('labels:', 'labels: !!map'),
    });
    expect(outcome.html).toEqual([]);
    expect(outcome.errors.filter((d) => d.file === 'site.yml').map((d) => d.message)).toEqual(
      expect.arrayContaining([
        'YAML tags like !!omap are not allowed: write a plain value',
        'YAML tags like !!map are not allowed: write a plain value',
      ]),
    );
  });

  it('refuses the same bombs in site.yml', () => {
    for (const [name, yaml] of YAML_BOMBS.slice(0, 4)) {
      const outcome = buildWith({ 'site.yml': yaml });
      expect(outcome.html, name).toEqual([]);
      expect(
        outcome.errors.some((d) => d.file === 'site.yml'),
        name,
      ).toBe(true);
      expect(outcome.cpuMs, name).toBeLessThan(CPU_BUDGET_MS);
    }
  });
});

/** Strings that try to break out of text, attributes, templates or the title element. */
const MARKUP_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '" onfocus="alert(1)" autofocus="',
  '</title><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '{{ 7*7 }} {% raw %}',
  '${7*7} #{7*7}',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  'javascript:alert(1)',
  '\u2028<iframe src=javascript:alert(1)>',
];

/**
 * Every front matter field that reaches a template, with how to place a
 * payload in it. Document summaries arrive with the documents feature (on
 * another branch): add their field here when it lands, e.g.
 * `['document summary', (p) => ...]`, so that they are covered the same way.
 */
const FIELDS_REACHING_TEMPLATES: [string, (payload: string) => string][] = [
  ['title', (p) => `title: ${JSON.stringify(p)}\ndescription: A page.`],
  ['description', (p) => `title: A page\ndescription: ${JSON.stringify(p)}`],
  [
    'navigation title',
    (p) => `title: A page\ndescription: A page.\nnavigation:\n  title: ${JSON.stringify(p.slice(0, 60))}`,
  ],
];

describe('markup in a document summary is rendered as text', () => {
  for (const payload of MARKUP_PAYLOADS) {
    it(JSON.stringify(payload), () => {
      const document = page(
        `title: A document\ndescription: A document.\nsummary: ` +
          `${JSON.stringify(payload)}\ncategory: Reports\npublished: ` +
          `2026-11-25\nfiles:\n  - file: data.csv`,
      );
      const outcome = buildWith({
        'documents/index.md': page('title: Documents\ndescription: All documents.'),
        'documents/doc/index.md': document,
        'documents/doc/data.csv': 'a,b\n1,2\n',
      });
      if (outcome.errors.length > 0)
        return expectRefused(outcome, 'documents/doc/index.md', /control characters|line breaks/);
      expectInert(outcome);
      expect(outcome.html.join('\n').includes(escapeHtml(payload.trim())), 'escaped summary').toBe(true);
      expect(outcome.cpuMs).toBeLessThan(CPU_BUDGET_MS);
    });
  }
});

describe('markup in front matter fields is rendered as text', () => {
  for (const [field, place] of FIELDS_REACHING_TEMPLATES) {
    for (const payload of MARKUP_PAYLOADS) {
      it(`${field}: ${JSON.stringify(payload)}`, () => {
        const outcome = buildWith({
          'payload.md': page(place(payload)),
          'child/index.md': page('title: Child\ndescription: A child.'),
        });
        // Control characters are refused by the schema; everything else renders inert.
        if (/[\u2028]/.test(payload)) {
          if (outcome.errors.length > 0) return expectRefused(outcome, 'payload.md', /control characters|line breaks/);
        }
        expectInert(outcome);
        const all = outcome.html.join('\n');
        // The text is there, escaped, and template syntax was not evaluated.
        const visible = payload.slice(0, field === 'navigation title' ? 60 : undefined).trim();
        expect(all.includes(escapeHtml(visible)), `escaped text of ${JSON.stringify(visible)}`).toBe(true);
        expect(outcome.cpuMs).toBeLessThan(CPU_BUDGET_MS);
      });
    }
  }
});

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Markdown that tries to produce script URLs, event handlers or raw HTML. */
const MARKDOWN_PAYLOADS = [
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;avascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](file:///etc/passwd)',
  '[click](//evil.example/)',
  '[click](\\\\evil.example\\share)',
  '![img](javascript:alert(1))',
  '![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<javascript:alert(1)>',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '[click](" onmouseover="alert(1))',
  '[click](https://example.org/" onmouseover="alert(1))',
  '[click](https://example.org "title\\" onmouseover=\\"alert(1)")',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '<div style="position:fixed">x</div>',
  '| a | b |\n|--:|:-:|\n| 1 | 2 |',
  '{{ 7*7 }}',
  '[click](https://example.org/{{ 7*7 }})',
];

describe('Markdown link and HTML payloads are rendered inert', () => {
  for (const payload of MARKDOWN_PAYLOADS) {
    it(JSON.stringify(payload), () => {
      const outcome = buildWith({
        'payload.md': page('title: Links\ndescription: Link payloads.', `Some text.\n\n${payload}\n`),
      });
      if (outcome.errors.length > 0) {
        // A refusal must name the file and the line of the payload.
        expectRefused(outcome, 'payload.md', /./);
        expect(outcome.errors.every((d) => d.line >= 5)).toBe(true);
      } else {
        expectInert(outcome);
      }
      expect(outcome.cpuMs).toBeLessThan(CPU_BUDGET_MS);
    });
  }

  it('emits table alignment as classes, not style attributes', () => {
    const outcome = buildWith({
      'payload.md': page('title: Table\ndescription: A table.', '| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n'),
    });
    expectInert(outcome);
    const html = outcome.html.join('\n');
    expect(html).toContain('class="app-align-left"');
    expect(html).toContain('class="app-align-center"');
    expect(html).toContain('class="app-align-right"');
  });

  it('keeps a very long body cheap to build', () => {
    const paragraph = 'A paragraph with a [link](https://example.org/) and *emphasis*.\n\n';
    const body = `${paragraph.repeat(2000)}${'['.repeat(10_000)}${'*'.repeat(10_000)}`;
    const outcome = buildWith({ 'payload.md': page('title: Long\ndescription: A long page.', body) });
    expect(outcome.errors).toEqual([]);
    expect(outcome.cpuMs).toBeLessThan(CPU_BUDGET_MS * 5);
  });
});

/**
 * Shapes that once cost the square of a file's size, at the per-file size
 * limits. Each is bounded in CPU per file (build, then rendering the page):
 * generous for a shared machine, yet a quadratic loop at these sizes would
 * cost minutes (42 KB of equal headings cost 7 s, 300 KB of PDF page tree
 * nodes 4.9 s, 120 KB of links 1.2 s).
 */
describe('content of the worst shapes at the size limits costs time in proportion to its size', () => {
  const head = 'title: Worst shape\ndescription: A page at the size limit.';
  /** A page of `unit` repeated up to the page size limit. */
  const pageOf = (unit: string) => page(head, unit.repeat(Math.floor((MAX_PAGE_BYTES - 200) / unit.length)));
  /** 100 ms plus 6 ms per KB: 3.2 s for a page at the limit (about 1.2 s measured for the worst). */
  const pageBound = (text: string) => CPU_BUDGET_MS + (Buffer.byteLength(text) / 1024) * 6;

  /** Builds the site and renders the one page, timing both. */
  function buildAndRender(
    files: Record<string, string>,
    url: string,
  ): { errors: Diagnostic[]; cpuMs: number; page: string } {
    let result!: ReturnType<typeof buildFromFiles>;
    let used = cpuMs(() => {
      result = buildFromFiles(minimalFiles(files));
    });
    let html = '';
    if (result.site) {
      const rendered = renderSite(result.site, { siteUrl: SITE_URL });
      used += cpuMs(() => {
        html = rendered.pages.get(url)?.body.toString('utf8') ?? '';
      });
    }
    return { errors: result.diagnostics.filter((d) => d.severity === 'error'), cpuMs: used, page: html };
  }

  it('many headings with the same text get unique ids', () => {
    const text = pageOf('## a\n\n');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    const outcome = buildAndRender({ 'worst.md': text }, '/worst/');
    expect(outcome.errors).toEqual([]);
    const count = (text.match(/^## a$/gm) ?? []).length;
    expect(outcome.page).toContain(`id="section-a-${count}"`);
    expect(outcome.cpuMs, `cost ${outcome.cpuMs.toFixed(0)} ms`).toBeLessThan(pageBound(text));
  });

  it('headings whose numbered ids are taken already still get unique ids', () => {
    // "a 2" … "a 5001" take the ids the duplicates of "a" would get first.
    const numbered = Array.from({ length: 5000 }, (_, i) => `## a ${i + 2}\n\n`).join('');
    const text = page(head, `${numbered}${'## a\n\n'.repeat(20_000)}`);
    const result = buildFromFiles(minimalFiles({ 'worst.md': text }));
    const ids = result.site!.pages.get('/worst/')!.headings.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[5000]).toBe('section-a');
    expect(ids[5001]).toBe('section-a-5002');
    const used = cpuMs(() => buildFromFiles(minimalFiles({ 'worst.md': text })));
    expect(used).toBeLessThan(pageBound(text));
  });

  it('many links whose address is not written as it resolves', () => {
    // "&#47;" resolves to "/": no text of the paragraph matches the address.
    const text = pageOf('[home](&#47;) ');
    const outcome = buildAndRender({ 'worst.md': text }, '/worst/');
    expect(outcome.errors).toEqual([]);
    expect(outcome.cpuMs, `cost ${outcome.cpuMs.toFixed(0)} ms`).toBeLessThan(pageBound(text));
  });

  it('many broken links are reported a few at a time, each at its own column', () => {
    const text = pageOf('[x](<no such>) ');
    const outcome = buildWith({ 'worst.md': text });
    expectRefused(outcome, 'worst.md', /no%20such|no such/);
    const located = outcome.errors.filter((d) => d.line === 5);
    expect(located.map((d) => d.column).slice(0, 3)).toEqual([6, 21, 36]);
    expect(outcome.errors.at(-1)!.message).toMatch(/more links on this page have problems/);
    expect(outcome.cpuMs).toBeLessThan(pageBound(text));
  });

  it('links in a very wide table', () => {
    const cell = '| \\| [home](&#47;) ';
    const text = page(
      head,
      `| a | b |\n|---|---|\n${cell.repeat(Math.floor((MAX_PAGE_BYTES - 300) / cell.length))}|\n`,
    );
    const outcome = buildAndRender({ 'worst.md': text }, '/worst/');
    expect(outcome.errors).toEqual([]);
    expect(outcome.cpuMs).toBeLessThan(pageBound(text));
  });

  it('HTML among runs of backticks of every length, and tab-indented lines, are warned about a few at a time', () => {
    const runs = Array.from({ length: 400 }, (_, i) => `${'`'.repeat(i + 1)}a`).join('');
    const unit = '`a` <b> ';
    const room = MAX_PAGE_BYTES - 300 - runs.length;
    const text = page(head, `${runs} <b>x</b>\n\n${unit.repeat(Math.floor(room / unit.length))}\n\n\tcode\n`);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    const outcome = buildWith({ 'worst.md': text });
    expect(outcome.errors).toEqual([]);
    expect(outcome.cpuMs, `cost ${outcome.cpuMs.toFixed(0)} ms`).toBeLessThan(pageBound(text));
  });

  it('many unknown placeholders are reported a few at a time', () => {
    const text = pageOf('{{nope}} ');
    const outcome = buildWith({ 'worst.md': text });
    expectRefused(outcome, 'worst.md', /unknown placeholder \{\{nope\}\}/);
    expect(outcome.cpuMs).toBeLessThan(pageBound(text));
  });

  it('a page over the size limit is refused before it is parsed', () => {
    const text = page(head, '## a\n\n'.repeat(Math.ceil(MAX_PAGE_BYTES / 6)));
    const outcome = buildWith({ 'worst.md': text });
    expectRefused(outcome, 'worst.md', /larger than 512 KB: split it into several pages/);
    expect(outcome.cpuMs).toBeLessThan(CPU_BUDGET_MS);
  });

  /** A document with one file, at the document file size limit. */
  const documentWith = (name: string, bytes: string) => ({
    'documents/index.md': page('title: Documents\ndescription: All documents.'),
    'documents/doc/index.md': page(
      `title: A document\ndescription: A document.\nsummary: A ` +
        `document.\ncategory: Reports\npublished: 2026-11-25\nfiles:\n  - file: ${name}`,
    ),
    [`documents/doc/${name}`]: bytes,
  });
  /** 200 ms plus 60 ms per MB: 3.2 s for a file at the 50 MB limit. */
  const fileBound = (bytes: number) => 200 + (bytes / 1024 / 1024) * 60;

  it('a PDF of page tree nodes and no objects', () => {
    const unit = '/Type/Pages';
    const pdf = `%PDF-1.4\n${unit.repeat(Math.floor((MAX_DOCUMENT_FILE_BYTES - 9) / unit.length))}`;
    const outcome = buildWith(documentWith('worst.pdf', pdf));
    expect(outcome.errors).toEqual([]);
    expect(outcome.cpuMs, `cost ${outcome.cpuMs.toFixed(0)} ms`).toBeLessThan(fileBound(pdf.length));
  });

  it('a CSV file of short rows and formulas', () => {
    const unit = '=1,2\n';
    const csv = `a,b\n${unit.repeat(Math.floor((MAX_DOCUMENT_FILE_BYTES - 4) / unit.length))}`;
    const outcome = buildWith(documentWith('worst.csv', csv));
    expect(outcome.errors).toEqual([]);
    expect(outcome.cpuMs, `cost ${outcome.cpuMs.toFixed(0)} ms`).toBeLessThan(fileBound(csv.length));
  });
});
