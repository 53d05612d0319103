/**
 * After a save that went for review: the audit line, and where the person
 * goes next (back to the form, which now shows their change, or to the
 * change itself when there is no form to show).
 */
import type { EditorContext } from '../context.js';
import type { PendingChange, PendingTarget } from './pendingChanges.js';

/** Records the submission; returns the change, or null when nothing was saved (the same text as before). */
export async function recordSubmission(
  context: EditorContext,
  user: string,
  from: string,
  target: PendingTarget,
  what: string,
): Promise<PendingChange | null> {
  const change = target.saved;
  if (!change) return null;
  await context.audit.record({
    event: 'change-submitted',
    user,
    from,
    path: change.file,
    detail: `change ${change.id} (${what})`,
  });
  return change;
}

export function changeUrl(change: Pick<PendingChange, 'id'>): string {
  return `/edit/review/${change.id}`;
}
