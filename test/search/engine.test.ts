import { describe, expect, it } from 'vitest';
import { EXPORT_FIELDS, SearchEngine, type SearchDocument } from '../../src/search/engine.js';
import { termProcessor } from '../../src/search/language.js';
import { parseQuery } from '../../src/search/query.js';

function doc(id: string, fields: Partial<SearchDocument>): SearchDocument {
  return { id, title: '', summary: '', headings: '', files: '', body: '', ...fields };
}

function engineWith(docs: SearchDocument[], language = 'en-GB'): SearchEngine {
  const engine = new SearchEngine(termProcessor(language));
  for (const d of docs) engine.add(d);
  return engine;
}

function ids(engine: SearchEngine, query: string): string[] {
  const parsed = parseQuery(query, engine.processor);
  if (parsed.kind !== 'ok') throw new Error(`not a query: ${query}`);
  return engine.search(parsed.words).map((h) => h.id);
}

const body = (word: string, times: number) =>
  Array.from({ length: times }, (_, i) => `Sentence ${i} mentions the ${word} again.`).join(' ');

describe('the search engine', () => {
  it('ranks a page with the word in its title above pages that only mention it, however often', () => {
    const engine = engineWith([
      doc('/mentions/', { title: 'Annual report', body: body('dataset', 20) }),
      doc('/about/', { title: 'Regional Perinatal Dataset', body: 'A short page.' }),
      doc('/other/', { title: 'Survey', body: body('dataset', 3) }),
    ]);
    expect(ids(engine, 'dataset')[0]).toBe('/about/');
  });

  it('ranks headings and summaries above the body', () => {
    const engine = engineWith([
      doc('/body/', { title: 'A', body: 'The audit is here.' }),
      doc('/heading/', { title: 'B', headings: 'Audit' }),
      doc('/summary/', { title: 'C', summary: 'An audit.' }),
    ]);
    expect(ids(engine, 'audit').at(-1)).toBe('/body/');
  });

  it('finds other forms of a word (English stemming), the form typed first', () => {
    const engine = engineWith([
      doc('/one/', { title: 'Quality indicator' }),
      doc('/many/', { title: 'Quality indicators' }),
      doc('/none/', { title: 'Targets' }),
    ]);
    expect(ids(engine, 'indicators')).toEqual(['/many/', '/one/']);
    expect(ids(engine, 'indicator')).toEqual(['/one/', '/many/']);
  });

  it('tolerates one typo in words of five letters or more, but not in short words or two typos', () => {
    const engine = engineWith([doc('/dataset/', { title: 'Regional dataset' }), doc('/cat/', { title: 'The cat' })]);
    expect(ids(engine, 'datset')).toEqual(['/dataset/']);
    expect(ids(engine, 'regoinal')).toEqual([]); // a swap is two edits
    expect(ids(engine, 'regionl')).toEqual(['/dataset/']);
    expect(ids(engine, 'cot')).toEqual([]);
    expect(ids(engine, 'dtset')).toEqual([]);
  });

  it('matches the last word typed as the start of longer words, from three letters', () => {
    const engine = engineWith([doc('/m/', { title: 'Head of midwifery' }), doc('/o/', { title: 'Other' })]);
    expect(ids(engine, 'midw')).toEqual(['/m/']);
    expect(ids(engine, 'head midw')).toEqual(['/m/']);
    expect(ids(engine, 'midw head')).toEqual([]); // only the last word is a prefix
    expect(ids(engine, 'he')).toEqual([]);
  });

  it('needs every word to match', () => {
    const engine = engineWith([
      doc('/both/', { title: 'Perinatal dataset' }),
      doc('/one/', { title: 'Perinatal survey' }),
    ]);
    expect(ids(engine, 'perinatal dataset')).toEqual(['/both/']);
    expect(ids(engine, 'perinatal zebra')).toEqual([]);
  });

  it('searches document file titles, file names and CSV column names', () => {
    const engine = engineWith([
      doc('/documents/data/', {
        title: 'Data',
        files: 'the sample data\nregional perinatal dataset sample csv\nTrust\nBirth weight',
      }),
      doc('/x/', { title: 'Other' }),
    ]);
    expect(ids(engine, 'birth weight')).toEqual(['/documents/data/']);
  });

  it('treats hostile words as words: no prototype keys, no errors, nothing matched that is not there', () => {
    const engine = engineWith([
      doc('/a/', { title: 'constructor toString valueOf hasOwnProperty' }),
      doc('/b/', { title: 'Other' }),
    ]);
    expect(ids(engine, 'constructor')).toEqual(['/a/']);
    for (const q of ['__proto__', 'prototype', 'hasOwnProperty toString', '\\u0000', '.*', '[a-z]+'])
      expect(() => ids(engine, q)).not.toThrow();
    expect(ids(engine, 'prototype')).toEqual([]);
  });

  it('answers a query of the most words allowed, each long, quickly', () => {
    const docs = Array.from({ length: 500 }, (_, i) =>
      doc(`/p${i}/`, { title: `Page ${i}`, body: body(`word${i % 50}`, 5) }),
    );
    const engine = engineWith(docs);
    const started = performance.now();
    ids(engine, Array.from({ length: 20 }, (_, i) => `${'x'.repeat(7)}${i}`).join(' '));
    ids(engine, 'z'.repeat(200));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('with the export’s fields, ignores body text', () => {
    const engine = new SearchEngine(termProcessor('en-GB'), EXPORT_FIELDS);
    engine.add(doc('/a/', { title: 'Title', body: 'hidden words' }));
    engine.add(doc('/b/', { title: 'Hidden', body: '' }));
    expect(ids(engine, 'hidden')).toEqual(['/b/']);
  });

  it('forgets a discarded page at once', () => {
    const engine = engineWith([doc('/a/', { title: 'Dataset' })]);
    engine.discard('/a/');
    expect(ids(engine, 'dataset')).toEqual([]);
    engine.add(doc('/a/', { title: 'Survey' }));
    expect(ids(engine, 'survey')).toEqual(['/a/']);
  });
});
