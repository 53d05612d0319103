#!/usr/bin/env node
/**
 * Part of the build (ensureBuilt.mjs, after the compiler): bundles the scripts that run in visitors'
 * browsers and import the engine's own modules (today, the static export's
 * search page, which shares the search engine with the server) into
 * dist/browser/, where the asset pipeline picks them up. esbuild is a
 * development dependency, like the TypeScript compiler that runs before it.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { BROWSER_BUNDLE_DIR, PROJECT_ROOT } from '../paths.js';
import { BROWSER_SCRIPTS } from '../render/assets.js';

async function main(): Promise<void> {
  for (const script of BROWSER_SCRIPTS) {
    await build({
      entryPoints: [path.join(PROJECT_ROOT, script.source)],
      outfile: path.join(BROWSER_BUNDLE_DIR, script.name),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      // Browsers that run ES modules (the page's <script type="module">).
      target: ['es2020'],
      minify: true,
      legalComments: 'eof',
      logLevel: 'warning',
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The browser scripts could not be built: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
