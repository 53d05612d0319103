/**
 * What happens to a change waiting for review: a publisher publishes it or
 * sends it back with a comment; its author withdraws it, or combines it
 * with the published page when that changed in the same lines meanwhile.
 *
 * Publishing is a save of the change's text over the version it was made
 * from (saveEdit): when the published page changed since, the two are
 * merged if they touch different lines; otherwise nothing is published and
 * the change goes back to its author as a conflict, with both texts. It is
 * validated against the site as it is now. The commit has the change's
 * author as its author and names the publisher. A decision is refused when
 * the change moved on since the reviewer looked at it, so a publisher
 * always publishes what they saw. Every decision goes in the audit log.
 */
import type { Diagnostic } from '../../content/diagnostics.js';
import { hasErrors } from '../../content/diagnostics.js';
import { StoreConflictError, versionOf } from '../../store/contentStore.js';
import type { EditorContext } from '../context.js';
import { mergeTexts } from '../pages/merge.js';
import { blockingDiagnostics, findVersion, saveEdit, sizeProblem } from '../pages/saveEdit.js';
import { canPublish, type User } from '../users/users.js';
import { isOpen, MAX_COMMENT_LENGTH, type PendingChange } from './pendingChanges.js';

export type Decision =
  | { kind: 'done'; change: PendingChange }
  /** The change is not in a state for this, or not this person's to decide. */
  | { kind: 'refused'; reason: string }
  /** The change moved on since the reviewer opened it: they must look again. */
  | { kind: 'moved' }
  /** It cannot be published as it is: these errors, with the site as it is now. */
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  /** The published page changed in the same lines: sent back to its author. */
  | { kind: 'conflict'; change: PendingChange };

/** What the change would publish now: the published file, and the change merged onto it. */
export interface Proposal {
  /** The published file now (null: there is none). */
  published: string | null;
  /** The file as publishing would leave it (null: removed); null too when `clean` is false. */
  result: string | null;
  /** False when the published page changed in the same lines: nothing can be published. */
  clean: boolean;
  /** The change's own text (null for a deletion). */
  mine: string | null;
}

export async function proposal(context: EditorContext, change: PendingChange): Promise<Proposal> {
  const [current, bytes] = await Promise.all([context.store.read(change.file), context.review.text(change)]);
  const published = current?.bytes.toString('utf8') ?? null;
  const mine = bytes?.toString('utf8') ?? null;
  if ((current?.version ?? null) === change.baseVersion) return { published, result: mine, clean: true, mine };
  if (mine === null || published === null || change.baseVersion === null)
    return { published, result: null, clean: published === mine, mine };
  // As saveEdit: a text too large to be published is never merged (publishing it says why).
  if (sizeProblem(change.file, mine)) return { published, result: null, clean: false, mine };
  // The version it was made over is read at the published commit its branch starts from, and checked.
  const base = await findVersion(context.store, change.file, change.baseVersion, change.baseCommit);
  const merged = base ? await mergeTexts(base.toString('utf8'), mine, published) : ({ clean: false } as const);
  return merged.clean
    ? { published, result: merged.text, clean: true, mine }
    : { published, result: null, clean: false, mine };
}

export function mayDecide(user: User, change: PendingChange): string | null {
  if (!canPublish(user.role)) return 'Only publishers and admins can publish changes or send them back.';
  if (change.author === user.name)
    return 'You made this change, so someone else must review it: another publisher or an admin.';
  if (!isOpen(change)) return 'This change has already been decided.';
  return null;
}

/** The change as it stands, when this reviewer may decide it as they saw it; otherwise why not. */
function decidable(
  context: EditorContext,
  reviewer: User,
  change: PendingChange,
  seenTip: string,
): PendingChange | Decision {
  const now = context.review.get(change.id);
  if (!now) return { kind: 'refused', reason: 'There is no such change.' };
  const refusal = mayDecide(reviewer, now);
  if (refusal) return { kind: 'refused', reason: refusal };
  if (now.tip !== seenTip || now.state !== 'waiting') return { kind: 'moved' };
  return now;
}

export async function publish(
  context: EditorContext,
  reviewer: User,
  change: PendingChange,
  seenTip: string,
  from: string,
): Promise<Decision> {
  return context.review.queue.run(async (): Promise<Decision> => {
    const now = decidable(context, reviewer, change, seenTip);
    if (!('id' in now)) return now;
    const bytes = await context.review.text(now);
    const author = { name: now.authorName, email: now.authorEmail };
    const message =
      `${now.kind === 'delete' ? 'Delete' : now.kind === 'new' ? 'Create' : 'Edit'} “${now.title}” (${now.file})\n\n` +
      `Reviewed-by: ${reviewer.displayName} <${reviewer.email}>\n`;
    let publishedVersion: string;
    if (bytes === null) {
      const current = await context.store.read(now.file);
      if (current === null || current.version !== now.baseVersion) return conflictBack(context, now, from);
      try {
        await context.store.remove(now.file, { expectedVersion: current.version, author, message });
      } catch (error) {
        if (error instanceof StoreConflictError) return conflictBack(context, now, from);
        throw error;
      }
      await context.live.reload({ content: [now.file], reason: 'editor review' });
      publishedVersion = '';
    } else {
      const outcome = await saveEdit(context, {
        file: now.file,
        text: bytes.toString('utf8'),
        openedVersion: now.baseVersion,
        openedAt: now.baseCommit,
        author,
        message,
      });
      if (outcome.kind === 'invalid') return { kind: 'invalid', diagnostics: outcome.diagnostics };
      if (outcome.kind === 'conflict') return conflictBack(context, now, from);
      publishedVersion = outcome.version;
    }
    await context.review.branches.delete(now.id, now.tip);
    const decided = await context.review.put({
      ...now,
      state: 'published',
      conflict: false,
      decidedBy: reviewer.name,
      decidedByName: reviewer.displayName,
      decided: new Date(context.now()).toISOString(),
      publishedVersion,
    });
    await context.audit.record({
      event: 'change-published',
      user: reviewer.name,
      from,
      path: now.file,
      subject: now.author,
      detail: `change ${now.id}${publishedVersion ? ` -> ${publishedVersion}` : ' (deleted)'}`,
    });
    return { kind: 'done', change: decided };
  });
}

/** Sends a change back to its author with a comment; it stays theirs to change and send again, or withdraw. */
export async function sendBack(
  context: EditorContext,
  reviewer: User,
  change: PendingChange,
  seenTip: string,
  comment: string,
  from: string,
): Promise<Decision> {
  const text = comment.replace(/\r\n?/g, '\n').trim();
  if (text === '' || text.length > MAX_COMMENT_LENGTH) return { kind: 'refused', reason: 'comment' };
  return context.review.queue.run(async (): Promise<Decision> => {
    const now = decidable(context, reviewer, change, seenTip);
    if (!('id' in now)) return now;
    const at = new Date(context.now()).toISOString();
    const returned = await context.review.put({
      ...now,
      state: 'returned',
      updated: at,
      comments: [...now.comments, { by: reviewer.name, byName: reviewer.displayName, at, text, kind: 'returned' }],
    });
    await context.audit.record({
      event: 'change-returned',
      user: reviewer.name,
      from,
      path: now.file,
      subject: now.author,
      detail: `change ${now.id}`,
    });
    return { kind: 'done', change: returned };
  });
}

/** The author takes their change back: its branch is deleted and nothing is published. */
export async function withdraw(context: EditorContext, author: User, change: PendingChange, from: string) {
  return context.review.queue.run(async (): Promise<Decision> => {
    const now = context.review.get(change.id);
    if (!now || now.author !== author.name)
      return { kind: 'refused', reason: 'Only its author can withdraw a change.' };
    if (!isOpen(now)) return { kind: 'refused', reason: 'This change has already been decided.' };
    await context.review.branches.delete(now.id, now.tip);
    const at = new Date(context.now()).toISOString();
    const withdrawn = await context.review.put({ ...now, state: 'withdrawn', updated: at, decided: at });
    await context.audit.record({
      event: 'change-withdrawn',
      user: author.name,
      from,
      path: now.file,
      detail: `change ${now.id}`,
    });
    return { kind: 'done', change: withdrawn };
  });
}

/**
 * The author's version after a conflict: their text, combined by them with
 * the published page (or, for a deletion, the deletion asked for again),
 * saved on the change's branch as made over the published version
 * `publishedVersion` (the one they were shown), and sent for review again.
 */
export async function resolve(
  context: EditorContext,
  author: User,
  change: PendingChange,
  text: string | null,
  publishedVersion: string,
  from: string,
): Promise<Decision> {
  const normalised = text?.replace(/\r\n?/g, '\n') ?? null;
  // As saveEdit: a text too large to be published is refused before anything else.
  const tooLarge = normalised === null ? null : sizeProblem(change.file, normalised);
  if (tooLarge) return { kind: 'invalid', diagnostics: [tooLarge] };
  const bytes = normalised === null ? null : Buffer.from(normalised, 'utf8');
  const problems = bytes ? blockingDiagnostics(context.live, change.file, bytes) : [];
  if (hasErrors(problems)) return { kind: 'invalid', diagnostics: problems };
  return context.review.queue.run(async (): Promise<Decision> => {
    const now = context.review.get(change.id);
    if (!now || now.author !== author.name || !isOpen(now))
      return { kind: 'refused', reason: 'Only its author can change this change while it is open.' };
    const current = await context.store.read(now.file);
    if ((current?.version ?? '') !== publishedVersion) return { kind: 'moved' };
    const tip = await context.review.branches.commit(now.id, now.file, {
      bytes,
      author: { name: author.displayName, email: author.email },
      message: bytes
        ? `Combine the change to “${now.title}” (${now.file}) with the published page`
        : `Ask again to delete “${now.title}” (${now.file})`,
      expectedTip: now.tip,
    });
    const at = new Date(context.now()).toISOString();
    const resolved = await context.review.put({
      ...now,
      tip,
      baseVersion: current?.version ?? null,
      baseCommit: await context.review.branches.head(),
      kind: bytes === null ? 'delete' : current ? 'edit' : 'new',
      state: 'waiting',
      conflict: false,
      updated: at,
      submitted: at,
    });
    await context.audit.record({
      event: 'change-submitted',
      user: author.name,
      from,
      path: now.file,
      detail: `change ${now.id} (${bytes ? `combined with the published page, ${versionOf(bytes)}` : 'deletion'})`,
    });
    return { kind: 'done', change: resolved };
  });
}

async function conflictBack(context: EditorContext, change: PendingChange, from: string): Promise<Decision> {
  const at = new Date(context.now()).toISOString();
  const text =
    change.kind === 'delete'
      ? 'The page was changed after this deletion was asked for, so it was not deleted. Look at it again.'
      : 'Someone changed the same lines of the published page after this change was made, so it was not ' +
        'published. Combine the two versions and send it again.';
  const back = await context.review.put({
    ...change,
    state: 'returned',
    conflict: true,
    updated: at,
    comments: [...change.comments, { by: '', byName: 'The editor', at, text, kind: 'conflict' }],
  });
  await context.audit.record({
    event: 'change-conflict',
    user: change.author,
    from,
    path: change.file,
    detail: `change ${change.id}: sent back to its author to combine with the published page`,
  });
  return { kind: 'conflict', change: back };
}
