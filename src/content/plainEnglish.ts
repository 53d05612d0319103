/**
 * Words and phrases with plainer alternatives, from a list each site keeps
 * in its content folder (plain-english.yml), so that staff can tune it to
 * their readers. Advice only: a warning at the word, saying what to use
 * instead. Words inside quotation marks are left alone: a quoted name or
 * title must stay as it was written.
 *
 * A mistake in the list itself is a warning too, and the check is skipped
 * until it is fixed: advice must never stop a site from publishing.
 */
import { z } from 'zod';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { positionIn, WORD, type ProseBlock } from './prose.js';
import type { ContentEntry } from './readContentFolder.js';
import { validateYaml } from './validate.js';
import { parseYaml } from './yaml.js';

export const PLAIN_ENGLISH_RULE = 'plain-english';
export const WORD_LIST_FILE = 'plain-english.yml';

const phrase = z
  .string({ error: 'must be a word or phrase' })
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .refine((s) => words(s).length > 0, 'must contain a word');

const phrases = z.union([phrase, z.array(phrase).min(1).max(20)], {
  error: 'must be a word or phrase, or a list of them',
});

export const wordListSchema = z.strictObject({
  words: z
    .array(
      z.strictObject({
        avoid: phrases.describe('The word or phrase, or a list of its forms ("commission", "commissioned").'),
        instead: z
          .string({ error: 'must say what to write instead' })
          .trim()
          .min(1, 'must say what to write instead')
          .max(300),
        except: z
          .array(phrase)
          .max(20)
          .optional()
          .describe('Longer phrases in which the word is fine ("key performance indicators").'),
      }),
      { error: 'must be a list of entries, each starting "- avoid:"' },
    )
    .max(2000),
});

interface Entry {
  words: string[];
  instead: string;
  /** Phrases in which this entry is allowed, each with where the entry's words start inside it. */
  except: { words: string[]; at: number }[];
}

export interface WordList {
  /** Entries by their first word. */
  byFirstWord: Map<string, Entry[]>;
  /** Finds any entry's first word: a block without one is not split into words at all. */
  firstWords: RegExp;
  /** Changes whenever the list does: part of the key that decides whether a cached page is checked again. */
  key: string;
}

/** The site's word list, or null (with the reason as a warning) when there is none to use. */
export function loadWordList(entries: readonly ContentEntry[]): { list: WordList | null; diagnostics: Diagnostic[] } {
  const entry = entries.find((e) => e.path === WORD_LIST_FILE && e.kind === 'file');
  if (!entry?.bytes) return { list: null, diagnostics: [] };
  const asWarnings = (ds: Diagnostic[]) =>
    ds.map((d) => ({
      ...d,
      severity: 'warning' as const,
      message: `${d.message} (the plain-English check is skipped until this is fixed)`,
      rule: PLAIN_ENGLISH_RULE,
    }));
  const text = entry.bytes.toString('utf8');
  const parsed = parseYaml(text);
  if (!parsed.ok)
    return {
      list: null,
      diagnostics: asWarnings(parsed.problems.map((p) => diagnostic(WORD_LIST_FILE, p.message, p))),
    };
  const validated = validateYaml(wordListSchema, parsed.value, WORD_LIST_FILE);
  if (!validated.ok) return { list: null, diagnostics: asWarnings(validated.diagnostics) };
  const byFirstWord = new Map<string, Entry[]>();
  for (const item of validated.value.words) {
    const exceptions = (item.except ?? []).map(words);
    for (const form of typeof item.avoid === 'string' ? [item.avoid] : item.avoid) {
      const formWords = words(form);
      const entry: Entry = {
        words: formWords,
        instead: item.instead,
        except: exceptions.flatMap((e) => occurrences(e, formWords).map((at) => ({ words: e, at }))),
      };
      const first = formWords[0]!;
      const same = byFirstWord.get(first);
      if (same) same.push(entry);
      else byFirstWord.set(first, [entry]);
    }
  }
  // Longest first: "governance framework" is reported, not also "governance".
  for (const same of byFirstWord.values()) same.sort((a, b) => b.words.length - a.words.length);
  const alternatives = [...byFirstWord.keys()].map((w) =>
    w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]"),
  );
  const firstWords = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|') || '(?!)'})(?![\\p{L}\\p{N}])`, 'iu');
  return { list: { byFirstWord, firstWords, key: JSON.stringify(validated.value) }, diagnostics: [] };
}

export function checkPlainEnglish(file: string, blocks: readonly ProseBlock[], list: WordList): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const block of blocks) {
    if (!list.firstWords.test(block.text)) continue;
    const quoted = quotedRanges(block.text);
    let range = 0;
    const tokens = [...block.text.matchAll(WORD)].map((m) => {
      // Words and ranges both come in order: one walk through each.
      while (range < quoted.length && quoted[range]![1] <= m.index) range++;
      const inside = range < quoted.length && quoted[range]![0] <= m.index;
      return { word: normalise(m[0]), start: m.index, end: m.index + m[0].length, quoted: inside };
    });
    const at = (i: number) => tokens[i]?.word;
    const matches = (ws: readonly string[], from: number) => from >= 0 && ws.every((w, k) => at(from + k) === w);
    let reportedTo = 0;
    tokens.forEach((token, i) => {
      if (token.quoted || i < reportedTo) return;
      for (const entry of list.byFirstWord.get(token.word) ?? []) {
        if (!matches(entry.words, i)) continue;
        if (entry.except.some((e) => matches(e.words, i - e.at))) continue;
        const last = tokens[i + entry.words.length - 1]!;
        if (last.quoted) continue;
        reportedTo = i + entry.words.length;
        diagnostics.push({
          ...diagnostic(
            file,
            `"${block.text.slice(token.start, last.end).replace(/\s+/g, ' ')}" is on ` +
              `the plain-English word list (${WORD_LIST_FILE}): ${entry.instead}`,
            positionIn(block, token.start),
            'warning',
          ),
          rule: PLAIN_ENGLISH_RULE,
        });
        break;
      }
    });
  }
  return diagnostics;
}

function normalise(word: string): string {
  const lower = word.toLowerCase();
  return lower.includes('’') ? lower.replace(/’/g, "'") : lower;
}

function words(s: string): string[] {
  return [...s.matchAll(WORD)].map((m) => normalise(m[0]));
}

/** Where `needle` occurs inside `haystack`, as word offsets. */
function occurrences(haystack: readonly string[], needle: readonly string[]): number[] {
  const found: number[] = [];
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, k) => haystack[i + k] === w)) found.push(i);
  }
  return found;
}

/** Offsets of text inside "straight" or “curly” double quotation marks. */
function quotedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '“' || (c === '"' && open === -1)) open = i;
    else if ((c === '”' || c === '"') && open !== -1) {
      ranges.push([open, i]);
      open = -1;
    }
  }
  return ranges;
}
