import { describe, expect, it } from 'vitest';
import { printable, printableLines } from '../../src/content/printable.js';

describe('printable text', () => {
  it('shows terminal controls as visible escapes: escape sequences, carriage returns, line breaks, C1 controls', () => {
    expect(printable('\u001b]0;pwned\u0007title')).toBe('\\x1b]0;pwned\\x07title');
    expect(printable('\u001b[2J\u001b[HContent OK\r\nx')).toBe('\\x1b[2J\\x1b[HContent OK\\x0d\\x0ax');
    expect(printable('\u009b31m\u007f')).toBe('\\x9b31m\\x7f');
  });

  it('shows bidirectional controls, which reorder what is shown, as escapes too', () => {
    expect(printable('invoice\u202Efdp.csv')).toBe('invoice\\u202efdp.csv');
    expect(printable('a\u2066b\u2069\u200fc')).toBe('a\\u2066b\\u2069\\u200fc');
  });

  it('keeps ordinary text, tabs and non-Latin letters as they are', () => {
    expect(printable('Données – Ünïcödé\tčšž 日本 ✓')).toBe('Données – Ünïcödé\tčšž 日本 ✓');
  });

  it('keeps line feeds in multi-line text of our own, and nothing else', () => {
    expect(printableLines('one\ntwo\u001b[1A\rthree\n')).toBe('one\ntwo\\x1b[1A\\x0dthree\n');
  });
});
