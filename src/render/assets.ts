/**
 * Front-end assets, fingerprinted: every file is served at a URL holding a
 * hash of its bytes, so browsers and CDNs may cache it for a year.
 *
 * The stylesheet is one bundle (NHS.UK frontend plus ours) so that only one
 * request blocks rendering. The NHS.UK frontend's @font-face rules are
 * dropped: they load Frutiger from a remote host that our CSP (rightly)
 * refuses, and the font needs a licence; the fallback stack is Arial.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BROWSER_BUNDLE_DIR } from '../paths.js';
import { ASSET_COMPRESSION, PreparedResponse } from './prepared.js';

export interface Asset {
  /** Logical name used by templates, e.g. "main.css". */
  name: string;
  url: string;
  response: PreparedResponse;
}

/** The icon browsers also ask for at /favicon.ico by themselves. */
export const FAVICON = 'images/favicon.ico';

export interface AssetManifest {
  /** URL of a logical asset; throws for a name that does not exist. */
  url(name: string): string;
  byUrl: ReadonlyMap<string, Asset>;
  byName: ReadonlyMap<string, Asset>;
  all: readonly Asset[];
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

export function contentTypeFor(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Scripts bundled from src/ into BROWSER_BUNDLE_DIR at build time
 * (src/cli/buildBrowserScripts.ts, run by ensureBuilt.mjs), because they
 * share modules with the server. Served like every other asset.
 */
export const BROWSER_SCRIPTS = [{ name: 'search.js', source: 'src/search/browser/searchPage.ts' }] as const;

export function nhsukDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');
}

export function hashBytes(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('base64url');
}

export function buildAssets(publicDir: string): AssetManifest {
  const assets = new Map<string, Asset>();
  const add = (name: string, body: Buffer) => {
    const ext = path.extname(name);
    const base = path.basename(name, ext);
    const hash = hashBytes(body);
    const asset: Asset = {
      name,
      url: `/assets/${base}.${hash.slice(0, 10)}${ext}`,
      response: new PreparedResponse(body, contentTypeFor(name), ASSET_COMPRESSION),
    };
    assets.set(name, asset);
    return asset;
  };
  const url = (name: string): string => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`unknown asset "${name}"`);
    return asset.url;
  };

  const nhsuk = nhsukDistDir();
  const imageDirs = [path.join(nhsuk, 'assets', 'images'), path.join(publicDir, 'images')];
  for (const dir of imageDirs) {
    for (const file of listFiles(dir)) add(`images/${file}`, readFileSync(path.join(dir, file)));
  }

  // url(/assets/images/x.svg) in the NHS.UK CSS, url(../images/x.svg) in ours.
  const rewriteUrls = (css: string) =>
    css.replace(
      /url\((['"]?)(?:\/assets\/images\/|\.\.\/images\/)([\w.-]+)\1\)/g,
      (_m, _q, file: string) => `url(${url(`images/${file}`)})`,
    );
  const nhsukCss = readFileSync(path.join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
  const siteCss = readFileSync(path.join(publicDir, 'css', 'site.css'), 'utf8');
  add('main.css', Buffer.from(`${rewriteUrls(nhsukCss)}\n${rewriteUrls(siteCss)}`));

  const nhsukJs = readFileSync(path.join(nhsuk, 'nhsuk-frontend.min.js'), 'utf8').replace(
    /\/\/# sourceMappingURL=\S+\s*$/,
    '',
  );
  add('nhsuk-frontend.js', Buffer.from(nhsukJs));
  const appJs = readFileSync(path.join(publicDir, 'js', 'app.js'), 'utf8').replace(
    /(['"])\.\/nhsuk-frontend\.js\1/g,
    (_m, q: string) => `${q}${url('nhsuk-frontend.js')}${q}`,
  );
  add('app.js', Buffer.from(appJs));
  for (const script of BROWSER_SCRIPTS) {
    const file = path.join(BROWSER_BUNDLE_DIR, script.name);
    if (!existsSync(file))
      throw new Error(`${file} is missing: run "npm run build:ts", which bundles the browser scripts`);
    add(script.name, readFileSync(file));
  }

  return {
    url,
    byUrl: new Map([...assets.values()].map((a) => [a.url, a])),
    byName: assets,
    all: [...assets.values()],
  };
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}
