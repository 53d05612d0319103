/** The size of a content folder's pages, known before the folder is read (src/content/contentSize.ts). */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pageSourceBytes } from '../../src/content/contentSize.js';
import { readContentFolder } from '../../src/content/readContentFolder.js';

const temp = mkdtempSync(path.join(os.tmpdir(), 'content-size-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function write(root: string, file: string, bytes: number): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), 'x'.repeat(bytes));
}

describe('pageSourceBytes', () => {
  it('adds up the Markdown files the build will read, as readContentFolder finds them', async () => {
    const root = path.join(temp, 'site');
    write(root, 'index.md', 100);
    write(root, 'streams/a.md', 2000);
    write(root, 'streams/deep/b.md', 30);
    write(root, 'site.yml', 5000); // not a page
    write(root, 'documents/report/file.pdf', 7000); // not a page
    write(root, '.drafts/hidden.md', 900); // ignored, as the read ignores it
    write(root, 'node_modules/x/readme.md', 900);
    write(root, 'streams/.notes.md', 900);
    symlinkSync(path.join(root, 'streams/a.md'), path.join(root, 'linked.md')); // refused by the build, not counted
    expect(await pageSourceBytes(root)).toBe(2130);
    const read = await readContentFolder(root);
    const pages = read.entries.filter((e) => e.kind === 'file' && e.path.endsWith('.md'));
    expect(pages.reduce((sum, e) => sum + e.bytes!.length, 0)).toBe(2130);
  });

  it('is 0 for a folder that does not exist (the read says what is wrong)', async () => {
    expect(await pageSourceBytes(path.join(temp, 'missing'))).toBe(0);
  });
});
