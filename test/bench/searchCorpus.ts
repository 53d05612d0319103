/**
 * A seeded corpus for the search benchmark. The main corpus (corpus.ts)
 * draws from sixty words, so every word is on every page: fine for
 * rendering, but the worst case for a search index, and nothing like a real
 * site. This one draws words from a 30,000-word vocabulary with the Zipf
 * distribution of natural language (a few words very common, most rare), with
 * English-like endings so that stemming has forms to join, in the same page
 * shape as the main corpus (title, description, headings, lists, a table)
 * plus a few documents with CSV files.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';
import { addFooterPages, random, sectionsFor } from './corpus.js';

export const VOCABULARY = 30_000;
const SYLLABLES = (
  'ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go ha he ' +
  'hi ho la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ' +
  'ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi ya yo za ze zi'
).split(' ');
const ENDINGS = ['', '', '', '', 's', 'ing', 'ed', 'er', 'ation', 'al', 'ity', 'ness'];

export interface SearchCorpus {
  /** Words by frequency rank (0 is the most common). */
  words: string[];
  urls: string[];
  /** Picks a word by rank in [from, to): for generating queries. */
  word(rank: number): string;
}

export function generateSearchCorpus(dir: string, pages = 4000, seed = 7): SearchCorpus {
  // Sections of at most 400 pages, as in corpus.ts.
  const sections = sectionsFor(pages);
  const rand = random(seed);
  const stems = new Set<string>();
  const words: string[] = [];
  while (words.length < VOCABULARY) {
    const stem = Array.from(
      { length: 2 + Math.floor(rand() * 3) },
      () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)],
    ).join('');
    if (stems.has(stem)) continue;
    stems.add(stem);
    // Some stems come in several forms ("audit", "audits", "auditing"), as English words do.
    const forms = rand() < 0.3 ? 1 + Math.floor(rand() * 3) : 1;
    for (let f = 0; f < forms && words.length < VOCABULARY; f++)
      words.push(stem + ENDINGS[f === 0 ? 0 : Math.floor(rand() * ENDINGS.length)]!);
  }
  // Zipf: P(rank r) proportional to 1 / (r + 1); sampled through the cumulative table.
  const cumulative = new Float64Array(VOCABULARY);
  let total = 0;
  for (let r = 0; r < VOCABULARY; r++) cumulative[r] = total += 1 / (r + 1);
  const zipf = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = VOCABULARY - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const midWord = () => words[50 + Math.floor(rand() * 5000)]!;
  const sentence = (n: number) => {
    const s = Array.from({ length: n }, zipf).join(' ');
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = (n: number) => Array.from({ length: n }, () => sentence(8 + Math.floor(rand() * 10))).join(' ');
  const title = () => {
    const t = Array.from({ length: 2 + Math.floor(rand() * 4) }, midWord).join(' ');
    return t.charAt(0).toUpperCase() + t.slice(1);
  };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'site.yml'), readFileSync(path.join(PROJECT_ROOT, 'content', 'site.yml')));
  const frontMatter = (t: string, description: string, order?: number) =>
    `---\ntitle: "${t}"\ndescription: "${description}"\n` +
    (order === undefined ? '' : `navigation:\n  order: ${order}\n`) +
    `published: 2026-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 10)}\n---\n\n`;
  writeFileSync(
    path.join(dir, 'index.md'),
    `${frontMatter('Benchmark home', 'A synthetic site.', 0)}A synthetic site for the search benchmark.\n`,
  );
  writeFileSync(
    path.join(dir, '404.md'),
    '---\ntitle: Page not found\ndescription: Not found.\nnavigation:\n  hidden: true\n---\n\nCheck the address.\n',
  );
  const urls: string[] = ['/'];
  for (let s = 0; s < sections; s++) {
    mkdirSync(path.join(dir, `section-${s}`), { recursive: true });
    writeFileSync(
      path.join(dir, `section-${s}`, 'index.md'),
      `${frontMatter(`Section ${s}`, `Pages in section ${s}.`, s + 1)}Pages in section ${s}.\n`,
    );
    urls.push(`/section-${s}/`);
  }
  const documents = Math.min(40, Math.floor(pages / 100));
  for (let i = 0; i < pages - documents; i++) {
    const s = i % sections;
    const slug = `page-${String(Math.floor(i / sections)).padStart(4, '0')}`;
    const rows = Array.from(
      { length: 5 },
      (_, r) => `| ${zipf()} ${r} | ${Math.floor(rand() * 1000)} | ${zipf()} |`,
    ).join('\n');
    const body = [
      paragraph(4),
      `## ${title()}`,
      paragraph(4),
      ['- ' + sentence(6), '- ' + sentence(7), '- ' + sentence(5)].join('\n'),
      `## ${title()}`,
      paragraph(5),
      `| Item | Count | Note |\n| :-- | --: | --- |\n${rows}`,
      `### ${title()}`,
      paragraph(5),
      `## ${title()}`,
      paragraph(4),
    ].join('\n\n');
    writeFileSync(
      path.join(dir, `section-${s}`, `${slug}.md`),
      `${frontMatter(title(), sentence(12).slice(0, -1))}${body}\n`,
    );
    urls.push(`/section-${s}/${slug}/`);
  }
  if (documents > 0) {
    mkdirSync(path.join(dir, 'documents'), { recursive: true });
    writeFileSync(
      path.join(dir, 'documents', 'index.md'),
      `${frontMatter('Documents', 'All documents.', sections + 1)}The documents.\n`,
    );
    urls.push('/documents/');
    for (let d = 0; d < documents; d++) {
      const folder = path.join(dir, 'documents', `document-${d}`);
      mkdirSync(folder, { recursive: true });
      const columns = Array.from({ length: 6 }, midWord);
      writeFileSync(
        path.join(folder, 'data.csv'),
        `${columns.join(',')}\n` +
          `${Array.from({ length: 20 }, () => columns.map(() => Math.floor(rand() * 100)).join(',')).join('\n')}\n`,
      );
      writeFileSync(
        path.join(folder, 'index.md'),
        `---\ntitle: "${title()}"\ndescription: "A synthetic ` +
          `document."\nsummary: "${sentence(15).slice(0, -1)}"\ncategory: ` +
          `"Data"\npublished: 2026-01-10\nfiles:\n  - file: data.csv\n    title: ` +
          `"the ${title().toLowerCase()} data"\n---\n\n${paragraph(3)}\n`,
      );
      urls.push(`/documents/document-${d}/`);
    }
  }
  urls.push(...addFooterPages(dir));
  return { words, urls, word: (rank) => words[Math.max(0, Math.min(VOCABULARY - 1, rank))]! };
}
