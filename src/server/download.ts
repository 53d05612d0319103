/**
 * Sends a file download by the rules of RFC 9110 (conditional requests,
 * single byte ranges) and RFC 6266 (Content-Disposition). Written here
 * rather than through `send` because send answers a weak ETag in If-Range,
 * keeps file headers on error responses and follows symlinks.
 */
import type { Request, Response } from 'express';
import { parseHttpDate } from './httpDate.js';
import { etagMatches } from './respond.js';

export interface Representation {
  bytes: Buffer;
  contentType: string;
  /** Strong entity tag, quoted. */
  etag: string;
  lastModified: Date;
  /** Offered to the browser as the saved file's name. */
  fileName: string;
}

export const DOWNLOAD_CACHE = 'public, max-age=0, must-revalidate';
/** Range headers longer than this are ignored rather than parsed. */
const MAX_RANGE_HEADER = 1024;

export type RangeRequest =
  { kind: 'none' } | { kind: 'unsatisfiable' } | { kind: 'single'; start: number; end: number };

/**
 * Reads a Range header for a representation of `size` bytes. Anything we
 * do not serve as one range is answered in full (RFC 9110 §14.2 lets a
 * server ignore Range): other units, bad syntax, and several ranges.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined || header.length > MAX_RANGE_HEADER) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'none' };
  const specs = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length === 0) return { kind: 'none' };
  const ranges: ({ start: number; end: number } | null)[] = [];
  for (const spec of specs) {
    const r = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return { kind: 'none' };
    if (r[1] === '') {
      const suffix = Number(r[2]);
      ranges.push(suffix === 0 || size === 0 ? null : { start: Math.max(0, size - suffix), end: size - 1 });
    } else {
      const first = Number(r[1]);
      const last = r[2] === '' ? Infinity : Number(r[2]);
      if (last < first) return { kind: 'none' };
      ranges.push(first >= size ? null : { start: first, end: Math.min(last, size - 1) });
    }
  }
  const satisfiable = ranges.filter((r): r is { start: number; end: number } => r !== null);
  if (satisfiable.length === 0) return { kind: 'unsatisfiable' };
  if (ranges.length > 1) return { kind: 'none' };
  return { kind: 'single', ...satisfiable[0]! };
}

/** RFC 6266: an ASCII fallback in filename, the exact name in filename* when it is not ASCII. */
export function contentDisposition(fileName: string): string {
  const isPlainAscii = /^[\x20-\x7e]*$/.test(fileName) && !/["\\]/.test(fileName);
  const fallback = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  const header = `attachment; filename="${fallback}"`;
  if (isPlainAscii) return header;
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${header}; filename*=UTF-8''${encoded}`;
}

function parseEtags(header: string): string[] {
  return header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Strong comparison: both tags strong and identical. */
function strongMatch(candidate: string, etag: string): boolean {
  return !candidate.startsWith('W/') && candidate === etag;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;

type Outcome =
  { status: 200 } | { status: 206; start: number; end: number } | { status: 304 } | { status: 412 } | { status: 416 };

/**
 * The order of RFC 9110 §13.2.2: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, then Range with
 * If-Range.
 */
export function evaluate(
  req: Pick<Request, 'method' | 'headers'>,
  rep: Pick<Representation, 'etag' | 'lastModified'> & { size: number },
): Outcome {
  const h = req.headers;
  const lastModified = seconds(rep.lastModified);
  const ifMatch = h['if-match'];
  if (ifMatch !== undefined) {
    const ok = ifMatch.trim() === '*' || parseEtags(ifMatch).some((t) => strongMatch(t, rep.etag));
    if (!ok) return { status: 412 };
  } else {
    const since = parseHttpDate(h['if-unmodified-since']);
    if (since !== null && lastModified > since) return { status: 412 };
  }
  const ifNoneMatch = h['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, rep.etag)) return { status: 304 };
  } else {
    const since = parseHttpDate(h['if-modified-since']);
    if (since !== null && lastModified <= since) return { status: 304 };
  }
  // Range is defined for GET only; HEAD answers as a full GET would.
  if (req.method !== 'GET' || h.range === undefined) return { status: 200 };
  const ifRange = h['if-range'];
  // If-Range with a date, or a weak or different tag, means "send it all".
  if (ifRange !== undefined && (typeof ifRange !== 'string' || !strongMatch(ifRange.trim(), rep.etag)))
    return { status: 200 };
  const range = parseRange(h.range, rep.size);
  if (range.kind === 'unsatisfiable') return { status: 416 };
  if (range.kind === 'single') return { status: 206, start: range.start, end: range.end };
  return { status: 200 };
}

/** Headers that describe the file; error responses must carry none of them. */
const FILE_HEADERS = [
  'Content-Type',
  'Content-Length',
  'Content-Disposition',
  'Content-Range',
  'ETag',
  'Last-Modified',
  'Accept-Ranges',
];

export function sendDownload(req: Request, res: Response, rep: Representation): void {
  const size = rep.bytes.length;
  const outcome = evaluate(req, { etag: rep.etag, lastModified: rep.lastModified, size });
  for (const name of FILE_HEADERS) res.removeHeader(name);

  if (outcome.status === 304) {
    res.setHeader('ETag', rep.etag);
    res.setHeader('Cache-Control', DOWNLOAD_CACHE);
    res.status(304).end();
    return;
  }
  if (outcome.status === 412 || outcome.status === 416) {
    if (outcome.status === 416) res.setHeader('Content-Range', `bytes */${size}`);
    const text = outcome.status === 416 ? 'Range Not Satisfiable\n' : 'Precondition Failed\n';
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.setHeader('Cache-Control', 'no-store');
    res.status(outcome.status);
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }

  res.setHeader('Content-Type', rep.contentType);
  res.setHeader('Content-Disposition', contentDisposition(rep.fileName));
  res.setHeader('ETag', rep.etag);
  res.setHeader('Last-Modified', rep.lastModified.toUTCString());
  res.setHeader('Cache-Control', DOWNLOAD_CACHE);
  res.setHeader('Accept-Ranges', 'bytes');
  let body = rep.bytes;
  if (outcome.status === 206) {
    body = rep.bytes.subarray(outcome.start, outcome.end + 1);
    res.setHeader('Content-Range', `bytes ${outcome.start}-${outcome.end}/${size}`);
  }
  res.setHeader('Content-Length', body.length);
  res.status(outcome.status);
  res.end(req.method === 'HEAD' ? undefined : body);
}
