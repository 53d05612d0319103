/**
 * `npm run check` on pictures, as staff who edit files meet them: a picture
 * without a description, or whose file is missing, is an error at the
 * picture's file:line:column; a picture a page shows is never advised as an
 * unused file, while one nothing shows still is.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/checkCommand.js';
import { tinyPng } from '../helpers/images.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';

describe('npm run check on pictures', () => {
  it('reports an undescribed and a missing picture at file:line:column, and no shown picture as unused', async () => {
    const body = [
      'Our team.',
      '',
      '![The project team at a meeting](team.png)',
      '',
      '![](border.png)',
      '',
      'See ![A chart](chrat.png).',
      '',
    ];
    const { dir, cleanup } = tempContent(
      minimalFiles({ 'about.md': page('title: About\ndescription: About the project.', body.join('\n')) }),
    );
    try {
      for (const name of ['team.png', 'border.png', 'chart.png', 'unused.png'])
        writeFileSync(path.join(dir, name), tinyPng());
      const outcome = await runCheck(dir, 'https://example.org', dir);
      const lines = outcome.report.split('\n');
      const errors = lines.filter((l) => l.includes(': error: '));
      expect(errors).toEqual([
        './about.md:9:5: error: the image "border.png" has no description for people who cannot see it: write ' +
          'what it shows between the square brackets, for example ![A midwife weighing a newborn baby](border.png), ' +
          'or, if it is only decoration, write {decorative} right after it: ![](border.png){decorative}',
        './about.md:11:16: error: the image "chrat.png" is missing: there is no file chrat.png in the content ' +
          'folder. Add the picture there, or correct the name (did you mean "chart.png"?)',
      ]);
      expect(outcome.exitCode).toBe(1);

      // Mended, the check passes; the pictures pages show are used files, and only the one nothing shows is advised on.
      const mended = body.map((l) =>
        l.replace('![](border.png)', '![](border.png){decorative}').replace('chrat', 'chart'),
      );
      writeFileSync(
        path.join(dir, 'about.md'),
        page('title: About\ndescription: About the project.', mended.join('\n')),
      );
      const passed = await runCheck(dir, 'https://example.org', dir);
      expect(passed.exitCode).toBe(0);
      const advice = passed.report.split('\n').filter((l) => /\.png/.test(l));
      expect(advice).toEqual([expect.stringMatching(/^\.\/unused\.png:1:1: warning: /)]);
    } finally {
      cleanup();
    }
  });
});
