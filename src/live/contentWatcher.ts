/**
 * Watches folders and asks the live site to reload when files change.
 *
 * Editors save in bursts (a temporary file, a rename, a backup) and a git pull
 * changes many files at once, so events are collected until the folder has
 * been quiet for `debounceMs`, then reloaded together. A steady stream of
 * changes still reloads at least every `maxWaitMs`.
 */
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { isContentPath } from '../content/readContentFolder.js';
import type { Logger } from '../logger.js';
import type { LiveSite, ReloadRequest } from './liveSite.js';

export type WatchKind = 'content' | 'templates' | 'assets';

export interface WatchTarget {
  dir: string;
  kind: WatchKind;
}

export interface WatchOptions {
  debounceMs: number;
  maxWaitMs?: number;
  logger: Logger;
}

export interface ContentWatcher {
  close(): Promise<void>;
}

export async function watchForReloads(
  live: Pick<LiveSite, 'reload'>,
  targets: readonly WatchTarget[],
  options: WatchOptions,
): Promise<ContentWatcher> {
  const roots = targets.map((t) => ({ ...t, dir: path.resolve(t.dir) }));
  let batch: { content: Set<string> | 'all'; templates: boolean; assets: boolean } = fresh();
  let quietTimer: NodeJS.Timeout | null = null;
  let maxWaitTimer: NodeJS.Timeout | null = null;
  const maxWaitMs = options.maxWaitMs ?? Math.max(options.debounceMs * 10, 500);

  function fresh() {
    return { content: new Set<string>() as Set<string> | 'all', templates: false, assets: false };
  }

  const flush = () => {
    if (quietTimer) clearTimeout(quietTimer);
    if (maxWaitTimer) clearTimeout(maxWaitTimer);
    quietTimer = maxWaitTimer = null;
    const b = batch;
    batch = fresh();
    const request: ReloadRequest = { reason: 'file change', templates: b.templates, assets: b.assets };
    if (b.content === 'all' || b.content.size > 0) request.content = b.content === 'all' ? 'all' : [...b.content];
    if (request.content === undefined && !request.templates && !request.assets) return;
    void live.reload(request);
  };

  const onEvent = (absolute: string) => {
    const root = roots.find((r) => absolute === r.dir || absolute.startsWith(r.dir + path.sep));
    if (!root) return;
    const relative = path.relative(root.dir, absolute).split(path.sep).join('/');
    if (root.kind === 'content') {
      if (relative === '') batch.content = 'all';
      else if (!isContentPath(relative)) return;
      else if (batch.content !== 'all') batch.content.add(relative);
    } else if (root.kind === 'templates') batch.templates = true;
    else batch.assets = true;
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = setTimeout(flush, options.debounceMs);
    maxWaitTimer ??= setTimeout(flush, maxWaitMs);
  };

  function isIgnored(absolute: string): boolean {
    const root = roots.find((r) => absolute === r.dir || absolute.startsWith(r.dir + path.sep));
    if (!root || absolute === root.dir) return false;
    return path
      .relative(root.dir, absolute)
      .split(path.sep)
      .some((s) => s.startsWith('.') || s === 'node_modules');
  }

  // Loaded here, not with this module: a server starts watching after it answers its first request.
  const { watch } = await import('chokidar');
  const watcher: FSWatcher = watch(
    roots.map((r) => r.dir),
    {
      ignoreInitial: true,
      followSymlinks: false,
      // Hidden files (editor swap files, .git) are not content; see readContentFolder.
      ignored: (p: string) => isIgnored(path.resolve(p)),
    },
  );
  watcher.on('all', (_event, changedPath) => onEvent(path.resolve(changedPath)));
  // chokidar drops a 'change' when its stat of the file races the write (seen
  // about once in 60 quick saves on Linux), so the raw events of the watchers
  // underneath are used too. Naming a path that did not change only costs a
  // re-read, so the guess below may err on the side of too many.
  watcher.on('raw', (_event, filename, details) => {
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof watched !== 'string') return;
    const name = typeof filename === 'string' ? filename : '';
    // A file's own watcher reports its name; a folder's watcher reports a child's name.
    const changed = name === '' || path.basename(watched) === name ? watched : path.join(watched, name);
    const absolute = path.resolve(changed);
    if (!isIgnored(absolute)) onEvent(absolute);
  });
  watcher.on('error', (error) =>
    options.logger.error({ err: error }, 'file watching failed: send SIGHUP to reload by hand'),
  );
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    async close() {
      if (quietTimer) clearTimeout(quietTimer);
      if (maxWaitTimer) clearTimeout(maxWaitTimer);
      await watcher.close();
    },
  };
}
