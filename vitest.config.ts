import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The Mozilla HTTP Observatory scanner is not a project dependency: its own
 * dependencies download certificate bundles at install time, which fails
 * offline. `.ci/run` installs it with --ignore-scripts into this folder, and
 * its test is skipped (loudly) where it is missing.
 */
const OBSERVATORY_DIR = path.resolve('node_modules/.cache/observatory/node_modules');
const observatory = existsSync(path.join(OBSERVATORY_DIR, '@mdn/mdn-http-observatory'));

export default defineConfig({
  resolve: observatory
    ? {
        alias: [
          { find: /^@mdn\/mdn-http-observatory(.*)$/, replacement: `${OBSERVATORY_DIR}/@mdn/mdn-http-observatory$1` },
          { find: /^axios$/, replacement: `${OBSERVATORY_DIR}/axios/index.js` },
        ],
      }
    : {},
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { OBSERVATORY_INSTALLED: observatory ? '1' : '' },
    // Processed by Vitest rather than loaded by Node, so that the
    // Observatory test can swap the scanner's network retriever for one
    // that hands it our server's real responses.
    server: { deps: { inline: [/mdn-http-observatory/] } },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'] },
      },
      {
        // Chromium is heavy on a small machine: the browser files run after
        // the unit tests, one file (so one browser) at a time.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
