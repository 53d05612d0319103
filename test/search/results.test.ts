import { describe, expect, it } from 'vitest';
import { BUNDLED_SETTINGS } from '../helpers/site.js';
import { termProcessor } from '../../src/search/language.js';
import { fillLabel, pageNumbers, resultsView, RESULTS_PER_PAGE, searchHref } from '../../src/search/results.js';
import { parse } from 'yaml';

const labels = (parse(BUNDLED_SETTINGS) as { labels: { search: Parameters<typeof resultsView>[0]['labels'] } }).labels
  .search;

function view(total: number, page: number) {
  const hits = Array.from({ length: total }, (_, i) => ({ id: `/p${i}/`, score: total - i, terms: ['dataset'] }));
  return resultsView({
    hits,
    page,
    query: 'dataset & <b>',
    searchUrl: '/search/',
    host: 'example.org',
    formatCount: (n) => new Intl.NumberFormat('en-GB').format(n),
    labels,
    processor: termProcessor('en-GB'),
    lookup: (url) => ({
      title: `Title ${url}`,
      isDocument: url === '/p0/',
      texts: () => ['A summary.', 'The dataset body.'],
    }),
  });
}

describe('a page of results', () => {
  it('counts, pages and links with the query encoded', () => {
    const v = view(23, 2);
    expect(v.summary).toBe('23 results for ‘dataset & <b>’');
    expect([v.page, v.pages, v.first, v.items.length]).toEqual([2, 3, 11, RESULTS_PER_PAGE]);
    expect(v.items[0]).toMatchObject({ url: '/p10/', displayUrl: 'example.org/p10/', title: 'Title /p10/' });
    expect(v.pagination?.previous).toBe('/search/?q=dataset+%26+%3Cb%3E');
    expect(v.pagination?.next).toBe('/search/?q=dataset+%26+%3Cb%3E&page=3');
    expect(v.pagination?.items.find((i) => i.current)?.label).toBe('Page 2');
  });

  it('shows the snippet with the matched word, and one or no results in their own words', () => {
    expect(view(1, 1).items[0]!.snippet).toEqual([
      { text: 'The ', marked: false },
      { text: 'dataset', marked: true },
      { text: ' body.', marked: false },
    ]);
    expect(view(1, 1).summary).toBe('1 result for ‘dataset & <b>’');
    expect(view(0, 1)).toMatchObject({ summary: 'No results for ‘dataset & <b>’', pagination: null, items: [] });
  });

  it('shows the last page for a page number past the end, and needs no pagination for one page', () => {
    expect(view(12, 9)).toMatchObject({ page: 2, first: 11 });
    expect(view(10, 1).pagination).toBeNull();
  });

  it('offers the first, last and neighbouring page numbers, with gaps', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageNumbers(3, 10)).toEqual([1, 2, 3, 4, null, 10]);
  });

  it('fills labels with plain values and leaves unknown placeholders', () => {
    expect(fillLabel('{count} for {query} {other}', { count: '3', query: '{count}' })).toBe('3 for {count} {other}');
    expect(fillLabel('{constructor}', {})).toBe('{constructor}');
    expect(searchHref('/search/', 'a b', 1)).toBe('/search/?q=a+b');
  });
});
