/**
 * Checks and decodes the path of a request before any route sees it.
 * Anything odd is refused here, so routes can look paths up in maps and
 * never touch the file system with what a visitor typed.
 */
export const MAX_PATH_LENGTH = 2048;

export type PathResult = { ok: true; path: string; query: string } | { ok: false; status: 400 | 404 | 414 };

export function parseRequestPath(rawUrl: string): PathResult {
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q);
  if (rawPath.length > MAX_PATH_LENGTH) return { ok: false, status: 414 };
  if (!rawPath.startsWith('/')) return { ok: false, status: 400 };
  // Encoded slashes, backslashes and dots never name one of our files.
  if (/%2f|%5c|%2e/i.test(rawPath) || rawPath.includes('\\')) return { ok: false, status: 404 };
  // A "%" not followed by two hex digits is a malformed request.
  if (/%(?![0-9a-f]{2})/i.test(rawPath)) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // Well-formed escapes that are not UTF-8 (overlong forms such as %c0%ae): no such resource.
    return { ok: false, status: 404 };
  }
  // NUL and other control characters never appear in our paths (a classic traversal trick).

  if (/[\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, status: 404 };
  if (decoded.includes('\\') || decoded.includes('%')) return { ok: false, status: 404 };
  if (decoded.split('/').some((s) => s === '.' || s === '..')) return { ok: false, status: 404 };
  if (decoded.startsWith('//')) return { ok: false, status: 404 };
  return { ok: true, path: decoded, query };
}
