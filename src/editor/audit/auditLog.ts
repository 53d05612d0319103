/**
 * The audit log: one JSON line per event, appended to DATA_DIR/audit.log
 * (owner-only). Who, when, from where, what. Events are typed, so a
 * password or a session id has no field to land in.
 */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { AUDIT_FILE } from '../data/dataFolder.js';

export type AuditEvent =
  | 'sign-in'
  | 'sign-in-failed'
  | 'sign-in-limited'
  | 'sign-out'
  | 'user-added'
  | 'password-changed'
  | 'role-changed'
  | 'user-disabled'
  | 'user-enabled'
  | 'page-saved'
  | 'page-merged'
  | 'page-conflict'
  | 'page-created'
  | 'page-deleted'
  | 'page-restored'
  | 'page-moved'
  | 'document-created'
  | 'file-uploaded'
  | 'file-replaced'
  | 'file-removed'
  | 'image-uploaded'
  | 'change-submitted'
  | 'change-published'
  | 'change-returned'
  | 'change-conflict'
  | 'change-withdrawn';

export interface AuditEntry {
  event: AuditEvent;
  /** The person acting (their username); for a failed sign-in, the user tried, or null for no user's name. */
  user: string | null;
  /** The client's address, or "command line". */
  from: string;
  /** The content file concerned. */
  path?: string;
  /** The user an admin changed, when it is not the person acting. */
  subject?: string;
  /** The version or commit made, the role set, the reason refused. */
  detail?: string;
}

export interface AuditRecord extends AuditEntry {
  time: string;
}

export class AuditLog {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dataDir, AUDIT_FILE);
  }

  /** Appends one line; O_APPEND keeps lines whole when two processes write at once. */
  async record(entry: AuditEntry): Promise<void> {
    const line: AuditRecord = {
      time: new Date(this.now()).toISOString(),
      ...entry,
      ...(entry.user !== null ? { user: entry.user.slice(0, 64) } : {}),
    };
    await appendFile(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600, flag: 'a' });
  }
}
