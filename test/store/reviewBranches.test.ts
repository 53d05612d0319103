/**
 * Changes waiting for review as git branches, in a repository whose content
 * folder is a subfolder (as the bundled content is): commits are made beside
 * the work tree, which, like the index and the checked-out branch, is never
 * touched; a branch moves only from the commit its writer saw.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../src/store/contentStore.js';
import { GitContentStore } from '../../src/store/gitContentStore.js';
import { ReviewBranches } from '../../src/store/reviewBranches.js';
import { git as gitIn } from '../helpers/git.js';

let root: string;
let content: string;
const git = (...args: string[]) => gitIn(root, ...args);
const ANN = { name: 'Ann Smith', email: 'ann@example.org' };

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'review-branches-'));
  content = path.join(root, 'content');
  mkdirSync(path.join(content, 'section'), { recursive: true });
  writeFileSync(path.join(root, 'README.md'), 'Project\n');
  writeFileSync(path.join(content, 'section', 'page.md'), 'Published\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'Start');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('review branches', () => {
  it('commits a change beside the work tree, reads it back and lists its versions', async () => {
    const store = await GitContentStore.open(content);
    const branches = await ReviewBranches.open(content);
    const head = await branches.head();
    const statusBefore = git('status', '--porcelain');
    const first = await branches.commit('aaaaaaaa11', 'section/page.md', {
      bytes: Buffer.from('Changed once\n'),
      author: ANN,
      message: 'Edit the page',
      expectedTip: null,
      base: head,
    });
    const second = await branches.commit('aaaaaaaa11', 'section/page.md', {
      bytes: Buffer.from('Changed twice\n'),
      author: ANN,
      message: 'Edit the page again',
      expectedTip: first,
    });
    expect(await branches.tip('aaaaaaaa11')).toBe(second);
    expect((await branches.readAt(second, 'section/page.md'))!.toString()).toBe('Changed twice\n');
    expect((await store.readAt('section/page.md', second))!.toString()).toBe('Changed twice\n');
    expect(git('show', 'review/aaaaaaaa11:content/section/page.md')).toBe('Changed twice');
    expect(git('show', '--stat', '--format=%an', 'review/aaaaaaaa11')).toMatch(
      /^Ann Smith\n+ content\/section\/page\.md/,
    );
    const history = (await branches.history('aaaaaaaa11', 'section/page.md')).entries;
    expect(history.map((h) => [h.id, h.message, h.author])).toEqual([
      [second, 'Edit the page again', 'Ann Smith <ann@example.org>'],
      [first, 'Edit the page', 'Ann Smith <ann@example.org>'],
    ]);
    // The published files, the index and the checked-out branch are as they were.
    expect(readFileSync(path.join(content, 'section', 'page.md'), 'utf8')).toBe('Published\n');
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe(statusBefore);
    expect(git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });

  it('moves a branch only from the commit its writer saw, and deletes it the same way', async () => {
    const branches = await ReviewBranches.open(content);
    const tip = (await branches.tip('aaaaaaaa11'))!;
    const stale = branches.commit('aaaaaaaa11', 'section/page.md', {
      bytes: Buffer.from('From an old tab\n'),
      author: ANN,
      message: 'Edit',
      expectedTip: git('rev-parse', 'HEAD'),
    });
    await expect(stale).rejects.toBeInstanceOf(StoreConflictError);
    const again = branches.commit('aaaaaaaa11', 'section/page.md', {
      bytes: null,
      author: ANN,
      message: 'Create again',
      expectedTip: null,
      base: git('rev-parse', 'HEAD'),
    });
    await expect(again).rejects.toBeInstanceOf(StoreConflictError);
    const deletion = await branches.commit('aaaaaaaa11', 'section/page.md', {
      bytes: null,
      author: ANN,
      message: 'Delete the page',
      expectedTip: tip,
    });
    expect(await branches.readAt(deletion, 'section/page.md')).toBeNull();
    await expect(branches.delete('aaaaaaaa11', tip)).rejects.toBeInstanceOf(StoreConflictError);
    await branches.delete('aaaaaaaa11', deletion);
    expect(await branches.tip('aaaaaaaa11')).toBeNull();
    await expect(branches.tip('../../etc')).rejects.toThrow('is not a change id');
    await expect(
      branches.commit('bbbbbbbb22', '../outside.md', {
        bytes: Buffer.from('x'),
        author: ANN,
        message: 'x',
        expectedTip: null,
        base: git('rev-parse', 'HEAD'),
      }),
    ).rejects.toThrow('cannot be stored');
  });
});
