import { describe, expect, it } from 'vitest';
import { diagnostic } from '../../src/content/diagnostics.js';
import { mapProblems, scopeOfFile } from '../../src/content/problemScope.js';

describe('which pages a problem concerns', () => {
  it('a page file concerns its page; a document’s files concern the document’s page', () => {
    expect(scopeOfFile('index.md')).toEqual({ kind: 'page', url: '/' });
    expect(scopeOfFile('work-streams/index.md')).toEqual({ kind: 'page', url: '/work-streams/' });
    expect(scopeOfFile('work-streams/kpis.md')).toEqual({ kind: 'page', url: '/work-streams/kpis/' });
    expect(scopeOfFile('documents/data/index.md')).toEqual({ kind: 'page', url: '/documents/data/' });
    // A ragged row in a document's CSV file is shown on the document's page.
    expect(scopeOfFile('documents/data/data.csv')).toEqual({ kind: 'page', url: '/documents/data/' });
  });

  it('the settings, the templates and the folder concern every page; other files none in particular', () => {
    for (const file of ['site.yml', 'views/page.njk', 'views', '.'])
      expect(scopeOfFile(file)).toEqual({ kind: 'site' });
    for (const file of ['404.md', '500.md', 'plain-english.yml', 'images/x.png', 'Bad Name.md', 'edit/x.md'])
      expect(scopeOfFile(file), file).toEqual({ kind: 'file' });
  });

  it('sorts problems by page in one pass', () => {
    const map = mapProblems([
      diagnostic('a.md', 'one'),
      diagnostic('site.yml', 'two'),
      diagnostic('a.md', 'three', {}, 'warning'),
      diagnostic('stray.txt', 'four'),
    ]);
    expect(map.pages.get('/a/')?.map((d) => d.message)).toEqual(['one', 'three']);
    expect(map.site.map((d) => d.message)).toEqual(['two']);
    expect(map.elsewhere.map((d) => d.message)).toEqual(['four']);
  });
});
