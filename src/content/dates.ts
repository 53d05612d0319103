/** Calendar dates written YYYY-MM-DD, checked to be real days (no 30 February). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function isIsoDateShape(value: string): boolean {
  return ISO_DATE.test(value);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The YYYY-MM-DD form of a date written another common way, for a message
 * that shows the fix: UK day/month/year ("01/12/2026", "1.12.2026",
 * "1-12-2026"), year/month/day with slashes or short parts ("2026/12/01",
 * "2026-12-1") and words ("1 December 2026", "1 Dec 2026"). Null when the
 * value is none of these or names no real day. Day/month/year is read the UK
 * way: the message names the day in words, so a US-style date shows itself.
 */
export function suggestIsoDate(value: string): string | null {
  const v = value.trim();
  let parts: [number, number, number] | null = null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (m) parts = [Number(m[3]), Number(m[2]), Number(m[1])];
  m ??= /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(v);
  if (m && !parts) parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  const words = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})$/.exec(v);
  if (words) {
    const name = words[2]!.toLowerCase();
    const month = MONTHS.findIndex((mo) => name.length >= 3 && mo.toLowerCase().startsWith(name));
    if (month >= 0) parts = [Number(words[3]), month + 1, Number(words[1])];
  }
  if (!parts) return null;
  const iso = `${parts[0]}-${String(parts[1]).padStart(2, '0')}-${String(parts[2]).padStart(2, '0')}`;
  return isRealIsoDate(iso) && iso !== v ? iso : null;
}

/**
 * The one message for a date that is not a real YYYY-MM-DD date: the fix
 * when the value is a date written another way, the rule otherwise.
 */
export function isoDateProblem(value: string): string | null {
  if (isRealIsoDate(value)) return null;
  const suggestion = suggestIsoDate(value);
  if (suggestion) return `must be written YYYY-MM-DD: for ${formatLongDate(suggestion)}, write ${suggestion}`;
  if (isIsoDateShape(value)) return 'is not a real calendar date: check the month (01-12) and the day';
  return 'must be a date written YYYY-MM-DD, for example 2026-11-25';
}

/** "25 November 2026", the NHS.UK style for dates. */
export function formatLongDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}
