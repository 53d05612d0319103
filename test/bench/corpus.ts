/**
 * A seeded generator of synthetic content in our format, for benchmarks:
 * N pages in sections of at most 400 (ten of them up to 4,000 pages), about
 * 600 words each, with headings, lists, a table and links to other pages.
 * The same seed always gives the same files. Every page's sidebar lists its
 * section, so sections keep their size as the site grows, as a real site's
 * do: with ten sections at any size, 16,000 pages held 3.5 GB of HTML, each
 * page eight times the size it has at 4,000, and no engine could grow linearly.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

/** The number of sections of a corpus of this many pages: ten, or more of 400 pages each. */
export function sectionsFor(pages: number): number {
  return Math.max(10, Math.ceil(pages / 400));
}

const WORDS = (
  'maternity perinatal infant care midwife region trust data quality indicator review report framework audit ' +
  'outcome service baby mother health evidence practice network survey governance local implementation group ' +
  'analysis collection standard routine enquiry team clinical pathway support record measure target rationale ' +
  'improvement programme project stream annual quarterly policy guidance training community hospital unit'
).split(' ');

/** mulberry32: small, fast, good enough for reproducible text. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CorpusPage {
  section: number;
  index: number;
  slug: string;
  url: string;
  title: string;
  body: string;
}

export function corpusPages(pages = 4000, seed = 1): CorpusPage[] {
  const rand = random(seed);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const sentence = (n: number) => {
    const words = Array.from({ length: n }, pick);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')}.`;
  };
  const paragraph = (sentences: number) =>
    Array.from({ length: sentences }, () => sentence(8 + Math.floor(rand() * 8))).join(' ');
  const sections = sectionsFor(pages);
  const perSection = Math.ceil(pages / sections);
  const list: CorpusPage[] = [];
  for (let i = 0; i < pages; i++) {
    const section = i % sections;
    const index = Math.floor(i / sections);
    const slug = `page-${String(index).padStart(4, '0')}`;
    list.push({
      section,
      index,
      slug,
      url: `/section-${section}/${slug}/`,
      title: `${pick()} ${pick()} ${index}`.replace(/^./, (c) => c.toUpperCase()),
      body: '',
    });
  }
  for (const page of list) {
    const link = () => {
      const other = list[Math.floor(rand() * list.length)]!;
      return `[${other.title.toLowerCase()}](${other.url})`;
    };
    const rows = Array.from(
      { length: 5 },
      (_, r) => `| ${pick()} ${r} | ${Math.floor(rand() * 1000)} | ${pick()} |`,
    ).join('\n');
    page.body = [
      paragraph(4),
      `## ${sentence(3).slice(0, -1)}`,
      `${paragraph(4)} See ${link()} and ${link()}.`,
      ['- ' + sentence(6), '- ' + sentence(7), '- ' + sentence(5), `- ${link()}`].join('\n'),
      `## ${sentence(2).slice(0, -1)}`,
      paragraph(5),
      `| Item | Count | Note |\n| :-- | --: | --- |\n${rows}`,
      `### ${sentence(3).slice(0, -1)}`,
      `${paragraph(5)} Read ${link()}.`,
      `## ${sentence(3).slice(0, -1)}`,
      paragraph(4),
    ].join('\n\n');
  }
  void perSection;
  return list;
}

/** Writes the corpus as a content folder (with the bundled site.yml) into dir, replacing it. */
export function generateCorpus(dir: string, pages = 4000, seed = 1): CorpusPage[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'site.yml'), readFileSync(path.join(PROJECT_ROOT, 'content', 'site.yml')));
  const frontMatter = (title: string, order?: number) =>
    `---\ntitle: "${title}"\ndescription: "A synthetic page for benchmarks: ` +
    `${title}."\n${order === undefined ? '' : `navigation:\n  order: ${order}\n`}lastReviewed: ` +
    `2026-11-25\nnextReviewDue: 2027-11-25\n---\n\n`;
  writeFileSync(path.join(dir, 'index.md'), `${frontMatter('Benchmark home', 0)}A synthetic site.\n`);
  writeFileSync(
    path.join(dir, '404.md'),
    '---\ntitle: Page not found\ndescription: Not found.\nnavigation:\n  hidden: true\n---\n\nCheck the address.\n',
  );
  for (let s = 0; s < sectionsFor(pages); s++) {
    mkdirSync(path.join(dir, `section-${s}`), { recursive: true });
    writeFileSync(
      path.join(dir, `section-${s}`, 'index.md'),
      `${frontMatter(`Section ${s}`, s + 1)}Pages in section ${s}.\n`,
    );
  }
  const list = corpusPages(pages, seed);
  for (const page of list) {
    writeFileSync(
      path.join(dir, `section-${page.section}`, `${page.slug}.md`),
      `${frontMatter(page.title, page.index)}${page.body}\n`,
    );
  }
  addFooterPages(dir);
  return list;
}

/**
 * The bundled site.yml links its footer to pages of the bundled site (about,
 * accessibility, documents): a corpus that uses it gets a short page at each
 * of those addresses it lacks, so that its links hold.
 */
export function addFooterPages(dir: string): string[] {
  const settings = readFileSync(path.join(dir, 'site.yml'), 'utf8');
  const added: string[] = [];
  for (const [, url] of settings.matchAll(/^\s+href: (\/[a-z0-9/-]*\/)$/gm)) {
    if (url === '/a-z/') continue; // the engine's own page
    const file = path.join(dir, `${url!.slice(1, -1)}.md`);
    const index = path.join(dir, url!.slice(1), 'index.md');
    if (existsSync(file) || existsSync(index)) continue;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `---\ntitle: "Footer page ${url}"\ndescription: "A synthetic page the footer links to."\n` +
        `navigation:\n  hidden: true\nlastReviewed: 2026-11-25\nnextReviewDue: 2027-11-25\n---\n\nA page.\n`,
    );
    added.push(url!);
  }
  return added;
}
