import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/cli/report.js';
import type { Diagnostic } from '../../src/content/diagnostics.js';

const ESCAPES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('the content report for a terminal', () => {
  it('prints no control character from the content, and one line per problem', () => {
    const hostile: Diagnostic[] = [
      {
        file: 'a\u001b]0;pwned\u0007.md',
        line: 1,
        column: 1,
        severity: 'error',
        message: 'unknown key "\u001b[2J\u001b[H"',
      },
      {
        file: 'b.md',
        line: 2,
        column: 1,
        severity: 'error',
        message: 'unknown key "x\rContent OK: no problems found.\n"',
      },
    ];
    const out = formatReport(hostile, 'content/');
    expect(out).not.toMatch(ESCAPES);
    expect(out.split('\n')).toEqual([
      'content/a\\x1b]0;pwned\\x07.md:1:1: error: unknown key "\\x1b[2J\\x1b[H"',
      'content/b.md:2:1: error: unknown key "x\\x0dContent OK: no problems found.\\x0a"',
      '2 errors, 0 warnings.',
      '',
    ]);
  });
});
