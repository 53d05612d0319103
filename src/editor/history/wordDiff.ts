/**
 * What changed between two versions of a file, in words: lines are compared
 * first, and within each changed stretch the words, so a one-word edit in a
 * long paragraph shows as that word. Unchanged stretches are shortened to a
 * few lines of context. Added and removed text are marked with <ins> and
 * <del> and, for screen readers (which mostly ignore those elements),
 * visually hidden "Added:" and "Removed:" words: never colour alone.
 *
 * Diffing is quadratic in what changed, and it runs on the thread that
 * serves the public site, so every step is bounded: lines shared at the
 * start and the end are set aside in linear time, the line diff gives up
 * past MAX_LINE_EDITS changed lines (the middle is then shown replaced as a
 * whole, and the diff says so), and word diffs are made only within a
 * budget, each giving up past MAX_WORD_EDITS (the stretch is then shown as
 * whole lines removed and added).
 */
import { diffArrays, diffWordsWithSpace, type ChangeObject } from 'diff';

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

export interface DiffBlock {
  /** A stretch of unchanged lines left out, with how many. */
  skipped?: number;
  /** Line number (in the newer version) where this stretch starts. */
  line: number;
  parts: DiffPart[];
}

export interface WordDiff {
  blocks: DiffBlock[];
  added: number;
  removed: number;
  /** True when so much changed that the lines were not matched up: the changed part is shown replaced whole. */
  approximate: boolean;
}

const CONTEXT_LINES = 2;
/** Lines added and removed beyond which lines are not matched up. */
const MAX_LINE_EDITS = 400;
/** Words and spaces added and removed beyond which a stretch is shown as whole lines. */
const MAX_WORD_EDITS = 200;
/** A longer changed stretch is shown as whole lines... */
const MAX_WORD_DIFF_CHARS = 20_000;
/** ...and so is every stretch once this many characters have been compared word by word. */
const WORD_DIFF_BUDGET_CHARS = 200_000;

export function wordDiff(before: string, after: string): WordDiff {
  const blocks: DiffBlock[] = [];
  let added = 0;
  let removed = 0;
  let line = 1;
  let budget = WORD_DIFF_BUDGET_CHARS;
  const { changes, approximate } = lineChanges(before, after);
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      const lines = change.value.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const first = i === 0;
      const last = i === changes.length - 1;
      const head = first ? [] : lines.slice(0, CONTEXT_LINES);
      const tail = last ? [] : lines.slice(Math.max(head.length, lines.length - CONTEXT_LINES));
      const skipped = lines.length - head.length - tail.length;
      if (head.length) blocks.push({ line, parts: [{ kind: 'same', text: `${head.join('\n')}\n` }] });
      if (skipped > 0) blocks.push({ line: line + head.length, skipped, parts: [] });
      if (tail.length)
        blocks.push({
          line: line + lines.length - tail.length,
          parts: [{ kind: 'same', text: `${tail.join('\n')}\n` }],
        });
      line += lines.length;
      continue;
    }
    // A removal followed by an addition is one replaced stretch: compare its words.
    const next = changes[i + 1];
    const oldText = change.removed ? change.value : '';
    const newText = change.removed && next?.added ? next.value : change.added ? change.value : '';
    if (change.removed && next?.added) i++;
    const size = oldText.length + newText.length;
    const words =
      oldText === '' || newText === '' || size > MAX_WORD_DIFF_CHARS || size > budget
        ? undefined
        : diffWordsWithSpace(oldText, newText, { maxEditLength: MAX_WORD_EDITS });
    if (oldText !== '' && newText !== '') budget -= size;
    const parts: DiffPart[] = words
      ? words.map((p) => ({
          kind: p.added ? ('added' as const) : p.removed ? ('removed' as const) : ('same' as const),
          text: p.value,
        }))
      : [
          ...(oldText ? [{ kind: 'removed' as const, text: oldText }] : []),
          ...(newText ? [{ kind: 'added' as const, text: newText }] : []),
        ];
    for (const p of parts) {
      const words = p.text.trim() === '' ? 0 : p.text.trim().split(/\s+/).length;
      if (p.kind === 'added') added += words;
      if (p.kind === 'removed') removed += words;
    }
    blocks.push({ line, parts });
    line += newText.split('\n').length - (newText.endsWith('\n') ? 1 : 0);
  }
  return { blocks, added, removed, approximate };
}

type LineChange = Pick<ChangeObject<string>, 'value' | 'added' | 'removed'>;

/**
 * The line diff: lines shared at the start and the end found in linear time,
 * the middle compared within MAX_LINE_EDITS, or else shown replaced whole.
 */
function lineChanges(before: string, after: string): { changes: LineChange[]; approximate: boolean } {
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const oldMiddle = a.slice(head, a.length - tail);
  const newMiddle = b.slice(head, b.length - tail);
  // The lines are compared as they are split here: jsdiff's own line splitting would double the linear cost.
  const middle: LineChange[] | undefined =
    oldMiddle.length === 0 || newMiddle.length === 0
      ? [...removedLines(oldMiddle), ...addedLines(newMiddle)]
      : diffArrays(oldMiddle, newMiddle, { maxEditLength: MAX_LINE_EDITS })?.map((c) => ({
          value: c.value.join(''),
          added: c.added,
          removed: c.removed,
        }));
  const same = (lines: string[]): LineChange[] =>
    lines.length ? [{ value: lines.join(''), added: false, removed: false }] : [];
  return {
    changes: [
      ...same(a.slice(0, head)),
      ...(middle ?? [...removedLines(oldMiddle), ...addedLines(newMiddle)]),
      ...same(b.slice(b.length - tail)),
    ],
    approximate: middle === undefined,
  };
}

function removedLines(lines: string[]): LineChange[] {
  return lines.length ? [{ value: lines.join(''), added: false, removed: true }] : [];
}

function addedLines(lines: string[]): LineChange[] {
  return lines.length ? [{ value: lines.join(''), added: true, removed: false }] : [];
}

/** The lines of a text, each with its newline (the last may have none). */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
