#!/usr/bin/env node
/** `npm run nginx-config`: prints an nginx server block for the static export, with our headers. */
import path from 'node:path';
import { nginxServerBlock } from '../deploy/nginxConfig.js';
import { PROJECT_ROOT } from '../render/templates.js';

const root = path.resolve(process.env.OUT_DIR ?? path.join(PROJECT_ROOT, '_site'));
const listen = process.env.NGINX_LISTEN ?? '443 ssl';
const tls = !/^\s*(?:[\d.:[\]]+:)?80\s*$/.test(listen) && process.env.NGINX_TLS !== 'false';
process.stdout.write(nginxServerBlock({ root, listen, tls, serverName: process.env.NGINX_SERVER_NAME }));
