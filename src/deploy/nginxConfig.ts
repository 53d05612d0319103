/**
 * An nginx server block that serves a static export with the same security
 * headers and caching rules as the app: the scale-out path for any host
 * that runs nginx in front of (or instead of) our server processes.
 */
import { FEED_URL } from '../content/engineUrls.js';
import { DOWNLOAD_CACHE } from '../server/download.js';
import { REDIRECT_CACHE } from '../server/redirects.js';
import { IMMUTABLE_CACHE, HTML_CACHE } from '../server/respond.js';
import { createSecurityHeaders } from '../server/securityHeaders.js';

export interface NginxOptions {
  /** Absolute path of the export folder (_site). */
  root: string;
  /** e.g. "127.0.0.1:8080" or "443 ssl". */
  listen: string;
  /** Behind TLS, send Strict-Transport-Security as the app does over HTTPS. */
  tls: boolean;
  serverName?: string;
  /** Old addresses of moved pages and where they lead (the site's redirects), answered with a 301. */
  redirects?: ReadonlyMap<string, string>;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function nginxServerBlock(options: NginxOptions): string {
  // add_header in a location replaces the server's list, so each location repeats it.
  const headers = (cacheControl: string) =>
    [...createSecurityHeaders().list(options.tls), ['Cache-Control', cacheControl] as const]
      .map(([name, value]) => `        add_header ${name} ${quote(value)} always;`)
      .join('\n');
  return `server {
    listen ${options.listen};
    server_name ${options.serverName ?? '_'};
    root ${options.root};
    index index.html;
    server_tokens off;
    absolute_redirect off;
    charset utf-8;
    charset_types text/css text/plain text/xml application/xml text/javascript text/csv
                  application/atom+xml application/json;
    # Serve the .gz files that \`npm run build -- --precompress\` writes.
    gzip off;
    gzip_static on;
    gzip_vary on;
    error_page 404 /404.html;

    # Only GET and HEAD, as the app.
    if ($request_method !~ ^(GET|HEAD)$) {
        return 405;
    }

    # Fingerprinted assets never change: cache for a year.
    location /assets/ {
${headers(IMMUTABLE_CACHE)}
    }

    # Document files download under their own names, revalidated like the app's.
    location ~* ^/documents/[^/]+/[^/]+\\.(?:csv|pdf|ods|xlsx)$ {
        add_header Content-Disposition "attachment" always;
${headers(DOWNLOAD_CACHE)}
    }

    # The Atom feed of updates, with the type the app gives it.
    location = ${FEED_URL} {
        types { }
        default_type application/atom+xml;
${headers(HTML_CACHE)}
    }

${redirectLocations(options.redirects, headers(REDIRECT_CACHE))}
    # The export marker and any other dotfile are not for visitors.
    location ~ /\\. {
        return 404;
    }

    # Pages: /a/b/ is a/b/index.html; /a/b redirects to /a/b/, like the app.
    location / {
${headers(HTML_CACHE)}
    }

    location = /404.html {
        internal;
${headers(HTML_CACHE)}
    }
}
`;
}

/**
 * One exact-match location per old address (and its form without the final
 * "/"), answering 301 with the query string kept and the app's headers.
 */
function redirectLocations(redirects: ReadonlyMap<string, string> | undefined, headers: string): string {
  if (!redirects || redirects.size === 0) return '';
  const target = (to: string) => quote(`${encodeURI(to).replace(/\$/g, '%24')}$is_args$args`);
  const lines = ['    # Moved pages: each old address leads straight to the new one, as in the app.'];
  const written = new Set<string>();
  for (const [from, to] of [...redirects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const forms = from.endsWith('/') && from.length > 1 ? [from, from.slice(0, -1)] : [from];
    for (const form of forms) {
      // "/old" without its "/" is someone else's when it is itself an old address.
      if (written.has(form) || (form !== from && redirects.has(form))) continue;
      written.add(form);
      lines.push(`    location = ${quote(form)} {`, `        return 301 ${target(to)};`, headers, '    }');
    }
  }
  lines.push('    location = /_redirects {', '        return 404;', '    }');
  return `${lines.join('\n')}\n`;
}

/** A complete nginx.conf around the server block, for running nginx by hand or in the benchmark. */
export function nginxMainConfig(
  serverBlock: string,
  options: { prefix: string; runAsRoot: boolean; workers?: number },
): string {
  return `${options.runAsRoot ? 'user root;\n' : ''}worker_processes ${options.workers ?? 1};
pid ${options.prefix}/nginx.pid;
error_log ${options.prefix}/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    types { text/javascript js; application/xml xml; text/csv csv; application/vnd.oasis.opendocument.spreadsheet ods; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 5s;
    keepalive_requests 100000;
    client_body_temp_path ${options.prefix}/client_body;
    proxy_temp_path ${options.prefix}/proxy;
    fastcgi_temp_path ${options.prefix}/fastcgi;
    uwsgi_temp_path ${options.prefix}/uwsgi;
    scgi_temp_path ${options.prefix}/scgi;
${serverBlock.replace(/^/gm, '    ')}
}
`;
}
