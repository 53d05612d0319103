import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentLoader, folderSource } from '../../src/content/loadContent.js';
import { BUNDLED_SETTINGS, minimalFiles, page, tempContent } from '../helpers/site.js';

describe('the site settings kept between reloads', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('are parsed again only when site.yml changes, and then give the new settings and their problems', async () => {
    const temp = tempContent(minimalFiles({ 'about.md': page('title: About\ndescription: D') }));
    cleanup = temp.cleanup;
    const loader = new ContentLoader(folderSource(temp.dir), { writingAdvice: true });
    const first = await loader.load('all', 0);
    expect(first.build.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    writeFileSync(path.join(temp.dir, 'about.md'), page('title: About\ndescription: D', 'Edited.\n'));
    const edited = await loader.load(['about.md'], 0);
    expect(edited.build.settings).toBe(first.build.settings); // the same object: site.yml was not parsed again

    writeFileSync(path.join(temp.dir, 'site.yml'), BUNDLED_SETTINGS.replace(/^name: .*$/m, 'name: Another name'));
    const renamed = await loader.load(['site.yml'], 0);
    expect(renamed.build.settings?.name).toBe('Another name');
    expect(renamed.build.site?.settings.name).toBe('Another name');

    writeFileSync(path.join(temp.dir, 'site.yml'), 'name: [unclosed\n');
    const broken = await loader.load(['site.yml'], 0);
    expect(broken.build.site).toBeNull();
    expect(broken.build.diagnostics.some((d) => d.file === 'site.yml' && d.severity === 'error')).toBe(true);
    // Reported again by the next reload while it stays broken, not only by the one that read it.
    const still = await loader.load(['about.md'], 0);
    expect(still.build.diagnostics.some((d) => d.file === 'site.yml' && d.severity === 'error')).toBe(true);

    // A check of an edit (the editor) does not disturb what the next reload finds.
    writeFileSync(path.join(temp.dir, 'site.yml'), BUNDLED_SETTINGS);
    expect(loader.validateEdit('site.yml', Buffer.from('name: [unclosed\n'), 0).site).toBeNull();
    const fixed = await loader.load(['site.yml'], 0);
    expect(fixed.build.site?.settings.name).toBe(first.build.settings?.name);
  });

  it('follow the plain-English word list', async () => {
    const temp = tempContent(
      minimalFiles({ 'about.md': page('title: About\ndescription: D', 'We will utilise the money.\n') }),
    );
    cleanup = temp.cleanup;
    const loader = new ContentLoader(folderSource(temp.dir), { writingAdvice: true });
    const advice = (d: { file: string; message: string }) => d.file === 'about.md' && /utilise/.test(d.message);
    expect((await loader.load('all', 0)).build.diagnostics.some(advice)).toBe(false);
    writeFileSync(path.join(temp.dir, 'plain-english.yml'), 'words:\n  - avoid: utilise\n    instead: use\n');
    expect((await loader.load(['plain-english.yml'], 0)).build.diagnostics.some(advice)).toBe(true);
  });
});
