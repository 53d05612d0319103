/**
 * Word diffs at the size limit: the worst shapes for the diff algorithm
 * (every line changed, long changed paragraphs of repeated words, lines
 * that match in many ways) are shown within a CPU budget, an upper bound
 * rather than a benchmark: unbounded, each of these takes from seconds to
 * hours, on the thread that also serves the public site.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES } from '../../src/content/buildSite.js';
import { wordDiff, type WordDiff } from '../../src/editor/history/wordDiff.js';

const CPU_BUDGET_MS = 1500;

function timed(before: string, after: string): { diff: WordDiff; cpuMs: number } {
  const started = process.cpuUsage();
  const diff = wordDiff(before, after);
  const used = process.cpuUsage(started);
  return { diff, cpuMs: (used.user + used.system) / 1000 };
}

/** Lines made by `line(i)` until the text reaches the page size limit. */
function atLimit(line: (i: number) => string): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const next = `${line(i)}\n`;
    if (size + next.length > MAX_PAGE_BYTES) break;
    lines.push(next);
    size += next.length;
  }
  return lines.join('');
}

/** What the diff shows as the older text and the newer, when nothing is left out. */
function sides(diff: WordDiff): { before: string; after: string } {
  let before = '';
  let after = '';
  for (const block of diff.blocks)
    for (const part of block.parts) {
      if (part.kind !== 'added') before += part.text;
      if (part.kind !== 'removed') after += part.text;
    }
  return { before, after };
}

describe('word diffs at the size limit', () => {
  const shapes: Array<[string, string, string]> = [
    [
      'every line changed',
      atLimit((i) => `a${i.toString(36).padStart(6, '0')}`),
      atLimit((i) => `b${i.toString(36).padStart(6, '0')}`),
    ],
    ['one-letter lines, all changed', atLimit(() => 'a'), atLimit(() => 'b')],
    ['lines that match in many ways', atLimit((i) => (i % 2 ? 'x' : 'y')), atLimit((i) => (i % 3 ? 'x' : 'y'))],
    [
      'long paragraphs of repeated words, each changed',
      atLimit((i) => (i % 2 ? '' : 'a '.repeat(4_500))),
      atLimit((i) => (i % 2 ? '' : 'b '.repeat(4_500))),
    ],
    [
      'short changed paragraphs between unchanged lines',
      atLimit((i) => (i % 3 === 1 ? 'x y '.repeat(40) : `line ${i}`)),
      atLimit((i) => (i % 3 === 1 ? 'x x y '.repeat(27) : `line ${i}`)),
    ],
  ];
  for (const [name, before, after] of shapes) {
    it(`${name}: shown within the CPU budget, nothing changed left out`, () => {
      wordDiff('warm up\n', 'warmed up\n');
      const { diff, cpuMs } = timed(before, after);
      expect(cpuMs).toBeLessThan(CPU_BUDGET_MS);
      expect(diff.added + diff.removed).toBeGreaterThan(0);
      // Every changed character is shown: with the unchanged stretches the diff shortens, the two texts again.
      const shown = sides(diff);
      expect(shown.before.length).toBeLessThanOrEqual(before.length);
      expect(shown.after.length).toBeLessThanOrEqual(after.length);
      expect(diff.blocks.reduce((n, b) => n + (b.skipped ?? 0), 0) + shown.after.split('\n').length - 1).toBe(
        after.split('\n').length - 1,
      );
    });
  }

  it('says when it gave up comparing line by line, and shows the changed part replaced as a whole', () => {
    const before = atLimit((i) => `a${i}`);
    const after = atLimit((i) => `b${i}`);
    const diff = wordDiff(before, after);
    expect(diff.approximate).toBe(true);
    expect(sides(diff)).toEqual({ before, after });
    // A small change is still shown word by word.
    const small = wordDiff('one\ntwo three four\nfive\n', 'one\ntwo thirty four\nfive\n');
    expect(small.approximate).toBe(false);
    expect(small.blocks.flatMap((b) => b.parts).filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'three' },
      { kind: 'added', text: 'thirty' },
    ]);
  });
});
