/**
 * The editor's own stylesheet and script (public/editor/), fingerprinted
 * and served under /edit/assets/ by the editor alone: they are not part of
 * the public site or its export.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../paths.js';

export const EDITOR_ASSET_PREFIX = '/edit/assets/';

export interface EditorAsset {
  url: string;
  type: string;
  body: Buffer;
}

export interface EditorAssets {
  url(name: 'editor.css' | 'editor.js'): string;
  byUrl: ReadonlyMap<string, EditorAsset>;
}

export function loadEditorAssets(publicDir: string = PUBLIC_DIR): EditorAssets {
  const byName = new Map<string, EditorAsset>();
  for (const [name, type] of [
    ['editor.css', 'text/css; charset=utf-8'],
    ['editor.js', 'text/javascript; charset=utf-8'],
  ] as const) {
    const body = readFileSync(path.join(publicDir, 'editor', name));
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
    const ext = path.extname(name);
    byName.set(name, { url: `${EDITOR_ASSET_PREFIX}${path.basename(name, ext)}.${hash}${ext}`, type, body });
  }
  return {
    url: (name) => byName.get(name)!.url,
    byUrl: new Map([...byName.values()].map((a) => [a.url, a])),
  };
}
