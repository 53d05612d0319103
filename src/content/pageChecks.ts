/**
 * The advice checks run on every page as it is parsed: addresses at
 * reserved example domains, and (when asked for) long sentences and words
 * from the site's plain-English list. Their warnings travel with the parsed
 * page, so they are cached with it and reach everything that reads a
 * build's diagnostics: `npm run check`, the server's log and the preview.
 *
 * Set up once per build (`prepareContentChecks`), from the site settings'
 * `writingChecks` and the word list in the content folder.
 */
import type { MarkdownIt } from 'markdown-it';
import type { Diagnostic } from './diagnostics.js';
import { checkPlainEnglish, loadWordList, type WordList } from './plainEnglish.js';
import { bodyProse, createBlockParser, valueProse, type ProseBlock } from './prose.js';
import type { ContentEntry } from './readContentFolder.js';
import { checkReservedAddresses, isYamlComment } from './reservedDomains.js';
import type { SiteSettings } from './schema.js';
import { checkSentenceLength, DEFAULT_MAX_SENTENCE_WORDS } from './sentenceLength.js';
import type { ParsedYaml } from './yaml.js';

export interface PageCheckOptions {
  /** null when the site turned the sentence length check off. */
  maxSentenceWords: number | null;
  /** null when the site turned the plain-English check off, or has no list. */
  wordList: WordList | null;
  /** Reads the blocks of a page body; null when no writing check is on. */
  parser: MarkdownIt | null;
  /** Changes when the options do, so that cached pages are checked again. */
  key: string;
}

/** Front matter values visitors read, checked like the body. */
const PROSE_KEYS = ['title', 'description', 'summary'] as const;

/**
 * `writingAdvice` turns the writing checks on: `npm run check` and the
 * preview ask for them. The public server and the export skip them: they are
 * advice for writers, and on a large site they cost a good part of a build.
 */
export function prepareContentChecks(
  entries: readonly ContentEntry[],
  settings: SiteSettings | null,
  settingsFile: string,
  writingAdvice: boolean,
): { options: PageCheckOptions; diagnostics: Diagnostic[] } {
  const writing = settings?.writingChecks;
  const maxSentenceWords =
    !writingAdvice || writing?.maxSentenceWords === false
      ? null
      : (writing?.maxSentenceWords ?? DEFAULT_MAX_SENTENCE_WORDS);
  const words =
    !writingAdvice || writing?.plainEnglish === false ? { list: null, diagnostics: [] } : loadWordList(entries);
  const settingsEntry = entries.find((e) => e.path === settingsFile && e.kind === 'file');
  const settingsText = settingsEntry?.bytes ? normaliseText(settingsEntry.bytes.toString('utf8')) : '';
  return {
    options: {
      maxSentenceWords,
      wordList: words.list,
      parser: maxSentenceWords === null && words.list === null ? null : createBlockParser(),
      key: JSON.stringify([maxSentenceWords, words.list?.key ?? null]),
    },
    diagnostics: [
      ...checkReservedAddresses(settingsFile, settingsText, (_, line) => isYamlComment(line)),
      ...words.diagnostics,
    ],
  };
}

export interface PageSource {
  /** The file's whole text, as splitFrontMatter normalised it. */
  text: string;
  frontMatter: ParsedYaml;
  body: string;
  bodyLineOffset: number;
}

export function checkPage(file: string, source: PageSource, options: PageCheckOptions): Diagnostic[] {
  const frontMatterLines = source.bodyLineOffset;
  const diagnostics = checkReservedAddresses(
    file,
    source.text,
    (i, line) => i < frontMatterLines && isYamlComment(line),
  );
  if (!options.parser) return diagnostics;
  const blocks = [
    ...frontMatterProse(source.frontMatter, source.text),
    ...bodyProse(options.parser, source.body, source.bodyLineOffset),
  ];
  if (options.maxSentenceWords !== null)
    diagnostics.push(...checkSentenceLength(file, blocks, options.maxSentenceWords));
  if (options.wordList) diagnostics.push(...checkPlainEnglish(file, blocks, options.wordList));
  return diagnostics;
}

/** The same normalisation splitFrontMatter applies, so that lines and columns agree. */
export function normaliseText(raw: string): string {
  return raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function frontMatterProse(parsed: ParsedYaml, text: string): ProseBlock[] {
  const blocks: ProseBlock[] = [];
  const data = parsed.data;
  if (typeof data !== 'object' || data === null) return blocks;
  const lines = text.split('\n', 200);
  for (const key of PROSE_KEYS) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value !== 'string') continue;
    const at = parsed.positions.at([key]);
    // A quoted value's text starts after its opening quote.
    const first = lines[at.line - 1]?.[at.column - 1];
    blocks.push(valueProse(value, at.line, at.column + (first === '"' || first === "'" ? 1 : 0)));
  }
  return blocks;
}
