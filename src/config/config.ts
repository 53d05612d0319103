/**
 * Configuration from environment variables: the only module that reads
 * them. Each command loads its own section, so a command is never stopped
 * by a setting it does not use (a bad server timeout does not stop
 * `npm run check`). Every value is validated at start, so a typo gives one
 * clear line instead of odd behaviour later.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONTENT_DIR, DEFAULT_DATA_DIR, DEFAULT_EXPORT_DIR } from '../paths.js';

export type TrustProxy = boolean | number | string[];
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export class ConfigError extends Error {}

/**
 * A value that must never be printed: logs, error messages and JSON see
 * "[secret]". Only `reveal()` gives the value, at the one place that uses it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}

/** What every command that reads content needs. */
export interface ContentConfig {
  contentDir: string;
  /** Public origin for canonical links, the sitemap and robots.txt. */
  siteUrl: string;
}

export interface ServerConfig extends ContentConfig {
  port: number;
  host: string;
  trustProxy: TrustProxy;
  logLevel: LogLevel;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  connectionsCheckingIntervalMs: number;
  shutdownTimeoutMs: number;
  /** Reload content when files in the content folder change (SIGHUP reloads either way). */
  watchContent: boolean;
  /** The browser editor: its data folder, and whether it may run at all (EDITOR=off on delivery servers). */
  editor: EditorConfig;
  /**
   * The git remote that connects authoring and delivery servers (CONTENT_GIT_REMOTE): the authoring server
   * pushes each published change to it, delivery servers (EDITOR=off) follow it. Null when not set.
   */
  contentRemote: ContentRemoteConfig | null;
}

/** How a remote is reached; git is allowed that protocol alone when it talks to it. */
export type GitRemoteKind = 'file' | 'ssh' | 'https';

export interface GitRemote {
  kind: GitRemoteKind;
  /** As given (a path made absolute): an https address may hold a token, so it is a Secret. */
  url: Secret;
  /** For logs and messages: without any user name, password or token. */
  display: string;
}

export interface ContentRemoteConfig {
  remote: GitRemote;
  /** CONTENT_WEBHOOK_SECRET: what a webhook must prove it knows; null turns the webhook off. */
  webhookSecret: Secret | null;
  /** CONTENT_FOLLOW_INTERVAL_MS: how often a delivery server fetches, and an authoring server retries a push. */
  followIntervalMs: number;
}

/** Where the editor keeps users, secrets and the audit log: never the content folder, never the export. */
export interface DataConfig {
  dataDir: string;
}

export interface EditorConfig extends DataConfig {
  /** false when EDITOR=off; otherwise the editor runs once at least one user exists. */
  enabled: boolean;
}

/** npm run user */
export interface UsersConfig extends DataConfig {
  contentDir: string;
}

export interface ExportConfig extends ContentConfig {
  outDir: string;
}

export interface NginxConfig {
  /** The content whose redirects the configuration answers. */
  contentDir: string;
  /** The export folder nginx serves. */
  root: string;
  listen: string;
  tls: boolean;
  serverName: string | undefined;
}

/** Each command's section of the configuration. */
export interface ConfigSections {
  /** npm start */
  server: ServerConfig;
  /** npm run dev: JSON logs only when LOG_LEVEL is set, the terminal gets a readable report. */
  preview: ServerConfig;
  /** npm run check, npm run new, npm run build:pdfs */
  content: ContentConfig;
  /** npm run build */
  export: ExportConfig;
  /** npm run nginx-config */
  nginx: NginxConfig;
  /** npm run user */
  users: UsersConfig;
}

export type ConfigSection = keyof ConfigSections;

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig<S extends ConfigSection>(
  section: S,
  env: Env,
  cwd: string = process.cwd(),
): ConfigSections[S] {
  const sections: { [K in ConfigSection]: () => ConfigSections[K] } = {
    server: () => serverConfig(env, cwd, 'info'),
    preview: () => serverConfig(env, cwd, 'silent'),
    content: () => contentConfig(env, cwd, undefined),
    export: () => ({
      ...contentConfig(env, cwd, undefined),
      outDir: folderSetting(env.OUT_DIR, cwd, DEFAULT_EXPORT_DIR),
    }),
    nginx: () => nginxConfig(env, cwd),
    users: () => {
      const { contentDir } = contentConfig(env, cwd, undefined);
      return { contentDir, dataDir: dataDir(env, cwd, contentDir) };
    },
  };
  return sections[section]();
}

/** The default public origin: where a server started with these settings answers. */
function localOrigin(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function contentConfig(env: Env, cwd: string, defaultOrigin: string | undefined): ContentConfig {
  const contentDir = env.CONTENT_DIR ? path.resolve(cwd, env.CONTENT_DIR) : DEFAULT_CONTENT_DIR;
  if (!isDirectory(contentDir)) {
    throw new ConfigError(`CONTENT_DIR must be a folder holding site.yml; ${contentDir} is not a folder`);
  }
  return { contentDir, siteUrl: siteUrl(env.SITE_URL || defaultOrigin || 'http://localhost:3000') };
}

function siteUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const hasPath = u.pathname !== '/' && u.pathname !== '';
    if (
      (u.protocol !== 'http:' && u.protocol !== 'https:') ||
      u.username ||
      u.password ||
      u.search ||
      u.hash ||
      hasPath
    ) {
      throw new Error('not an origin');
    }
    return u.origin;
  } catch {
    throw new ConfigError(
      `SITE_URL must be an http(s) address with no path, such as https://www.example.org (got "${raw}")`,
    );
  }
}

function folderSetting(value: string | undefined, cwd: string, fallback: string): string {
  return value ? path.resolve(cwd, value) : fallback;
}

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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const serverSchema = z.object({
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
  CONTENT_FOLLOW_INTERVAL_MS: integer('CONTENT_FOLLOW_INTERVAL_MS', 200, 86400000, 30000),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: (i) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${String(i.input)}")` })
    .optional(),
});

function serverConfig(env: Env, cwd: string, defaultLogLevel: LogLevel): ServerConfig {
  const result = serverSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) throw new ConfigError(result.error.issues[0]!.message);
  const c = result.data;

  const watchRaw = env.WATCH_CONTENT ?? '';
  if (!['', 'true', 'false'].includes(watchRaw)) {
    throw new ConfigError(`WATCH_CONTENT must be true or false (got "${watchRaw}")`);
  }
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (trustProxy === null) {
    throw new ConfigError(
      `TRUST_PROXY must be true, false, a number of proxies, or a ` +
        `comma-separated list of addresses (got "${env.TRUST_PROXY}")`,
    );
  }
  if (c.HEADERS_TIMEOUT_MS > c.REQUEST_TIMEOUT_MS) {
    throw new ConfigError('HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS');
  }
  return {
    ...contentConfig(env, cwd, localOrigin(c.HOST, c.PORT)),
    port: c.PORT,
    host: c.HOST,
    trustProxy,
    logLevel: c.LOG_LEVEL ?? defaultLogLevel,
    headersTimeoutMs: c.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: c.KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingIntervalMs: c.CONNECTIONS_CHECK_INTERVAL_MS,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    watchContent: watchRaw !== 'false',
    editor: editorConfig(env, cwd, contentConfig(env, cwd, undefined).contentDir),
    contentRemote: contentRemoteConfig(env, cwd, c.CONTENT_FOLLOW_INTERVAL_MS),
  };
}

/** CONTENT_GIT_REMOTE and what goes with it; the webhook secret alone is a mistake worth saying. */
function contentRemoteConfig(env: Env, cwd: string, followIntervalMs: number): ContentRemoteConfig | null {
  const raw = env.CONTENT_GIT_REMOTE ?? '';
  const secret = env.CONTENT_WEBHOOK_SECRET ?? '';
  if (raw === '') {
    if (secret !== '') throw new ConfigError('CONTENT_WEBHOOK_SECRET is set, but CONTENT_GIT_REMOTE is not');
    return null;
  }
  if (secret !== '' && (secret.length < 16 || /\s/.test(secret)))
    throw new ConfigError('CONTENT_WEBHOOK_SECRET must be at least 16 characters, without spaces');
  return {
    remote: gitRemote(raw, cwd),
    webhookSecret: secret === '' ? null : new Secret(secret),
    followIntervalMs,
  };
}

/**
 * A remote git may talk to: a path (or file:// address) on this machine,
 * ssh (ssh://host/path or host:path) or https. Nothing else: no ext:: or
 * other transport helpers (which run commands), no git:// or http:// (no
 * encryption), no option-like value.
 */
export function gitRemote(raw: string, cwd: string): GitRemote {
  const refuse = (why: string): never => {
    throw new ConfigError(
      `CONTENT_GIT_REMOTE must be a path, an ssh address (ssh://host/path or host:path) or an https address: ${why}`,
    );
  };
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) refuse('it holds spaces or control characters');
  if (raw.startsWith('-')) refuse('it starts with "-"');
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(raw)) refuse(`transport helpers such as "${raw.split('::')[0]}::" are refused`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return refuse('it is not a valid address');
    }
    if (scheme === 'file') {
      if (url.host !== '' || url.search || url.hash) refuse('a file:// address names a folder on this machine');
      return { kind: 'file', url: new Secret(raw), display: raw };
    }
    if (scheme !== 'https' && scheme !== 'ssh')
      refuse(`"${scheme}://" is not allowed (git:// and http:// are not encrypted)`);
    if (url.hostname === '' || url.hostname.startsWith('-')) refuse('the host name is missing');
    if (scheme === 'ssh' && url.password) refuse('ssh addresses take keys, not passwords');
    const display = `${scheme}://${url.host}${url.pathname}`;
    return { kind: scheme === 'ssh' ? 'ssh' : 'https', url: new Secret(raw), display };
  }
  // host:path or user@host:path (scp-like ssh), when what precedes ":" is a host name, not a folder.
  const scp = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?!\/\/)(.+)$/.exec(raw);
  if (scp && !raw.startsWith('/') && !raw.startsWith('.')) {
    if (scp[2]!.startsWith('-')) refuse('the host name starts with "-"');
    return { kind: 'ssh', url: new Secret(raw), display: `${scp[2]}:${scp[3]}` };
  }
  const absolute = path.resolve(cwd, raw);
  return { kind: 'file', url: new Secret(absolute), display: absolute };
}

function editorConfig(env: Env, cwd: string, contentDir: string): EditorConfig {
  // EDITOR is also the Unix name for a person's text editor (EDITOR=vim): only "off" means us.
  const raw = (env.EDITOR ?? '').trim().toLowerCase();
  return { enabled: raw !== 'off', dataDir: dataDir(env, cwd, contentDir) };
}

/** DATA_DIR: a folder apart from the content (which is published and committed) and from the export. */
function dataDir(env: Env, cwd: string, contentDir: string): string {
  const dir = folderSetting(env.DATA_DIR, cwd, DEFAULT_DATA_DIR);
  if (isWithin(dir, contentDir) || isWithin(contentDir, dir)) {
    throw new ConfigError(
      `DATA_DIR must be outside the content folder (it holds users and secrets, and the content is published): ${dir}`,
    );
  }
  const exportDir = folderSetting(env.OUT_DIR, cwd, DEFAULT_EXPORT_DIR);
  if (isWithin(dir, exportDir)) {
    throw new ConfigError(`DATA_DIR must be outside the export folder ${exportDir}: ${dir}`);
  }
  return dir;
}

/**
 * True when `child` is `parent` or inside it, on disk: both with symbolic
 * links resolved, compared folder by folder (so "content/..data" is inside
 * "content", and "content-data" is not).
 */
function isWithin(child: string, parent: string): boolean {
  const c = realFolder(child).split(path.sep).filter(Boolean);
  const p = realFolder(parent).split(path.sep).filter(Boolean);
  return p.length <= c.length && p.every((segment, i) => segment === c[i]);
}

/** A folder's real path, links resolved, even before it exists: its nearest existing folder's, plus the rest. */
function realFolder(folder: string): string {
  const rest: string[] = [];
  let current = path.resolve(folder);
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(folder);
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

function parseTrustProxy(v: string | undefined): TrustProxy | null {
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = v.split(',').map((s) => s.trim());
  const ok = parts.every((p) => /^(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(?:\/\d{1,3})?)$/.test(p));
  return ok ? parts : null;
}

function nginxConfig(env: Env, cwd: string): NginxConfig {
  const listen = env.NGINX_LISTEN || '443 ssl';
  if (!/^[A-Za-z0-9.:[\] ]+$/.test(listen)) {
    throw new ConfigError(
      `NGINX_LISTEN must be an nginx listen value such as "443 ssl" or "127.0.0.1:8080" (got "${listen}")`,
    );
  }
  const tlsRaw = env.NGINX_TLS ?? '';
  if (!['', 'true', 'false'].includes(tlsRaw))
    throw new ConfigError(`NGINX_TLS must be true or false (got "${tlsRaw}")`);
  const serverName = env.NGINX_SERVER_NAME || undefined;
  if (serverName !== undefined && !/^[A-Za-z0-9.*_ -]+$/.test(serverName)) {
    throw new ConfigError(`NGINX_SERVER_NAME must be host names separated by spaces (got "${serverName}")`);
  }
  // Plain port 80 means no TLS in front; anything else is assumed to be HTTPS unless NGINX_TLS=false.
  const plainHttp = /^\s*(?:[\d.:[\]]+:)?80\s*$/.test(listen);
  return {
    contentDir: contentConfig(env, cwd, undefined).contentDir,
    root: folderSetting(env.OUT_DIR, cwd, DEFAULT_EXPORT_DIR),
    listen,
    tls: !plainHttp && tlsRaw !== 'false',
    serverName,
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
