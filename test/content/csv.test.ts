import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/content/csv.js';

describe('parseCsv', () => {
  it('reads plain rows with CRLF or LF endings and an optional BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,2\r\n')).toEqual({
      ok: true,
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    });
    expect(parseCsv('a,b\n1,2')).toEqual({
      ok: true,
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    });
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\n')).toEqual({
      ok: true,
      rows: [
        ['name', 'note'],
        ['Smith, J', 'said "hi"\nthen left'],
      ],
    });
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\n')).toEqual({ ok: true, rows: [['a', '', 'c', '']] });
    expect(parseCsv('"",x\n')).toEqual({ ok: true, rows: [['', 'x']] });
  });

  it('reports an unclosed quote at the line where it opened', () => {
    expect(parseCsv('a,b\n1,2\n3,"never closed\n4,5\n')).toMatchObject({
      ok: false,
      line: 3,
      message: expect.stringContaining('never closed'),
    });
  });

  it('reports stray quotes with their line', () => {
    expect(parseCsv('a,b\n1,x"y\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a,b\n"1"x,2\n')).toMatchObject({ ok: false, line: 2 });
  });

  it('reads an empty file as no rows', () => {
    expect(parseCsv('')).toEqual({ ok: true, rows: [] });
  });
});
