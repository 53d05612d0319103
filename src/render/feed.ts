/**
 * The Atom feed of updates (/feed.xml): one entry per page or document that
 * has a date, newest first. An entry's date is the latest of its
 * `published`, `updated` and change-note dates; its summary is the change
 * note of that date when there is one, otherwise the page's description.
 * Dates are days in the UK, so an entry is stamped at the start of that day
 * in London.
 */
import type { Page, SiteModel } from '../content/model.js';
import { scheduleInstant } from '../content/publication.js';
import { browserTitle } from '../content/browserTitle.js';
import { FEED_URL } from '../content/engineUrls.js';
import { escapeXml } from './renderPage.js';

export const FEED_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';
/** Feed readers show the newest entries; older ones stay on the site. */
export const FEED_ENTRIES = 50;

interface FeedEntry {
  page: Page;
  updated: string;
  published: string | undefined;
  summary: string;
}

function entryFor(model: SiteModel, page: Page): FeedEntry | null {
  const fm = page.frontMatter;
  const doc = page.documentId === undefined ? undefined : model.library.documents.get(page.documentId);
  const notes = doc?.frontMatter.changeNotes ?? [];
  const dates = [fm.published, fm.updated, ...notes.map((n) => n.date)].filter((d): d is string => d !== undefined);
  if (dates.length === 0) return null;
  const updated = dates.reduce((a, b) => (b > a ? b : a));
  const note = notes.filter((n) => n.date === updated).at(-1);
  return { page, updated, published: fm.published, summary: note?.note ?? doc?.frontMatter.summary ?? fm.description };
}

function instant(date: string): string {
  return new Date(scheduleInstant(date)).toISOString().replace(/\.000Z$/, 'Z');
}

export function renderFeed(model: SiteModel, siteUrl: string): string {
  const entries = [...model.pages.values()]
    .filter((p) => p.role === 'page')
    .map((p) => entryFor(model, p))
    .filter((e): e is FeedEntry => e !== null)
    .sort((a, b) => (a.updated !== b.updated ? (a.updated < b.updated ? 1 : -1) : a.page.url < b.page.url ? -1 : 1))
    .slice(0, FEED_ENTRIES);
  const { settings } = model;
  const newest = entries[0]?.updated;
  const title = browserTitle(settings.labels.feed.title, settings.name);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(settings.language)}">`,
    `  <id>${escapeXml(`${siteUrl}/`)}</id>`,
    `  <title>${escapeXml(title)}</title>`,
    // A feed with no dated pages yet still needs a date: the earliest an Atom reader accepts is fine.
    `  <updated>${newest ? instant(newest) : '1970-01-01T00:00:00Z'}</updated>`,
    `  <author><name>${escapeXml(settings.organisation.name)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(`${siteUrl}${FEED_URL}`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(`${siteUrl}/`)}"/>`,
    `  <rights>${escapeXml(settings.copyright)}</rights>`,
  ];
  for (const entry of entries) {
    const url = `${siteUrl}${entry.page.url}`;
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(url)}</id>`,
      `    <title>${escapeXml(entry.page.frontMatter.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
      ...(entry.published ? [`    <published>${instant(entry.published)}</published>`] : []),
      `    <updated>${instant(entry.updated)}</updated>`,
      `    <summary>${escapeXml(entry.summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
