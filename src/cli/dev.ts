#!/usr/bin/env node
/**
 * `npm run dev`: the editor's preview. Serves the site with drafts and
 * scheduled pages, watches content/, views/ and public/, rebuilds what an
 * edit affects and reloads open pages. Mistakes are shown in the browser and
 * here, with the lines around them; saving the fix brings the page back.
 */
import path from 'node:path';
import { watchForReloads } from '../live/contentWatcher.js';
import { LiveSite } from '../live/liveSite.js';
import { ContentWorkers } from '../parallel/contentWorkers.js';
import { machineParallelism } from '../parallel/workerPool.js';
import { PUBLIC_DIR, VIEWS_DIR } from '../paths.js';
import { createDevApp, RELOAD_SCRIPT_URL } from '../server/devServer.js';
import { listen, type RunningServer } from '../server/httpServer.js';
import { createLogger } from '../logger.js';
import { FsContentStore } from '../store/fsContentStore.js';
import { formatReloadForTerminal } from './devReport.js';
import { followWithSearch } from './followWithSearch.js';
import { explainListenError } from './listenErrors.js';
import { runCommand } from './runCommand.js';

runCommand('The preview', 'preview', async (config) => {
  // The terminal gets a readable report below; JSON logs only when LOG_LEVEL asks for them.
  const logger = createLogger(config.logLevel);
  const pathPrefix = `${path.relative(process.cwd(), config.contentDir) || '.'}/`;
  const store = await FsContentStore.open(config.contentDir);
  // Parsing, validation and rendering run on worker threads: every core for the first load, then one core is left
  // to this thread, which answers requests while content reloads. One worker stays for the next reload; the
  // others end when idle, giving their memory back.
  const workers = new ContentWorkers({ minWorkers: 1, idleMs: 10_000, inThreadBelowBytes: 2 * 1024 * 1024 });
  const live = new LiveSite({
    source: store,
    siteUrl: config.siteUrl,
    logger,
    preview: { reloadScriptUrl: RELOAD_SCRIPT_URL },
    workers,
  });
  // The first report waits until the preview listens: a busy port is said first, not after a screenful.
  let pendingReport: string | null = '';
  live.onReload((outcome) => {
    const report = formatReloadForTerminal(outcome, (f) => live.fileText(f), pathPrefix);
    if (pendingReport === null) process.stdout.write(report);
    else pendingReport = report;
  });
  const search = followWithSearch(live, 'preview', logger);
  await live.reload({ content: 'all', reason: 'start' });
  workers.pool.resize(machineParallelism() - 1);
  workers.inThreadBelowBytes = 0;
  // A worker made ready now (code loaded, templates compiled), not at the first edit.
  void live.prepare(['/']);

  const dev = createDevApp({ live, config, logger, pathPrefix, search });
  let running: RunningServer;
  try {
    running = await listen(() => dev.app, config);
  } catch (error) {
    const explained = explainListenError(error, { port: config.port, host: config.host, command: 'npm run dev' });
    if (!explained) throw error;
    process.stderr.write(explained);
    return 1;
  }
  process.stdout.write(pendingReport);
  pendingReport = null;
  const watcher = await watchForReloads(
    live,
    [
      { dir: config.contentDir, kind: 'content' },
      { dir: VIEWS_DIR, kind: 'templates' },
      { dir: PUBLIC_DIR, kind: 'assets' },
    ],
    { debounceMs: 25, logger },
  );
  const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
  process.stdout.write(
    `Preview at http://${shownHost}:${running.port}/ — drafts and scheduled pages are shown here only.\n` +
      `Edit files in ${pathPrefix} and save: open pages update by themselves. Press Ctrl+C to stop.\n`,
  );

  const stop = async () => {
    if (running.isDraining()) return;
    dev.close();
    live.close();
    search.close();
    await watcher.close();
    await running.drain(2000);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  return null;
});
