import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Processed by Vitest rather than loaded by Node, so that the
    // Observatory test can swap the scanner's network retriever for one
    // that hands it our server's real responses.
    server: { deps: { inline: ['@mdn/mdn-http-observatory'] } },
  },
});
