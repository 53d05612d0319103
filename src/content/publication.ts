/**
 * Drafts and scheduled publishing.
 *
 * `publishDate` and `expiryDate` are written as UK wall-clock times
 * ("2027-03-01" means midnight at the start of 1 March in London, "2027-03-01
 * 09:30" half past nine), because that is how staff think about them. This
 * module turns them into instants and says, for a given instant, whether a
 * page is visible. The clock is always passed in, never read, so the rules
 * can be tested at any moment.
 */
import { formatLongDate, isRealIsoDate } from './dates.js';

export const PUBLICATION_TIME_ZONE = 'Europe/London';

export type PublicationState = 'published' | 'draft' | 'scheduled' | 'expired';

export interface Schedule {
  draft?: boolean | undefined;
  publishDate?: string | undefined;
  expiryDate?: string | undefined;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}))?$/;

/** True for "YYYY-MM-DD" and "YYYY-MM-DD HH:MM" naming a real day and time. */
export function isScheduleValue(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m || !isRealIsoDate(m[1]!)) return false;
  return m[2] === undefined || (Number(m[2]) < 24 && Number(m[3]) < 60);
}

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: PUBLICATION_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function wallClockParts(instant: number): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of wallClock.formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts;
}

/** Milliseconds London is ahead of UTC at an instant (0 in winter, one hour in summer). */
function londonOffset(instant: number): number {
  const p = wallClockParts(instant);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a schedule value names, in UK time. Throws for a value that is not one. */
export function scheduleInstant(value: string): number {
  const m = DATE_TIME.exec(value);
  if (!m || !isScheduleValue(value)) throw new Error(`not a schedule value: ${value}`);
  const [year, month, day] = m[1]!.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, Number(m[2] ?? 0), Number(m[3] ?? 0));
  // Two passes settle the offset, including on the days the clocks change.
  const first = wall - londonOffset(wall);
  return wall - londonOffset(first);
}

/** Today's date in the UK, written YYYY-MM-DD. */
export function ukDate(instant: number): string {
  const p = wallClockParts(instant);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** A date one year later (29 February becomes 28 February). */
export function addOneYear(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const candidate = `${String(y + 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isRealIsoDate(candidate) ? candidate : `${String(y + 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-28`;
}

export function publicationState(schedule: Schedule, now: number): PublicationState {
  if (schedule.draft) return 'draft';
  if (schedule.publishDate && now < scheduleInstant(schedule.publishDate)) return 'scheduled';
  if (schedule.expiryDate && now >= scheduleInstant(schedule.expiryDate)) return 'expired';
  return 'published';
}

/** The first instant after `now` at which any of these pages appears or disappears, or null. */
export function nextPublicationChange(schedules: Iterable<Schedule>, now: number): number | null {
  let next: number | null = null;
  for (const s of schedules) {
    if (s.draft) continue;
    for (const value of [s.publishDate, s.expiryDate]) {
      if (!value) continue;
      const at = scheduleInstant(value);
      if (at > now && (next === null || at < next)) next = at;
    }
  }
  return next;
}

/** "1 March 2027" or "1 March 2027 at 09:30", for messages and preview banners. */
export function describeScheduleValue(value: string): string {
  const m = DATE_TIME.exec(value);
  if (!m) return value;
  const date = formatLongDate(m[1]!);
  return m[2] === undefined ? date : `${date} at ${m[2]}:${m[3]} UK time`;
}
