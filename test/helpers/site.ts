import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
/** Builds sites for tests: from the bundled content, or from files written to a temporary folder. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite, type BuildResult } from '../../src/content/buildSite.js';
import type { ContentFolder } from '../../src/content/readContentFolder.js';
import { loadContent } from '../../src/content/loadContent.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';
import { PROJECT_ROOT } from '../../src/paths.js';

export const BUNDLED_CONTENT = path.join(PROJECT_ROOT, 'content');
export const SITE_URL = 'https://perinatal.example.org';

/** The contact address fixtures use: at an ordinary domain, unlike the bundled placeholder. */
export const FIXTURE_CONTACT_EMAIL = 'enquiries@perinatal-project.nhs.uk';

/**
 * The bundled site.yml, reused by fixtures so that they only spell out what
 * they test. Its footer links are checked like page links, so here they
 * point at the one page every fixture has: the home page. The bundled
 * contact address is a placeholder at example.org, which every build warns
 * about until a real mailbox replaces it; fixtures use FIXTURE_CONTACT_EMAIL,
 * so that a test sees only the warnings it is about.
 */
export const BUNDLED_SETTINGS = readFileSync(path.join(BUNDLED_CONTENT, 'site.yml'), 'utf8')
  .replace(/^footerLinks:\n(?: {2}.*\n)+/m, 'footerLinks:\n  - text: Home\n    href: /\n')
  .replace(/^contactEmail: .*$/m, `contactEmail: ${FIXTURE_CONTACT_EMAIL}`);

export function page(frontMatter: string, body = 'Body text.\n'): string {
  return `---\n${frontMatter.trim()}\n---\n${body}`;
}

/** A minimal valid site: settings, home page and 404 page. Override or add files by path. */
export function minimalFiles<T extends string | Buffer = string>(
  extra: Record<string, T> = {},
): Record<string, string | T> {
  return {
    'site.yml': BUNDLED_SETTINGS,
    'index.md': page('title: Home\ndescription: The home page.'),
    '404.md': page('title: Page not found\ndescription: Not found.\nnavigation:\n  hidden: true'),
    ...extra,
  };
}

export function memoryFolder(files: Record<string, string | Buffer>): ContentFolder {
  return {
    root: '/memory',
    entries: Object.entries(files)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, text]) => ({ path: p, kind: 'file' as const, bytes: Buffer.from(text), mtimeMs: 0 })),
  };
}

export function buildFromFiles(files: Record<string, string | Buffer>): BuildResult {
  return buildSite(memoryFolder(files));
}

/** Writes files into a new temporary folder; returns its path and a cleanup function. */
export function tempContent(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'content-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function renderedBundledSite(): Promise<RenderedSite> {
  const result = (await loadContent(BUNDLED_CONTENT)).build;
  if (!result.site)
    throw new Error(
      `bundled content has errors:\n${result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')}`,
    );
  return renderSite(result.site, { siteUrl: SITE_URL });
}

export function renderedFromFiles(files: Record<string, string | Buffer>): RenderedSite {
  const result = buildFromFiles(files);
  if (!result.site)
    throw new Error(
      `fixture has errors:\n${result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')}`,
    );
  return renderSite(result.site, { siteUrl: SITE_URL });
}

export function appFor(site: RenderedSite) {
  return createSiteHandler({ config: { trustProxy: false }, site, logger: createLogger('silent') });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET over a real socket with the bytes exactly as sent (supertest decompresses bodies). */
export async function rawGet(
  app: RequestListener,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const http = await import('node:http');
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise<RawResponse>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
