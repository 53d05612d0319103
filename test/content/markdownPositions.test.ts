import { describe, expect, it } from 'vitest';
import { createMarkdown, renderMarkdown } from '../../src/content/markdown.js';

const md = createMarkdown();
/** "line:column" of each link and image, 1-based, as reported against the body. */
const at = (src: string) => {
  const r = renderMarkdown(md, src);
  return [...r.links, ...r.images].map((l) => `${l.href} ${l.line}:${l.column}`);
};

describe('source positions of links and images', () => {
  it('point at the address of inline links, in any kind of block', () => {
    expect(at('See [a](/x/) and [b](/y/).')).toEqual(['/x/ 1:9', '/y/ 1:22']);
    expect(at('# Heading [a](/x/)')).toEqual(['/x/ 1:15']);
    expect(at('- one\n- two [a](/x/)')).toEqual(['/x/ 2:11']);
    expect(at('> quoted\n> [a](/x/)')).toEqual(['/x/ 2:7']);
    expect(at('  indented [a](/x/)')).toEqual(['/x/ 1:16']);
    expect(at('line one\nline [a](/x/) two\n  and [b]( /y/ )')).toEqual(['/x/ 2:10', '/y/ 3:12']);
  });

  it('find addresses that are not written as they resolve', () => {
    expect(at('[a](<b c>) [home](&#47;)')).toEqual(['b%20c 1:6', '/ 1:19']);
    expect(at('[a](\n/x/)')).toEqual(['/x/ 2:1']);
  });

  it('point at autolinks, reference links and images', () => {
    expect(at('Mail <a@example.org> now')).toEqual(['mailto:a@example.org 1:7']);
    expect(at('[a][ref]\n\n[ref]: /x/')).toEqual(['/x/ 1:4']);
    expect(at('An ![alt text](/i.png) image')).toEqual(['/i.png 1:16']);
  });

  it('find each cell of a table row in turn, even when cells look alike', () => {
    expect(at('| a | b |\n|---|---|\n| [x](/1/) | [x](/2/) |\n| \\| [x](/3/) | [x](/4/) |')).toEqual([
      '/1/ 3:7',
      '/2/ 3:18',
      '/3/ 4:10',
      '/4/ 4:21',
    ]);
  });

  it('report positions against the file with the body line offset', () => {
    expect(renderMarkdown(md, 'a\n\nsee [x](/y/)\n', 10).links).toEqual([{ href: '/y/', line: 13, column: 9 }]);
  });
});

describe('heading ids', () => {
  /** The rule as first written: try 2, 3, … for every duplicate. */
  function naiveIds(texts: string[]): string[] {
    const used = new Set<string>();
    return texts.map((t) => {
      const base = `section-${t.replace(/ /g, '-')}`;
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      return id;
    });
  }

  it('are the same as trying each number in turn, for headings whose numbers collide', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 50; round++) {
      const texts = Array.from({ length: 60 }, () => ['a', 'a 2', 'a 3', 'a 2 2', 'b', 'a 4'][random(6)]!);
      const ids = renderMarkdown(md, texts.map((t) => `## ${t}`).join('\n\n')).headings.map((h) => h.id);
      expect(ids).toEqual(naiveIds(texts));
    }
  });
});
