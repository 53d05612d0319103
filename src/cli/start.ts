#!/usr/bin/env node
/** `npm start`: validates the content, then serves it. Exits on SIGTERM/SIGINT after draining. */
import path from 'node:path';
import { watchForReloads } from '../live/contentWatcher.js';
import { LiveSite } from '../live/liveSite.js';
import { ContentWorkers } from '../parallel/contentWorkers.js';
import { machineParallelism } from '../parallel/workerPool.js';
import { RemoteFollower } from '../live/remoteFollower.js';
import { RemotePusher } from '../live/remotePusher.js';
import { contentWebhook, CONTENT_WEBHOOK_PATH } from '../server/routes/contentWebhook.js';
import { createSiteHandler } from '../server/handler.js';
import { listen, type RunningServer } from '../server/httpServer.js';
import { createLogger } from '../logger.js';
import { UserStore } from '../editor/users/users.js';
import type { ContentStore } from '../store/contentStore.js';
import { FsContentStore } from '../store/fsContentStore.js';
import { GitContentStore } from '../store/gitContentStore.js';
import { formatReport } from './report.js';
import { followWithSearch } from './followWithSearch.js';
import { explainListenError } from './listenErrors.js';
import { runCommand } from './runCommand.js';

runCommand('The server', 'server', async (config) => {
  const logger = createLogger(config.logLevel);
  // The browser editor runs when it is not turned off and someone can sign in; its changes are git commits.
  const editorUsers = config.editor.enabled ? (await new UserStore(config.editor.dataDir).list()).length : 0;
  // With a content remote, the authoring server pushes each commit to it and delivery servers (EDITOR=off) follow it.
  const remote = config.contentRemote;
  const pusher =
    remote && editorUsers > 0
      ? new RemotePusher({
          contentDir: config.contentDir,
          remote: remote.remote,
          logger,
          retryMs: remote.followIntervalMs,
        })
      : null;
  const gitStore =
    editorUsers > 0
      ? await GitContentStore.open(config.contentDir, pusher ? { onCommit: () => void pusher.push() } : {})
      : null;
  const store: ContentStore = gitStore ?? (await FsContentStore.open(config.contentDir));
  // The live site reloads on file changes and SIGHUP, swapping versions atomically.
  // Parsing, validation and rendering run on worker threads: every core for the first load, then one core is left
  // to this thread, which answers requests while content reloads. One worker stays for the next reload; the
  // others end when idle, giving their memory back.
  // Their heaps are capped as the export's are (64 MB plus 4 MB per MB of pages), and their young generation at
  // 16 MB: left alone, V8 let the worker that renders pages for visitors grow to 200 MB at 4,000 pages while it
  // held a tenth of that.
  const workers = new ContentWorkers({
    minWorkers: 1,
    idleMs: 10_000,
    inThreadBelowBytes: 2 * 1024 * 1024,
    heapLimit: { baseMb: 64, perSourceMb: 4, youngMb: 16 },
  });
  const live = new LiveSite({
    source: store,
    siteUrl: config.siteUrl,
    logger,
    ...(editorUsers > 0 ? { preview: {} } : {}),
    workers,
  });
  const follower =
    remote && !config.editor.enabled
      ? new RemoteFollower({
          contentDir: config.contentDir,
          remote: remote.remote,
          live,
          logger,
          intervalMs: remote.followIntervalMs,
        })
      : null;
  // A delivery server's content folder must be a clone of the remote, on the branch it follows.
  await follower?.start();
  // Visitors search the public view: its index holds no drafts.
  const search = followWithSearch(live, 'public', logger);
  const first = await live.reload({ content: 'all', reason: 'start' });
  workers.pool.resize(machineParallelism() - 1);
  // The workers that parsed hold that work's garbage: the one kept for visitors' pages and reloads starts afresh.
  workers.pool.renewIdle();
  workers.inThreadBelowBytes = 0;
  const site = live.current();
  if (!first.ok || !site) {
    const prefix = `${path.relative(process.cwd(), config.contentDir) || '.'}/`;
    process.stderr.write(formatReport(first.diagnostics, prefix));
    process.stderr.write('The site was not started: fix the errors above, then run npm start again.\n');
    return 1;
  }

  // The editor's code (Express routes, password hashing, its dictionaries) is loaded only when someone can sign in.
  const editor = gitStore
    ? await (
        await import('../editor/editorApp.js')
      ).createEditor({ store: gitStore, live, dataDir: config.editor.dataDir, logger })
    : null;
  const webhook =
    follower && remote?.webhookSecret
      ? contentWebhook({ secret: remote.webhookSecret, update: () => void follower.update('webhook'), logger })
      : null;
  // Brings the remote up to date with commits made while this server was stopped.
  void pusher?.push();
  // Set up before listening, so that a signal that comes as soon as connections are accepted (the rest of the
  // start-up still under way) drains them too, instead of ending the process at once.
  let listening: Promise<RunningServer> | null = null;
  let watcher: Awaited<ReturnType<typeof watchForReloads>> | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    await watcher?.close();
    follower?.close();
    pusher?.close();
    live.close();
    search.close();
    const running = await listening?.catch(() => null);
    const outcome = running ? await running.drain(config.shutdownTimeoutMs) : 'drained';
    logger.info({ outcome }, 'stopped');
    process.exit(outcome === 'drained' ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  let running: RunningServer;
  try {
    running = await (listening = listen(
      (isDraining) =>
        createSiteHandler({
          config,
          site: () => live.current() ?? site,
          logger,
          isDraining,
          contentStatus: () => (follower ? follower.contentStatus(live.status()) : live.status()),
          ...(pusher ? { remoteStatus: () => pusher.status() } : {}),
          before: [...(editor ? [editor.handler] : []), ...(webhook ? [webhook] : [])],
          search,
        }),
      config,
    ));
  } catch (error) {
    const explained = explainListenError(error, { port: config.port, host: config.host, command: 'npm start' });
    if (!explained) throw error;
    process.stderr.write(explained);
    return 1;
  }
  // A worker made ready now (code loaded, templates compiled), not at the first edit; after listening, so that
  // the first visitor does not wait for it.
  void live.prepare(['/']);
  if (config.watchContent) {
    const started = await watchForReloads(live, [{ dir: config.contentDir, kind: 'content' }], {
      debounceMs: 200,
      logger,
    });
    // Stopping began while the watcher was starting: it had nothing to close then.
    if (stopping) await started.close();
    else watcher = started;
  }
  if (stopping) return null;
  // SIGHUP: follow the remote now (a delivery server), then read the whole folder again.
  process.on('SIGHUP', () => {
    void (follower?.update('SIGHUP') ?? Promise.resolve()).then(() =>
      live.reload({ content: 'all', reason: 'SIGHUP' }),
    );
  });
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
  if (remote)
    process.stdout.write(
      follower
        ? `Following the content remote ${remote.remote.display} (every ${remote.followIntervalMs / 1000} s, ` +
            `on SIGHUP${webhook ? ` and at POST ${CONTENT_WEBHOOK_PATH}` : ''}).\n`
        : pusher
          ? `Pushing each change to the content remote ${remote.remote.display}.\n`
          : 'CONTENT_GIT_REMOTE is set: changes are pushed to it once the editor has users.\n',
    );
  logger.info({ port: running.port, host: config.host, pages: site.pages.size }, 'listening');
  return null;
});
