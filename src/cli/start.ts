#!/usr/bin/env node
/** `npm start`: validates the content, then serves it. Exits on SIGTERM/SIGINT after draining. */
import path from 'node:path';
import { watchForReloads } from '../live/contentWatcher.js';
import { LiveSite } from '../live/liveSite.js';
import { ContentWorkers } from '../parallel/contentWorkers.js';
import { machineParallelism } from '../parallel/workerPool.js';
import { createSiteHandler } from '../server/handler.js';
import { listen } from '../server/httpServer.js';
import { createLogger } from '../logger.js';
import { createEditor } from '../editor/editorApp.js';
import { UserStore } from '../editor/users/users.js';
import type { ContentStore } from '../store/contentStore.js';
import { FsContentStore } from '../store/fsContentStore.js';
import { GitContentStore } from '../store/gitContentStore.js';
import { formatReport } from './report.js';
import { followWithSearch } from './followWithSearch.js';
import { runCommand } from './runCommand.js';

runCommand('The server', 'server', async (config) => {
  const logger = createLogger(config.logLevel);
  // The browser editor runs when it is not turned off and someone can sign in; its changes are git commits.
  const editorUsers = config.editor.enabled ? (await new UserStore(config.editor.dataDir).list()).length : 0;
  const store: ContentStore =
    editorUsers > 0 ? await GitContentStore.open(config.contentDir) : await FsContentStore.open(config.contentDir);
  // The live site reloads on file changes and SIGHUP, swapping versions atomically.
  // Parsing, validation and rendering run on worker threads: every core for the first load, then one core is left
  // to this thread, which answers requests while content reloads. One worker stays for the next reload; the
  // others end when idle, giving their memory back.
  const workers = new ContentWorkers({ minWorkers: 1, idleMs: 10_000, inThreadBelowBytes: 2 * 1024 * 1024 });
  const live = new LiveSite({
    source: store,
    siteUrl: config.siteUrl,
    logger,
    ...(editorUsers > 0 ? { preview: {} } : {}),
    workers,
  });
  // Visitors search the public view: its index holds no drafts.
  const search = followWithSearch(live, 'public', logger);
  const first = await live.reload({ content: 'all', reason: 'start' });
  workers.pool.resize(machineParallelism() - 1);
  workers.inThreadBelowBytes = 0;
  // A worker made ready now (code loaded, templates compiled), not at the first edit.
  void live.prepare(['/']);
  const site = live.current();
  if (!first.ok || !site) {
    const prefix = `${path.relative(process.cwd(), config.contentDir) || '.'}/`;
    process.stderr.write(formatReport(first.diagnostics, prefix));
    process.stderr.write('The site was not started: fix the errors above, then run npm start again.\n');
    return 1;
  }

  const editor = editorUsers > 0 ? await createEditor({ store, live, dataDir: config.editor.dataDir, logger }) : null;
  const running = await listen(
    (isDraining) =>
      createSiteHandler({
        config,
        site: () => live.current() ?? site,
        logger,
        isDraining,
        contentStatus: () => live.status(),
        before: editor ? [editor.handler] : [],
        search,
      }),
    config,
  );
  const watcher = config.watchContent
    ? await watchForReloads(live, [{ dir: config.contentDir, kind: 'content' }], { debounceMs: 200, logger })
    : null;
  process.on('SIGHUP', () => void live.reload({ content: 'all', reason: 'SIGHUP' }));
  const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
  process.stdout.write(
    `Serving ${site.pages.size} pages at http://${shownHost}:${running.port}/ (press Ctrl+C to stop)\n`,
  );
  process.stdout.write(
    !config.editor.enabled
      ? 'The browser editor is off (EDITOR=off).\n'
      : editor
        ? `Edit the site in a browser at http://${shownHost}:${running.port}/edit/ ` +
          `(${editorUsers} ${editorUsers === 1 ? 'user' : 'users'}).\n`
        : 'The browser editor is off until someone can sign in: add the first user ' +
          'with\n  npm run user -- add <username> --role admin\nthen restart the server.\n',
  );
  logger.info({ port: running.port, host: config.host, pages: site.pages.size }, 'listening');

  const stop = async (signal: string) => {
    if (running.isDraining()) return;
    logger.info({ signal }, 'draining');
    await watcher?.close();
    live.close();
    search.close();
    const outcome = await running.drain(config.shutdownTimeoutMs);
    logger.info({ outcome }, 'stopped');
    process.exit(outcome === 'drained' ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return null;
});
