import { describe, expect, it } from 'vitest';
import { formatReloadForTerminal } from '../../src/cli/devReport.js';
import type { ReloadOutcome } from '../../src/live/liveSite.js';

describe('the preview report for a terminal', () => {
  it('quotes the lines around a problem with their control characters shown, not obeyed', () => {
    const text = '---\ntitle: \u001b]0;pwned\u0007Plans\ndescription: D\n\u001b[2Jtittle: typo\r\n---\n';
    const outcome: ReloadOutcome = {
      ok: false,
      version: 1,
      reason: 'file change',
      stats: null,
      preview: { ok: false, stats: null },
      timings: { readMs: 0, buildMs: 0, renderMs: 0 },
      diagnostics: [
        { file: 'plans.md', line: 4, column: 1, severity: 'error', message: 'unknown key "\u001b[2Jtittle"' },
      ],
    };
    const out = formatReloadForTerminal(outcome, () => text, 'content/');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('content/plans.md:4:1: error: unknown key "\\x1b[2Jtittle"');
    expect(out).toContain('  2 | title: \\x1b]0;pwned\\x07Plans');
    expect(out).toContain('> 4 | \\x1b[2Jtittle: typo');
  });

  it('splits a file into lines once, however many problems it has', () => {
    let reads = 0;
    const text = `---\ntitle: T\n---\n${'x\n'.repeat(50_000)}`;
    const diagnostics = Array.from({ length: 2000 }, (_, i) => ({
      file: 'big.md',
      line: 4 + i,
      column: 1,
      severity: 'error' as const,
      message: 'a problem',
    }));
    formatReloadForTerminal(
      {
        ok: false,
        version: 1,
        reason: 'start',
        stats: null,
        preview: { ok: false, stats: null },
        timings: { readMs: 0, buildMs: 0, renderMs: 0 },
        diagnostics,
      },
      () => {
        reads++;
        return text;
      },
      '',
    );
    expect(reads).toBe(1);
  });

  it("never quotes a binary file's bytes: a problem in a PDF is named, not framed", () => {
    const pdf = `%PDF-1.7\n\u0000\uFFFD\u001b[2J${'\uFFFD'.repeat(20)}\n`;
    const out = formatReloadForTerminal(
      {
        ok: true,
        version: 1,
        reason: 'start',
        stats: null,
        preview: { ok: true, stats: null },
        timings: { readMs: 0, buildMs: 0, renderMs: 0 },
        diagnostics: [
          { file: 'documents/x/report.pdf', line: 1, column: 1, severity: 'warning', message: 'nothing uses it' },
          // A file named like text whose bytes are not text is not quoted either.
          { file: 'documents/x/data.csv', line: 1, column: 1, severity: 'warning', message: 'not text' },
        ],
      },
      () => pdf,
      'content/',
    );
    expect(out).toContain('content/documents/x/report.pdf:1:1: warning: nothing uses it\n\n');
    expect(out).toContain('content/documents/x/data.csv:1:1: warning: not text\n');
    expect(out).not.toContain('PDF-1.7');
    expect(out).not.toContain(' | ');
  });

  it('at the start, says whether the other pages are shown: yes when each error is in a page, else no', () => {
    const report = (file: string, version: number) =>
      formatReloadForTerminal(
        {
          ok: false,
          version,
          reason: 'start',
          stats: null,
          preview: { ok: false, stats: null },
          timings: { readMs: 0, buildMs: 0, renderMs: 0 },
          diagnostics: [{ file, line: 1, column: 1, severity: 'error', message: 'broken' }],
        },
        () => null,
        'content/',
      );
    expect(report('about.md', 1)).toContain(
      'Meanwhile each page with problems shows them, and every other page is shown.',
    );
    expect(report('Bad Name.md', 0)).toContain('Until then every page shows them.\n');
    expect(report('site.yml', 0)).toContain('Until then every page shows them: they concern the whole site.');
  });
});
