import { describe, expect, it } from 'vitest';
import { splitFrontMatter, MAX_FRONT_MATTER_BYTES } from '../../src/content/frontMatter.js';

function problems(text: string) {
  const r = splitFrontMatter(text);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('splitFrontMatter', () => {
  it('splits a bare --- block and maps body lines to file lines', () => {
    const r = splitFrontMatter('---\ntitle: A\ndescription: B\n---\n\nHello\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.frontMatter.data).toEqual({ title: 'A', description: 'B' });
    expect(r.value.body).toBe('\nHello\n');
    expect(r.value.bodyLineOffset).toBe(4); // body line 2 ("Hello") is file line 6
  });

  it('accepts Windows line endings and a byte order mark', () => {
    const r = splitFrontMatter('\uFEFF---\r\ntitle: A\r\n---\r\nBody\r\n');
    expect(r.ok && r.value.frontMatter.data).toEqual({ title: 'A' });
  });

  for (const opener of [
    '---js',
    '---javascript',
    '---JavaScript',
    '--- js ',
    '---JS',
    '---json',
    '---coffee',
    '---yaml',
    '----',
  ]) {
    it(`refuses the opener ${JSON.stringify(opener)} without running it`, () => {
      const marker = `globalThis.__frontMatterRan = true`;
      const p = problems(`${opener}\n{ title: (function(){ ${marker}; return "x" })() }\n---\nBody\n`);
      expect(p[0]!.line).toBe(1);
      expect(p[0]!.message).toMatch(/exactly "---"/);
      expect((globalThis as Record<string, unknown>).__frontMatterRan).toBeUndefined();
    });
  }

  it('requires front matter', () => {
    expect(problems('# Just a heading\n')[0]!.message).toMatch(/must start with front matter/);
  });

  it('reports front matter that is never closed', () => {
    expect(problems('---\ntitle: A\n')[0]!.message).toMatch(/never closed/);
  });

  it('refuses front matter over 16 KB', () => {
    const big = `---\ntitle: A\ndescription: "${'x'.repeat(MAX_FRONT_MATTER_BYTES)}"\n---\n`;
    expect(problems(big)[0]!.message).toMatch(/larger than 16 KB/);
  });

  it('names the line of malformed YAML', () => {
    const p = problems('---\ntitle: A\ndescription: [unclosed\n---\n');
    expect(p[0]!.line).toBeGreaterThanOrEqual(3);
    expect(p[0]!.message).toMatch(/the value of "description" starts with "\[".*put the value in double quotes/);
  });

  it('refuses tabs in indentation, naming the line', () => {
    const p = problems('---\ntitle: A\nnavigation:\n\torder: 1\n---\n');
    expect(p.some((x) => x.line === 4 && /tab/.test(x.message))).toBe(true);
  });

  it('refuses YAML aliases and anchors (billion laughs)', () => {
    const bomb = [
      '---',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'title: *c',
      '---',
      '',
    ].join('\n');
    const p = problems(bomb);
    expect(p.some((x) => /aliases/.test(x.message))).toBe(true);
    expect(p.some((x) => /anchors/.test(x.message) && x.line === 2)).toBe(true);
  });

  it('refuses !!binary and custom tags', () => {
    expect(problems('---\ntitle: !!binary aGVsbG8=\n---\n')[0]!.message).toMatch(/tags/);
    expect(problems('---\ntitle: !custom x\n---\n').some((p) => /tag/.test(p.message))).toBe(true);
  });

  it('refuses tags on lists and maps too, at the tagged node', () => {
    for (const [yaml, line] of [
      ['title: A\nnavigation: !!omap\n  - order: 1\n', 3],
      ['title: A\nnavigation: !!map\n  order: 1\n', 3],
      ['title: A\ndocuments: !!seq\n  - a\n', 3],
      ['title: A\ndocuments: !!set {a, b}\n', 3],
      ['title: A\nnavigation: !custom {order: 1}\n', 3],
      ['title: A\nnavigation: ! {order: 1}\n', 3],
      ['!!map\ntitle: A\n', null],
    ] as const) {
      const p = problems(`---\n${yaml}---\n`);
      const tagged = p.find((x) => /tags like .* are not allowed/.test(x.message));
      expect(tagged, yaml).toBeDefined();
      if (line !== null) expect(tagged!.line, yaml).toBe(line);
    }
  });

  it('refuses merge keys and __proto__ keys', () => {
    expect(problems('---\n<<: {title: A}\n---\n')[0]!.message).toMatch(/merge keys/);
    const p = problems('---\n__proto__:\n  polluted: true\n---\n');
    expect(p[0]!.message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses duplicate keys', () => {
    expect(problems('---\ntitle: A\ntitle: B\n---\n')[0]).toMatchObject({
      line: 3,
      message: expect.stringMatching(/twice/),
    });
  });

  it('keeps dates as text so that they can be checked strictly', () => {
    const r = splitFrontMatter('---\nupdated: 2024-13-45\n---\n');
    expect(r.ok && r.value.frontMatter.data).toEqual({ updated: '2024-13-45' });
  });
});
