#!/usr/bin/env node
/**
 * Compiles the TypeScript, and bundles the scripts that run in visitors'
 * browsers (src/cli/buildBrowserScripts.ts, into dist/browser/), only when a
 * source file changed since the last build, so that staff commands (npm run
 * check, new, dev, start) start at once instead of rebuilding code nobody
 * touched. Plain JavaScript with no dependencies: it must run before anything
 * is compiled. `npm ci` runs it too (the "prepare" script), so a fresh
 * install is built once, up front.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stamp = path.join(root, 'dist', '.build-stamp');
/** The browser bundles' folder: a dist/ without it (built before bundles existed, or deleted) is built again. */
const browserBundles = path.join(root, 'dist', 'browser');
const inputs = [
  path.join(root, 'src'),
  path.join(root, 'tsconfig.json'),
  path.join(root, 'tsconfig.build.json'),
  path.join(root, 'package-lock.json'),
];

function newestChange(file) {
  let info;
  try {
    info = statSync(file);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file changes its folder
  for (const name of readdirSync(file)) newest = Math.max(newest, newestChange(path.join(file, name)));
  return newest;
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changedAt = Math.max(...inputs.map(newestChange));
if (builtAt > changedAt && existsSync(browserBundles) && !process.argv.includes('--force')) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(
    'The compiled code is missing or out of date, and TypeScript is not installed: run npm ci first.\n',
  );
  process.exit(1);
}
process.stderr.write('Compiling the TypeScript (only after a source file changes)...\n');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// The browser scripts share modules with the server (the search engine): esbuild bundles them from src/.
const bundled = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'buildBrowserScripts.js')], {
  stdio: 'inherit',
});
if (bundled.status !== 0) process.exit(bundled.status ?? 1);
// The stamp carries the time of the newest source compiled, not the time the
// compiler finished: a file saved while it ran is compiled next time.
writeFileSync(stamp, `Built from the sources as they were at ${new Date(changedAt).toISOString()}.\n`);
utimesSync(stamp, new Date(), new Date(changedAt + 1));
