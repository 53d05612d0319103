/** For admins: the activity (the audit log, newest first) and the people who can sign in. */
import { open } from 'node:fs/promises';
import type { Response } from 'express';
import type { AuditRecord } from '../audit/auditLog.js';
import { message, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { formatDateTime, sendHtml } from '../http.js';

/** The activity page reads only the end of the log, however long it grows. */
const TAIL_BYTES = 256 * 1024;
const SHOWN = 200;

export function adminRoutes(context: EditorContext): EditorRoute {
  return async (req, res) => {
    if (req.path !== '/edit/activity' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    if (res.locals.editor!.user.role !== 'admin') {
      sendHtml(
        res,
        403,
        message(
          context,
          'For admins only',
          ['Only admins can see the activity of the editor.'],
          { href: '/edit/', text: 'All pages' },
          res,
        ),
      );
      return true;
    }
    return activity(context, res);
  };
}

async function activity(context: EditorContext, res: Response): Promise<true> {
  const records = (await readTail(context.audit.file)).slice(-SHOWN).reverse();
  const users = await context.users.list();
  sendHtml(
    res,
    200,
    context.views.render('activity', {
      ...signedIn(res, 'activity'),
      pageTitle: 'Activity',
      records: records.map((r) => ({
        ...r,
        when: formatDateTime(new Date(r.time)),
        who: r.user ?? (r.event.startsWith('sign-in') ? 'unknown username' : ''),
        event: r.event.replace(/-/g, ' '),
      })),
      users: users.map((u) => ({ name: u.name, displayName: u.displayName, role: u.role, disabled: u.disabled })),
    }),
  );
  return true;
}

async function readTail(file: string): Promise<AuditRecord[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // a partial first line
    return lines.flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as AuditRecord] : [];
      } catch {
        return [];
      }
    });
  } finally {
    await handle.close();
  }
}
