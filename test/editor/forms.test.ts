/**
 * The form and the file, both ways, without a server: a field for every
 * schema key; values written back into the same YAML (comments and order
 * kept, empty keys removed); diagnostics placed at fields and body lines;
 * word diffs and three-way merges.
 */
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { pageFrontMatterSchema } from '../../src/content/schema.js';
import { placeDiagnostics } from '../../src/editor/forms/fieldErrors.js';
import { fieldsFor, flattenFields } from '../../src/editor/forms/fields.js';
import { openPage, writePage } from '../../src/editor/forms/pageForm.js';
import { wordDiff } from '../../src/editor/history/wordDiff.js';
import { mergeTexts } from '../../src/editor/pages/merge.js';
import { memoryFolder, minimalFiles } from '../helpers/site.js';

const PAGE = `---
title: "Work streams"
description: "The work streams."
navigation:
  title: "Streams"
  order: 2
# Visitors cannot see a draft. Delete the next line to publish the page.
draft: true
lastReviewed: 2026-11-25
---

Body text.

## A heading
`;

describe('the page form', () => {
  it('has a field for every front matter key of the schema, by kind', () => {
    const fields = flattenFields(fieldsFor('work-streams/index.md'));
    const keys = (schema: { shape: Record<string, unknown> }, prefix = ''): string[] =>
      Object.entries(schema.shape).flatMap(([k, v]) => {
        let inner = v as { unwrap?: () => unknown; shape?: Record<string, unknown> };
        while (inner.unwrap && !inner.shape) inner = inner.unwrap() as typeof inner;
        return inner.shape
          ? [`${prefix}${k}`, ...keys(inner as { shape: Record<string, unknown> }, `${prefix}${k}.`)]
          : [`${prefix}${k}`];
      });
    expect(fields.map((f) => f.path.join('.')).sort()).toEqual(keys(pageFrontMatterSchema).sort());
    const kinds = Object.fromEntries(fields.map((f) => [f.path.join('.'), f.kind]));
    expect(kinds).toMatchObject({
      title: 'text',
      description: 'longText',
      navigation: 'group',
      'navigation.order': 'integer',
      draft: 'boolean',
      publishDate: 'schedule',
      lastReviewed: 'date',
      documents: 'list',
    });
    const documentFields = fieldsFor('documents/report/index.md').map((f) => [f.path.join('.'), f.kind]);
    expect(documentFields).toContainEqual(['files', 'objectList']);
    expect(documentFields).toContainEqual(['changeNotes', 'objectList']);
  });

  it('opens a file into values, and writes the same file back when nothing changed', () => {
    const fields = fieldsFor('work-streams/index.md');
    const opened = openPage(fields, PAGE)!;
    expect(opened.values).toMatchObject({
      'fm-title': 'Work streams',
      'fm-navigation-order': '2',
      'fm-draft': 'true',
      'fm-lastReviewed-day': '25',
      'fm-lastReviewed-month': '11',
      'fm-lastReviewed-year': '2026',
    });
    expect(opened.body).toBe('Body text.\n\n## A heading\n');
    expect(writePage(fields, opened.values, opened.body, PAGE)).toBe(PAGE);
  });

  it(
    'writes changes into the same YAML: comments and order kept,' + ' emptied keys and groups removed, CRLF made LF',
    () => {
      const fields = fieldsFor('work-streams/index.md');
      const opened = openPage(fields, PAGE)!;
      const values = {
        ...opened.values,
        'fm-title': 'New title',
        'fm-navigation-title': '',
        'fm-navigation-order': '',
        'fm-nextReviewDue-day': '1',
        'fm-nextReviewDue-month': '2',
        'fm-nextReviewDue-year': '2027',
        'fm-publishDate-day': '3',
        'fm-publishDate-month': '4',
        'fm-publishDate-year': '2027',
        'fm-publishDate-time': '9:05',
      };
      const text = writePage(fields, values, 'Line one\r\nLine two', PAGE);
      expect(text).toBe(`---
title: "New title"
description: "The work streams."
# Visitors cannot see a draft. Delete the next line to publish the page.
draft: true
lastReviewed: 2026-11-25
publishDate: 2027-04-03 09:05
nextReviewDue: 2027-02-01
---

Line one
Line two
`);
      // Unticking "Draft" removes the key, and its comment with it.
      const { 'fm-draft': _draft, ...published } = opened.values;
      expect(writePage(fields, published, opened.body, PAGE)).not.toMatch(/draft|Visitors cannot see/);
      // A page with no navigation group at all: nothing to remove, nothing added.
      const plain = '---\ntitle: A\ndescription: B.\n---\n\nText.\n';
      expect(writePage(fields, openPage(fields, plain)!.values, 'Text.\n', plain)).toBe(plain);
    },
  );

  it('writes what was typed even when the schema refuses it, so the check reports it at its field', () => {
    const fields = fieldsFor('about.md');
    const base = '---\ntitle: About\ndescription: About.\n---\n\nText.\n';
    const values = {
      ...openPage(fields, base)!.values,
      'fm-navigation-order': 'first',
      'fm-lastReviewed-day': '31',
      'fm-lastReviewed-month': '2',
      'fm-lastReviewed-year': '2026',
      'fm-updated-year': '20x6',
    };
    const text = writePage(fields, values, 'See [nowhere](/nowhere/).\n', base);
    const result = buildSite(memoryFolder(minimalFiles({ 'about.md': text })));
    const placed = placeDiagnostics('about.md', text, fields, result.diagnostics, 'body');
    expect(Object.keys(placed.fields).sort()).toEqual(['fm-lastReviewed', 'fm-navigation-order', 'fm-updated']);
    expect(placed.fields['fm-navigation-order']).toEqual(['"navigation.order" must be a whole number']);
    expect(placed.summary.map((s) => s.href)).toEqual(
      expect.arrayContaining(['#fm-navigation-order', '#fm-lastReviewed-day', '#fm-updated-day']),
    );
    // Front matter fixed, the body's broken link is placed at its line of "Page content".
    const fixed = writePage(fields, openPage(fields, base)!.values, 'First line.\n\nSee [nowhere](/nowhere/).\n', base);
    const body = placeDiagnostics(
      'about.md',
      fixed,
      fields,
      buildSite(memoryFolder(minimalFiles({ 'about.md': fixed }))).diagnostics,
      'body',
    );
    expect(body.body).toEqual([{ line: 3, message: expect.stringContaining('/nowhere/') }]);
  });
});

describe('word diffs', () => {
  it('marks the words that changed within a line, and shortens unchanged stretches', () => {
    const before = [
      'one',
      'two',
      'three',
      'four',
      'five',
      'The cat sat on the mat.',
      'six',
      'seven',
      'eight',
      'nine',
    ].join('\n');
    const after = before.replace('The cat sat', 'The dog sat');
    const diff = wordDiff(before, after);
    expect([diff.added, diff.removed]).toEqual([1, 1]);
    const changed = diff.blocks.find((b) => b.parts.some((p) => p.kind !== 'same'))!;
    expect(changed.parts.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'cat' },
      { kind: 'added', text: 'dog' },
    ]);
    expect(diff.blocks.filter((b) => b.skipped).map((b) => b.skipped)).toEqual([3, 2]);
  });
});

describe('three-way merges', () => {
  const base = 'line 1\nline 2\nline 3\nline 4\n';
  it('combines changes to different lines', async () => {
    expect(await mergeTexts(base, base.replace('line 1', 'mine 1'), base.replace('line 4', 'theirs 4'))).toEqual({
      clean: true,
      text: 'mine 1\nline 2\nline 3\ntheirs 4\n',
    });
  });
  it('reports changes to the same lines as a conflict', async () => {
    expect(await mergeTexts(base, base.replace('line 2', 'mine'), base.replace('line 2', 'theirs'))).toEqual({
      clean: false,
    });
  });
});
