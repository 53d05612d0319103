// Runs a Node.js script and reports its peak resident memory on exit, so the
// benchmark can compare our export and Eleventy's build on the same terms.
// Usage: node rss-wrapper.mjs <script> [args...]
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [, , script, ...args] = process.argv;
process.argv = [process.argv[0], script, ...args];
process.on('exit', () => {
  // maxRSS is in kilobytes.
  writeSync(2, `\nBENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(path.resolve(script)).href);
