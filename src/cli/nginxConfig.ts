#!/usr/bin/env node
/** `npm run nginx-config`: prints an nginx server block for the static export, with our headers and redirects. */
import path from 'node:path';
import { loadContent } from '../content/loadContent.js';
import { nginxServerBlock } from '../deploy/nginxConfig.js';
import { formatReport } from './report.js';
import { runCommand } from './runCommand.js';

runCommand('nginx-config', 'nginx', async (config) => {
  // The moved pages' old addresses are content: the configuration answers them as the app does.
  const { build } = await loadContent(config.contentDir);
  if (!build.site) {
    process.stderr.write(formatReport(build.diagnostics, `${path.relative(process.cwd(), config.contentDir) || '.'}/`));
    process.stderr.write('No configuration was printed: fix the errors above, then try again.\n');
    return 1;
  }
  process.stdout.write(
    nginxServerBlock({
      root: config.root,
      listen: config.listen,
      tls: config.tls,
      serverName: config.serverName,
      redirects: build.site.redirects,
    }),
  );
  return 0;
});
