/**
 * Changes waiting for review, kept as git branches: each is a branch
 * `review/<id>` in the content repository whose commits change one file of
 * the content folder, on top of the published commit the change was made
 * from. Every save of the change is one more commit on its branch, with the
 * person as its author, so no version of it is ever lost.
 *
 * Commits are made with a private index file, beside the work tree: the
 * published files, the repository's index and the checked-out branch are
 * never touched, so the site and the content store go on as if the branch
 * did not exist. Only the published branch is ever pushed to a remote.
 * Each branch moves by compare-and-swap (`git update-ref <new> <old>`), so
 * two writers can never silently replace each other's commit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  HISTORY_PAGE_SIZE,
  StoreConflictError,
  type HistoryEntry,
  type HistoryPage,
  type PageRequest,
} from './contentStore.js';
import { runGit, type GitIdentity, type GitRunOptions } from './git.js';
import { EDITOR_COMMITTER, historyEntry, LOG_FORMAT, parseLog } from './gitContentStore.js';
import { checkStorePath } from './storePaths.js';

export const REVIEW_BRANCH_PREFIX = 'refs/heads/review/';
/** Change ids are made by the server: lowercase letters and digits only. */
export const CHANGE_ID = /^[a-z0-9]{8,40}$/;
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export interface BranchCommit {
  /** The file's new bytes; null removes the file. */
  bytes: Buffer | null;
  author: GitIdentity;
  message: string;
  /** The branch's commit the writer last saw; null when the branch must not exist yet. */
  expectedTip: string | null;
  /** For a new branch: the published commit it starts from. */
  base?: string;
}

export class ReviewBranches {
  private constructor(
    /** The repository's top folder: plumbing runs there, with paths from the top. */
    private readonly top: string,
    /** The content folder's path inside the repository ("" or "content/"). */
    private readonly prefix: string,
  ) {}

  /** For the repository holding a content folder (opened by GitContentStore first). */
  static async open(contentDir: string): Promise<ReviewBranches> {
    const out = await runGit(contentDir, ['rev-parse', '--show-toplevel', '--show-prefix']);
    const [top = '', prefix = ''] = out.stdout.toString('utf8').split('\n');
    if (top === '') throw new Error(`${contentDir} is not inside a git repository`);
    return new ReviewBranches(top, prefix);
  }

  /** The published commit (the checked-out branch's newest). */
  async head(): Promise<string> {
    return (await this.git(['rev-parse', '--verify', '--end-of-options', 'HEAD'])).stdout.toString('utf8').trim();
  }

  /** The newest commit of a change's branch; null when there is no such branch. */
  async tip(id: string): Promise<string | null> {
    checkId(id);
    const out = await this.git(['rev-parse', '--verify', '-q', '--end-of-options', `${REVIEW_BRANCH_PREFIX}${id}`], {
      okCodes: [1, 128],
    });
    const tip = out.stdout.toString('utf8').trim();
    return out.code === 0 && COMMIT_ID.test(tip) ? tip : null;
  }

  /**
   * Records a new version of the file on the change's branch (creating the
   * branch on `base` when `expectedTip` is null) and returns the new commit.
   * Refused with StoreConflictError when the branch moved since `expectedTip`.
   */
  async commit(id: string, file: string, change: BranchCommit): Promise<string> {
    checkId(id);
    checkStorePath(file);
    const parent = change.expectedTip ?? change.base;
    if (!parent || !COMMIT_ID.test(parent)) throw new Error('a new review branch needs the commit it starts from');
    const full = `${this.prefix}${file}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'review-index-'));
    try {
      const indexFile = path.join(dir, 'index');
      await this.git(['read-tree', '--end-of-options', parent], { indexFile });
      let entry: string;
      if (change.bytes === null) {
        entry = `0 ${'0'.repeat(parent.length)}\t${full}\n`;
      } else {
        const blob = (await this.git(['hash-object', '-w', '--stdin', '--no-filters'], { input: change.bytes })).stdout
          .toString('utf8')
          .trim();
        const mode = await this.modeOf(parent, full);
        entry = `${mode} ${blob}\t${full}\n`;
      }
      await this.git(['update-index', '--index-info'], { indexFile, input: entry });
      const tree = (await this.git(['write-tree'], { indexFile })).stdout.toString('utf8').trim();
      const commit = (
        await this.git(['commit-tree', tree, '-p', parent, '-F', '-'], {
          input: `${change.message.replace(/\r\n?/g, '\n').trim()}\n`,
          author: change.author,
        })
      ).stdout
        .toString('utf8')
        .trim();
      // Compare-and-swap: "" means the branch must not exist yet.
      const moved = await this.git(
        ['update-ref', '--end-of-options', `${REVIEW_BRANCH_PREFIX}${id}`, commit, change.expectedTip ?? ''],
        { okCodes: [1, 128] },
      );
      if (moved.code !== 0) throw new StoreConflictError(file, null);
      return commit;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The file's bytes at a commit of the repository (null when it has no such file there). */
  async readAt(commit: string, file: string): Promise<Buffer | null> {
    checkStorePath(file);
    if (!COMMIT_ID.test(commit)) return null;
    const out = await this.git(['cat-file', 'blob', '--end-of-options', `${commit}:${this.prefix}${file}`], {
      okCodes: [128],
    });
    return out.code === 0 ? out.stdout : null;
  }

  /**
   * The branch's own commits (not yet published) that changed the file,
   * newest first, a page at a time from `page.from` (one of them): git's
   * log only, no version's bytes read. None when `from` is not on the branch.
   */
  async history(id: string, file: string, page: PageRequest = {}): Promise<HistoryPage<HistoryEntry>> {
    checkStorePath(file);
    const none = { entries: [], older: null };
    const tip = await this.tip(id);
    const from = page.from ?? tip;
    if (!tip || !from || !COMMIT_ID.test(from)) return none;
    if (from !== tip) {
      const onBranch = await this.git(['merge-base', '--is-ancestor', from, tip], { okCodes: [1, 128] });
      if (onBranch.code !== 0) return none;
    }
    const limit = page.limit ?? HISTORY_PAGE_SIZE;
    const full = `${this.prefix}${file}`;
    const args = ['log', `-n${limit + 1}`, LOG_FORMAT, '--name-status', '--no-renames'];
    const log = await this.git([...args, '--end-of-options', from, '^HEAD', '--', full], { okCodes: [128] });
    const commits = log.code === 0 ? parseLog(log.stdout.toString('utf8')) : [];
    return { entries: commits.slice(0, limit).map((c) => historyEntry(c, full)), older: commits[limit]?.id ?? null };
  }

  /** Deletes a change's branch (once published or withdrawn); refused when it moved since `expectedTip`. */
  async delete(id: string, expectedTip: string): Promise<void> {
    checkId(id);
    const out = await this.git(['update-ref', '-d', '--end-of-options', `${REVIEW_BRANCH_PREFIX}${id}`, expectedTip], {
      okCodes: [1, 128],
    });
    if (out.code !== 0) throw new StoreConflictError(id, null);
  }

  private async modeOf(commit: string, full: string): Promise<string> {
    const out = await this.git(['ls-tree', '--end-of-options', commit, '--', full]);
    const mode = /^(100644|100755) /.exec(out.stdout.toString('utf8'))?.[1];
    return mode ?? '100644';
  }

  private git(args: readonly string[], options: GitRunOptions = {}) {
    return runGit(this.top, args, { committer: EDITOR_COMMITTER, ...options });
  }
}

function checkId(id: string): void {
  if (!CHANGE_ID.test(id)) throw new Error(`"${id.slice(0, 50)}" is not a change id`);
}
