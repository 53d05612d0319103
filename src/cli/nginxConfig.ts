#!/usr/bin/env node
/** `npm run nginx-config`: prints an nginx server block for the static export, with our headers. */
import { nginxServerBlock } from '../deploy/nginxConfig.js';
import { runCommand } from './runCommand.js';

runCommand('nginx-config', 'nginx', (config) => {
  process.stdout.write(
    nginxServerBlock({ root: config.root, listen: config.listen, tls: config.tls, serverName: config.serverName }),
  );
  return 0;
});
