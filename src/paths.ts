/**
 * The project's own folders, found relative to this module (src/ when run
 * from source by the tests, dist/ when built), and the defaults the
 * configuration falls back to. The one place that knows the project layout.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
export const DEFAULT_CONTENT_DIR = path.join(PROJECT_ROOT, 'content');
export const DEFAULT_EXPORT_DIR = path.join(PROJECT_ROOT, '_site');
/** The editor's users, secrets and audit log (git-ignored; never inside the content folder). */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, 'data');
export const README_FILE = path.join(PROJECT_ROOT, 'README.md');
/** Scripts for visitors' browsers bundled from src/ at build time (see cli/buildBrowserScripts.ts). */
export const BROWSER_BUNDLE_DIR = path.join(PROJECT_ROOT, 'dist', 'browser');
