/**
 * Which saves wait for review. With `reviewBeforePublishing: true` in the
 * published site settings, an editor's change goes for review when visitors
 * could see it: a change to a page that is not a draft, a draft made
 * public, a new page, a deletion and any change to the site settings. A
 * draft that stays a draft, or is deleted, is saved at once (nobody sees
 * it), and publishers and admins publish at once. A person with a change waiting for
 * a file goes on saving to that change, whatever the setting says now, so
 * that their work is never split between two places.
 */
import type { LiveSite } from '../../live/liveSite.js';
import type { EditorContext } from '../context.js';
import type { SaveDependencies } from '../pages/saveEdit.js';
import { canPublish, type User } from '../users/users.js';
import { isDraftText, type PendingTarget } from './pendingChanges.js';

/** The published settings decide: a change to site.yml that turns review off waits for review itself. */
export function reviewIsOn(live: LiveSite): boolean {
  return live.current()?.model.settings.reviewBeforePublishing === true;
}

/** True when this person's saves of this file go to a pending change, whatever they contain. */
export function savesGoToReview(context: EditorContext, user: User): boolean {
  return reviewIsOn(context.live) && !canPublish(user.role);
}

export interface SaveDestination {
  deps: SaveDependencies;
  /** The pending change written to; null when the save is published at once. */
  pending: PendingTarget | null;
}

/**
 * True when this change waits for review: `before` is the published file (null: none), `after` the file
 * as it would be (null: deleted). A draft that stays a draft, or is deleted, is seen by nobody.
 */
export function waitsForReview(
  context: EditorContext,
  user: User,
  file: string,
  before: string | null,
  after: string | null,
): boolean {
  if (context.review.openChange(user.name, file)) return true;
  if (!savesGoToReview(context, user)) return false;
  const unseen = file.endsWith('.md') && isDraftText(before) && (after === null || isDraftText(after));
  return !unseen;
}

/** Where a person's save of a file goes: `text` is what they submit (null for a deletion). */
export async function saveDestination(
  context: EditorContext,
  user: User,
  file: string,
  text: string | null,
): Promise<SaveDestination> {
  const current = await context.store.read(file);
  if (!waitsForReview(context, user, file, current?.bytes.toString('utf8') ?? null, text))
    return { deps: context, pending: null };
  const pending = context.review.target(user, file);
  return { deps: { store: pending, live: context.live, reloads: false }, pending };
}

/** What a person reads and writes for a file: their open change, or the published file. */
export function readTarget(context: EditorContext, user: User, file: string) {
  return context.review.openChange(user.name, file) ? context.review.target(user, file) : context.store;
}
