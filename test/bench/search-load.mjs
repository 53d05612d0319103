#!/usr/bin/env node
// @ts-check
/**
 * Part of `npm run bench` (search): autocannon against a running server's
 * /search/, each request taking the next query from a list (so no two
 * consecutive requests ask the same thing), or, given a path, that path
 * every time (a cached page, for comparison). Prints one JSON line.
 * Usage: node search-load.mjs <origin> <queries.json> <connections> <seconds> [requestsPerSecond|0] [path]
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [origin, queriesFile, connections, seconds, rate, fixedPath] = process.argv.slice(2);
if (!origin || !queriesFile)
  throw new Error('usage: search-load.mjs <origin> <queries.json> <connections> <seconds> [rate]');
/** @type {string[]} */
const queries = JSON.parse(readFileSync(queriesFile, 'utf8'));
let next = 0;
const result = await autocannon({
  url: origin,
  connections: Number(connections ?? 10),
  duration: Number(seconds ?? 10),
  ...(rate && rate !== '0' ? { overallRate: Number(rate) } : {}),
  headers: { 'accept-encoding': 'gzip' },
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        path: fixedPath ?? `/search/?q=${encodeURIComponent(queries[next++ % queries.length] ?? '')}`,
      }),
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    maxMs: result.latency.max,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}\n`,
);
