/**
 * Server configuration from environment variables, validated at start so
 * that a typo gives one clear line instead of odd behaviour later.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../render/templates.js';

export type TrustProxy = boolean | number | string[];

export interface Config {
  port: number;
  host: string;
  contentDir: string;
  siteUrl: string;
  trustProxy: TrustProxy;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  connectionsCheckingIntervalMs: number;
  shutdownTimeoutMs: number;
  /** Reload content when files in the content folder change (SIGHUP reloads either way). */
  watchContent: boolean;
}

export class ConfigError extends Error {}

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return Number(v);
    });

function parseTrustProxy(v: string | undefined): TrustProxy | null {
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = v.split(',').map((s) => s.trim());
  const ok = parts.every((p) => /^(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(?:\/\d{1,3})?)$/.test(p));
  return ok ? parts : null;
}

export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Config {
  const schema = z.object({
    PORT: integer('PORT', 0, 65535, 3000),
    HOST: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const host = v === undefined || v === '' ? '127.0.0.1' : v;
        if (!/^[A-Za-z0-9.:-]+$/.test(host)) {
          ctx.addIssue({ code: 'custom', message: `HOST must be a host name or IP address (got "${v}")` });
          return z.NEVER;
        }
        return host;
      }),
    HEADERS_TIMEOUT_MS: integer('HEADERS_TIMEOUT_MS', 1000, 600000, 10000),
    REQUEST_TIMEOUT_MS: integer('REQUEST_TIMEOUT_MS', 1000, 600000, 30000),
    KEEP_ALIVE_TIMEOUT_MS: integer('KEEP_ALIVE_TIMEOUT_MS', 100, 600000, 5000),
    CONNECTIONS_CHECK_INTERVAL_MS: integer('CONNECTIONS_CHECK_INTERVAL_MS', 100, 60000, 1000),
    SHUTDOWN_TIMEOUT_MS: integer('SHUTDOWN_TIMEOUT_MS', 100, 600000, 10000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: (i) => `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${String(i.input)}")`,
      })
      .optional()
      .default('info'),
  });
  const result = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) throw new ConfigError(result.error.issues[0]!.message);
  const c = result.data;

  const watchRaw = env.WATCH_CONTENT ?? '';
  if (!['', 'true', 'false'].includes(watchRaw)) {
    throw new ConfigError(`WATCH_CONTENT must be true or false (got "${watchRaw}")`);
  }

  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (trustProxy === null) {
    throw new ConfigError(`TRUST_PROXY must be true, false, a number of proxies, or a comma-separated list of addresses (got "${env.TRUST_PROXY}")`);
  }
  if (c.HEADERS_TIMEOUT_MS > c.REQUEST_TIMEOUT_MS) {
    throw new ConfigError('HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS');
  }

  const displayHost = c.HOST === '0.0.0.0' || c.HOST === '::' || c.HOST === '127.0.0.1' ? 'localhost' : c.HOST;
  const siteUrlRaw = env.SITE_URL || `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${c.PORT}`;
  let siteUrl: string;
  try {
    const u = new URL(siteUrlRaw);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) {
      throw new Error('bad');
    }
    siteUrl = u.origin;
  } catch {
    throw new ConfigError(`SITE_URL must be an http(s) address with no path, such as https://www.example.org (got "${siteUrlRaw}")`);
  }

  const contentDir = env.CONTENT_DIR ? path.resolve(cwd, env.CONTENT_DIR) : path.join(PROJECT_ROOT, 'content');
  if (!isDirectory(contentDir)) {
    throw new ConfigError(`CONTENT_DIR must be a folder holding site.yml; ${contentDir} is not a folder`);
  }

  return {
    port: c.PORT,
    host: c.HOST,
    contentDir,
    siteUrl,
    trustProxy,
    logLevel: c.LOG_LEVEL,
    headersTimeoutMs: c.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: c.KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingIntervalMs: c.CONNECTIONS_CHECK_INTERVAL_MS,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    watchContent: watchRaw !== 'false',
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
