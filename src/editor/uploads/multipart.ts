/**
 * Reading an upload (multipart/form-data) with busboy and explicit limits,
 * into memory: the bytes are checked, then written through the content
 * store, so no temporary file is ever made and a refused upload leaves
 * nothing behind.
 *
 * The same-origin check, the session and the form token (in the form's
 * address, since the body is not read yet) are checked before this runs
 * (editorApp.ts). Limits are enforced while the body streams in: a body that
 * announces more than the limit is refused before a byte is parsed, and one
 * that grows past it is cut off there (see discardBriefly).
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export interface UploadLimits {
  /** Largest file accepted, in bytes. */
  fileBytes: number;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  /** The one file sent in the field named "file"; null when none was chosen. */
  file: { name: string; bytes: Buffer } | null;
}

export type UploadResult =
  | { ok: true; upload: ReceivedUpload }
  | { ok: false; status: 400 | 413 | 415; reason: 'too-large' | 'malformed' | 'not-multipart' };

/** Room for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 8 * 1024;

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '');
}

/** The most a request may announce (Content-Length) for an upload with these limits. */
export function maxUploadRequestBytes(limits: UploadLimits): number {
  return limits.fileBytes + FORM_OVERHEAD_BYTES;
}

export function receiveUpload(req: IncomingMessage, limits: UploadLimits): Promise<UploadResult> {
  if (!isMultipart(req)) return Promise.resolve({ ok: false, status: 415, reason: 'not-multipart' });
  const announced = Number(req.headers['content-length'] ?? NaN);
  if (announced > maxUploadRequestBytes(limits)) {
    discardBriefly(req);
    return Promise.resolve({ ok: false, status: 413, reason: 'too-large' });
  }

  return new Promise<UploadResult>((resolve) => {
    let settled = false;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: limits.fileBytes,
          files: 1,
          fields: MAX_FIELDS,
          fieldSize: MAX_FIELD_BYTES,
          fieldNameSize: 100,
          parts: MAX_FIELDS + 1,
          headerPairs: 20,
        },
      });
    } catch {
      resolve({ ok: false, status: 400, reason: 'malformed' });
      return;
    }
    const fields: Record<string, string> = {};
    let file: ReceivedUpload['file'] = null;
    let received = 0;

    const finish = (result: UploadResult) => {
      if (settled) return;
      settled = true;
      if (!result.ok) {
        // Stop parsing: what is left of the body is never looked at.
        req.unpipe(parser);
        parser.removeAllListeners();
        parser.on('error', () => undefined);
        discardBriefly(req);
      }
      resolve(result);
    };
    const tooLarge = () => finish({ ok: false, status: 413, reason: 'too-large' });

    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file !== null) {
        stream.resume(); // a part the form does not have: read past it, keep nothing
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        chunks.push(chunk);
      });
      stream.on('limit', tooLarge);
      stream.on('end', () => {
        if (settled) return;
        file =
          received === 0 && info.filename === '' ? null : { name: info.filename ?? '', bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) return tooLarge();
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('partsLimit', tooLarge);
    parser.on('filesLimit', tooLarge);
    parser.on('fieldsLimit', tooLarge);
    parser.on('error', () => finish({ ok: false, status: 400, reason: 'malformed' }));
    parser.on('close', () => finish({ ok: true, upload: { fields, file } }));
    req.on('aborted', () => finish({ ok: false, status: 400, reason: 'malformed' }));
    req.pipe(parser);
  });
}

/** How long, and how much more, a refused body is read and thrown away before its connection is cut. */
const LINGER_MS = 2000;
const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * A client still sending when its upload is refused must get the answer: a
 * connection closed with unread bytes is reset, and the reset can overtake
 * the answer (the client sees "connection reset", not why). So, as nginx's
 * lingering close does, what keeps arriving is read and dropped for a moment,
 * never parsed or kept, and then, if the client is still sending, the
 * connection is cut: a refused gigabyte costs a few megabytes at most.
 */
export function discardBriefly(req: IncomingMessage): void {
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) {
      clearTimeout(timer);
      cut();
    }
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}
