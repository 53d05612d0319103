/**
 * The current bytes of a declared document file.
 *
 * Files are served from the bytes read at start. If staff replace or delete
 * a file while the server runs, the next request notices (one lstat) and
 * gets either 404 or the complete new file with headers computed from
 * exactly the bytes sent: never a 500, a truncated body or a mix of two
 * versions. Only paths fixed when the content was loaded are ever touched;
 * nothing a visitor types reaches the file system.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentFile, FileIdentity } from '../content/model.js';
import { MAX_DOCUMENT_FILE_BYTES } from '../content/documents.js';
import { checkFileBytes, strongEtag } from '../content/fileInfo.js';
import type { Request, Response } from 'express';
import { sendDownload, type Representation } from './download.js';
import type { Logger } from '../logger.js';

/** A file changed more recently than this may still be being written: it is not served yet. */
export const SETTLE_MS = 1000;
const READ_ATTEMPTS = 3;

export type CurrentFile =
  { ok: true; representation: Representation; changed: boolean } | { ok: false; reason: string };

function fromMemory(file: DocumentFile): Representation {
  return {
    bytes: file.bytes,
    contentType: file.type.contentType,
    etag: file.etag,
    lastModified: file.lastModified,
    fileName: file.name,
  };
}

function identityOf(stat: Stats): FileIdentity {
  return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/**
 * Serves declared document files, remembering the files it had to read again
 * (changed on disk since the content was loaded), so that every request does
 * not read them again. One per app: nothing is shared between instances.
 */
export class DocumentFileReader {
  private readonly reread = new WeakMap<DocumentFile, { identity: FileIdentity; representation: Representation }>();

  constructor(private readonly now: () => number = Date.now) {}

  current(file: DocumentFile): Promise<CurrentFile> {
    return currentFile(file, this.reread, this.now);
  }

  /**
   * Answers a request for a declared document file. Whatever happens on disk,
   * the visitor gets the file or the site's 404 page, never an error page.
   */
  async serve(
    req: Request,
    res: Response,
    file: DocumentFile,
    logger: Logger,
    notFound: (req: Request, res: Response) => void,
  ): Promise<void> {
    let current: CurrentFile;
    try {
      current = await this.current(file);
    } catch (err) {
      current = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    if (!current.ok) {
      logger.warn(
        { reqId: res.locals.requestId, file: file.source, reason: current.reason },
        'document file not served',
      );
      return notFound(req, res);
    }
    if (current.changed)
      logger.info(
        { reqId: res.locals.requestId, file: file.source },
        'document file changed on disk since the site was loaded; serving the new file',
      );
    sendDownload(req, res, current.representation);
  }
}

type Reread = WeakMap<DocumentFile, { identity: FileIdentity; representation: Representation }>;

async function currentFile(file: DocumentFile, reread: Reread, now: () => number): Promise<CurrentFile> {
  if (!file.disk) return { ok: true, representation: fromMemory(file), changed: false };
  const { absolutePath, root } = file.disk;
  let stat: Stats;
  try {
    stat = await lstat(absolutePath);
  } catch {
    return { ok: false, reason: 'the file is gone' };
  }
  if (!stat.isFile()) return { ok: false, reason: 'the path is no longer a regular file' };
  const identity = identityOf(stat);
  if (sameIdentity(identity, file.disk.identity)) return { ok: true, representation: fromMemory(file), changed: false };
  const cached = reread.get(file);
  if (cached && sameIdentity(cached.identity, identity))
    return { ok: true, representation: cached.representation, changed: true };

  if (now() - stat.mtimeMs < SETTLE_MS)
    return { ok: false, reason: 'the file changed less than a second ago and may still be being written' };
  // The folder must still be the real folder inside the content root, not a link elsewhere.
  const relativeDir = path.relative(root, path.dirname(absolutePath));
  try {
    const [realDir, realRoot] = await Promise.all([realpath(path.dirname(absolutePath)), realpath(root)]);
    if (realDir !== path.join(realRoot, relativeDir))
      return { ok: false, reason: 'the folder now leads outside the content folder' };
  } catch {
    return { ok: false, reason: 'the folder is gone' };
  }
  const read = await readStable(absolutePath);
  if (!read.ok) return read;
  const sniffed = checkFileBytes(read.bytes, file.type.kind);
  if (!sniffed.ok) return { ok: false, reason: `the new file is not a ${file.type.abbreviation}: ${sniffed.reason}` };
  const representation: Representation = {
    bytes: read.bytes,
    contentType: file.type.contentType,
    etag: strongEtag(read.bytes),
    lastModified: new Date(Math.floor(read.identity.mtimeMs / 1000) * 1000),
    fileName: file.name,
  };
  reread.set(file, { identity: read.identity, representation });
  return { ok: true, representation, changed: true };
}

/**
 * Reads a whole file through one descriptor (O_NOFOLLOW: never through a
 * symlink) and accepts the bytes only if the file did not change while
 * they were read.
 */
export async function readStable(
  absolutePath: string,
): Promise<{ ok: true; bytes: Buffer; identity: FileIdentity } | { ok: false; reason: string }> {
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    let handle;
    try {
      handle = await open(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return { ok: false, reason: 'the file cannot be opened (gone, or a symbolic link)' };
    }
    try {
      const before = await handle.stat();
      if (!before.isFile()) return { ok: false, reason: 'the path is not a regular file' };
      if (before.size === 0) return { ok: false, reason: 'the file is empty' };
      if (before.size > MAX_DOCUMENT_FILE_BYTES) return { ok: false, reason: 'the file is too large to serve' };
      const bytes = await handle.readFile();
      const after = await handle.stat();
      const identity = identityOf(after);
      if (sameIdentity(identityOf(before), identity) && bytes.length === after.size)
        return { ok: true, bytes, identity };
    } catch {
      return { ok: false, reason: 'the file could not be read' };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  return { ok: false, reason: 'the file kept changing while it was read' };
}
