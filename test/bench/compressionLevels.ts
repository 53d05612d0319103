/**
 * Which compression levels pages get (PAGE_COMPRESSION in src/render/prepared.ts): every gzip level and brotli
 * quality measured on real pages of an export, the cost (time to compress, once per page and content version,
 * on a worker) against the benefit (bytes saved on every response). `npm run bench` runs it on both corpora;
 * alone: `tsx test/bench/compressionLevels.ts <export dir>...`.
 *
 * The rule that picks a level, so that the choice follows the measurement: the level with the least time to
 * compress a page plus the time to send it once over a slow mobile connection (10 Mbit/s). A page is
 * compressed once per content version and sent many times, so counting one sending is the cautious side:
 * every level chosen this way pays for itself at the first visitor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliVariant, gzipVariant } from '../../src/render/prepared.js';

export const GZIP_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
export const BROTLI_QUALITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** 10 Mbit/s in bytes per millisecond: a slow mobile connection. */
export const LINK_BYTES_PER_MS = 10e6 / 8 / 1000;

export interface LevelResult {
  level: number;
  /** Compressed bytes of all pages, as a fraction of the uncompressed bytes. */
  ratio: number;
  /** CPU milliseconds per page (the median of five passes over every page, after one to warm up). */
  msPerPage: number;
  /** Milliseconds to compress and send once a page of the mean size (see the rule above). */
  costMs: number;
}

export interface LevelsReport {
  pages: number;
  meanPageKb: number;
  gzip: LevelResult[];
  brotli: LevelResult[];
  chosenGzip: number;
  chosenBrotli: number;
}

/** Up to `limit` pages of an export, spread over the whole site. */
export function samplePages(exportDir: string, limit = 120): Buffer[] {
  const files = readdirSync(exportDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === 'index.html')
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const step = Math.max(1, Math.floor(files.length / limit));
  return files.filter((_f, i) => i % step === 0).map((f) => readFileSync(f));
}

function measure(pages: Buffer[], compress: (page: Buffer) => Buffer): Omit<LevelResult, 'level'> {
  const total = pages.reduce((s, p) => s + p.length, 0);
  let out = 0;
  const times: number[] = [];
  for (let pass = 0; pass < 6; pass++) {
    out = 0;
    // CPU time, not wall time: on a shared machine, waiting for a core is not the cost of a level.
    const started = process.cpuUsage();
    for (const page of pages) out += compress(page).length;
    const used = process.cpuUsage(started);
    if (pass > 0) times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  const msPerPage = times[2]! / pages.length;
  return { ratio: out / total, msPerPage, costMs: msPerPage + out / pages.length / LINK_BYTES_PER_MS };
}

/** The level of least cost (see the rule above). */
export function chooseLevel(results: LevelResult[]): number {
  return results.reduce((best, r) => (r.costMs < best.costMs ? r : best)).level;
}

export function measureLevels(pages: Buffer[]): LevelsReport {
  // The very functions pages are compressed with (brotli: a window sized to the page, text mode).
  const gzip = GZIP_LEVELS.map((level) => ({
    level,
    ...measure(pages, (p) => gzipVariant(p, { brotliQuality: 0, gzipLevel: level, keepIdentity: false })),
  }));
  const brotli = BROTLI_QUALITIES.map((level) => ({
    level,
    ...measure(pages, (p) => brotliVariant(p, { brotliQuality: level, keepIdentity: false })),
  }));
  return {
    pages: pages.length,
    meanPageKb: pages.reduce((s, p) => s + p.length, 0) / pages.length / 1024,
    gzip,
    brotli,
    chosenGzip: chooseLevel(gzip),
    chosenBrotli: chooseLevel(brotli),
  };
}

/**
 * How much more the given levels cost than the least-cost ones, as a fraction (0 when they are the ones chosen).
 * Neighbouring levels often cost within a percent of each other, so a run may choose one or the other.
 */
export function excessCost(report: LevelsReport, gzipLevel: number, brotliQuality: number): number {
  const excess = (results: LevelResult[], level: number) => {
    const least = Math.min(...results.map((r) => r.costMs));
    const used = results.find((r) => r.level === level)?.costMs ?? Infinity;
    return used / least - 1;
  };
  return Math.max(excess(report.gzip, gzipLevel), excess(report.brotli, brotliQuality));
}

/** Markdown lines: one row per format, one column per level. */
export function levelsTable(label: string, report: LevelsReport): string[] {
  const row = (name: string, results: LevelResult[], chosen: number) =>
    `| ${name} | ` +
    results
      .map((r) => {
        const cell = `${(100 * r.ratio).toFixed(1)}% ${r.msPerPage.toFixed(2)} ms`;
        return r.level === chosen ? `**${cell}**` : cell;
      })
      .join(' | ') +
    ' |';
  const levels = Math.max(GZIP_LEVELS.length, BROTLI_QUALITIES.length);
  return [
    `${label}: ${report.pages} pages of ${report.meanPageKb.toFixed(0)} KB on average; size as a share of the ` +
      `page, and time per page; chosen in bold (gzip ${report.chosenGzip}, brotli ${report.chosenBrotli}).`,
    '',
    `| Level | ${Array.from({ length: levels }, (_, i) => i + 1).join(' | ')} |`,
    `| --- | ${Array.from({ length: levels }, () => '---').join(' | ')} |`,
    row('gzip', report.gzip, report.chosenGzip),
    row('brotli', report.brotli, report.chosenBrotli),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  for (const dir of process.argv.slice(2)) {
    process.stdout.write(`${levelsTable(dir, measureLevels(samplePages(dir))).join('\n')}\n\n`);
  }
}
