/**
 * An editor to test against: a copy of the bundled content in a new git
 * repository, a data folder with two users, the live site and the
 * production request handler, and a client that keeps cookies and sends
 * forms as a browser on the same site would.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { createEditor, type Editor } from '../../src/editor/editorApp.js';
import { hashPassword } from '../../src/editor/auth/passwords.js';
import { UserStore, type User } from '../../src/editor/users/users.js';
import { LiveSite } from '../../src/live/liveSite.js';
import { createLogger } from '../../src/logger.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { GitContentStore } from '../../src/store/gitContentStore.js';
import type { LimitSettings } from '../../src/editor/auth/signInLimits.js';
import type { GateSettings } from '../../src/editor/auth/verificationGate.js';
import { BUNDLED_CONTENT, SITE_URL } from '../helpers/site.js';

export const PASSWORDS = { alice: 'correct horse battery staple', bob: 'purple monkey dishwasher 42' };

export interface TestEditor {
  root: string;
  contentDir: string;
  dataDir: string;
  store: GitContentStore;
  live: LiveSite;
  editor: Editor;
  handler: RequestListener;
  close(): void;
}

export async function testEditor(
  options: {
    limits?: LimitSettings;
    verifications?: GateSettings;
    now?: () => number;
    files?: Record<string, string>;
  } = {},
): Promise<TestEditor> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'editor-test-'));
  const contentDir = path.join(root, 'content');
  const dataDir = path.join(root, 'data');
  cpSync(BUNDLED_CONTENT, contentDir, { recursive: true });
  const { writeFileSync, mkdirSync } = await import('node:fs');
  for (const [rel, text] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(contentDir, rel)), { recursive: true });
    writeFileSync(path.join(contentDir, rel), text);
  }
  const users = new UserStore(dataDir);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dataDir, { mode: 0o700 });
  const now = new Date().toISOString();
  const make = async (name: keyof typeof PASSWORDS, displayName: string, role: User['role']): Promise<User> => ({
    name,
    displayName,
    email: `${name}@example.org`,
    role,
    passwordHash: await hashPassword(PASSWORDS[name]),
    disabled: false,
    sessionEpoch: 0,
    created: now,
    updated: now,
  });
  const [alice, bob] = await Promise.all([make('alice', 'Alice Smith', 'editor'), make('bob', 'Bob Jones', 'admin')]);
  await users.update(() => [alice, bob]);
  const store = await GitContentStore.open(contentDir);
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const live = new LiveSite({ source: store, siteUrl: SITE_URL, logger, preview: {} });
  const first = await live.reload({ content: 'all', reason: 'test' });
  if (!first.ok) throw new Error(`content has errors: ${JSON.stringify(first.diagnostics)}`);
  const editor = await createEditor({
    store,
    live,
    dataDir,
    logger,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.verifications ? { verifications: options.verifications } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const handler = createSiteHandler({
    config: { trustProxy: false },
    site: () => live.current()!,
    logger,
    before: [editor.handler],
  });
  return {
    root,
    contentDir,
    dataDir,
    store,
    live,
    editor,
    handler,
    close: () => {
      live.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A browser on the same site: keeps cookies (Secure ones too: this is localhost) and says where its
 * forms come from.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly handler: RequestListener) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: request.Response): void {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of set ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<request.Response> {
    const req = request(this.handler).get(url);
    if (this.cookies.size) req.set('Cookie', this.cookieHeader());
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    const res = await req;
    this.keep(res);
    return res;
  }

  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin' },
  ): Promise<request.Response> {
    const req = request(this.handler).post(url).type('form');
    if (this.cookies.size) req.set('Cookie', this.cookieHeader());
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    const res = await req.send(form);
    this.keep(res);
    return res;
  }

  /** The form token of the page last fetched. */
  static token(html: string): string {
    const m = /name="token" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no form token on the page');
    return m[1]!;
  }

  async signIn(name: string, password: string): Promise<request.Response> {
    const page = await this.get('/edit/sign-in');
    return this.post('/edit/sign-in', { token: Browser.token(page.text), username: name, password, next: '/edit/' });
  }

  /** Opens a form page and returns its hidden fields and text fields as a form to send back. */
  async openForm(url: string): Promise<{ html: string; form: Record<string, string> }> {
    const res = await this.get(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return { html: res.text, form: formFields(res.text) };
  }
}

/**
 * The values of a page's first form with method post and class app-edit-form (or any post form), or of
 * the first post form whose action starts with `action`: inputs and textareas.
 */
export function formFields(html: string, action = '/edit/page/'): Record<string, string> {
  const start = html.indexOf(`<form method="post" action="${action}`);
  const source = start === -1 ? html.slice(html.indexOf('<form method="post"')) : html.slice(start);
  const form = source.slice(0, source.indexOf('</form>'));
  const fields: Record<string, string> = {};
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
    if (!name) continue;
    if (type === 'checkbox' && !/\schecked/.test(attrs)) continue;
    fields[name] = decode(value);
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    fields[m[1]!] = decode(m[2]!);
  return fields;
}
