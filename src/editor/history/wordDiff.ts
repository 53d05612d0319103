/**
 * What changed between two versions of a file, in words: lines are compared
 * first, and within each changed stretch the words, so a one-word edit in a
 * long paragraph shows as that word. Unchanged stretches are shortened to a
 * few lines of context. Added and removed text are marked with <ins> and
 * <del> and, for screen readers (which mostly ignore those elements),
 * visually hidden "Added:" and "Removed:" words: never colour alone.
 */
import { diffLines, diffWordsWithSpace } from 'diff';

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
}

const CONTEXT_LINES = 2;
/** Word-diffing is quadratic in the worst case: longer changed stretches are shown as whole lines. */
const MAX_WORD_DIFF_CHARS = 20_000;

export function wordDiff(before: string, after: string): WordDiff {
  const blocks: DiffBlock[] = [];
  let added = 0;
  let removed = 0;
  let line = 1;
  const changes = diffLines(before, after);
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
    const parts: DiffPart[] =
      oldText.length + newText.length > MAX_WORD_DIFF_CHARS || oldText === '' || newText === ''
        ? [
            ...(oldText ? [{ kind: 'removed' as const, text: oldText }] : []),
            ...(newText ? [{ kind: 'added' as const, text: newText }] : []),
          ]
        : diffWordsWithSpace(oldText, newText).map((p) => ({
            kind: p.added ? ('added' as const) : p.removed ? ('removed' as const) : ('same' as const),
            text: p.value,
          }));
    for (const p of parts) {
      const words = p.text.trim() === '' ? 0 : p.text.trim().split(/\s+/).length;
      if (p.kind === 'added') added += words;
      if (p.kind === 'removed') removed += words;
    }
    blocks.push({ line, parts });
    line += newText.split('\n').length - (newText.endsWith('\n') ? 1 : 0);
  }
  return { blocks, added, removed };
}
