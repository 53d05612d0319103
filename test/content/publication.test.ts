import { describe, expect, it } from 'vitest';
import {
  addOneYear,
  isScheduleValue,
  nextPublicationChange,
  publicationState,
  scheduleInstant,
  ukDate,
} from '../../src/content/publication.js';
import { buildFromFiles, memoryFolder, minimalFiles, page } from '../helpers/site.js';
import { buildSite } from '../../src/content/buildSite.js';

const at = (iso: string) => Date.parse(iso);

describe('schedule values in UK time', () => {
  it('reads a date as midnight in London, in winter (GMT) and summer (BST)', () => {
    expect(scheduleInstant('2027-01-15')).toBe(at('2027-01-15T00:00:00Z'));
    expect(scheduleInstant('2027-07-15')).toBe(at('2027-07-14T23:00:00Z'));
  });

  it('reads a date and time as London wall-clock time, across the clock changes', () => {
    expect(scheduleInstant('2027-07-15 09:30')).toBe(at('2027-07-15T08:30:00Z'));
    expect(scheduleInstant('2027-03-28 03:00')).toBe(at('2027-03-28T02:00:00Z')); // just after clocks go forward
    expect(scheduleInstant('2027-10-31 00:30')).toBe(at('2027-10-30T23:30:00Z')); // before clocks go back
    expect(scheduleInstant('2027-10-31 03:00')).toBe(at('2027-10-31T03:00:00Z'));
  });

  it('accepts only real dates and times', () => {
    for (const ok of ['2027-01-01', '2027-12-31 23:59', '2028-02-29']) expect(isScheduleValue(ok), ok).toBe(true);
    for (const bad of [
      '2027-02-29',
      '2027-13-01',
      '2027-01-01 24:00',
      '2027-01-01 9:30',
      '2027-01-01T09:30',
      '1/1/2027',
      '2027-01-01 09:60',
    ]) {
      expect(isScheduleValue(bad), bad).toBe(false);
    }
  });

  it("gives today's UK date, which differs from UTC late on a summer evening", () => {
    expect(ukDate(at('2027-07-15T23:30:00Z'))).toBe('2027-07-16');
    expect(ukDate(at('2027-01-15T23:30:00Z'))).toBe('2027-01-15');
  });

  it('adds a year, keeping 29 February real', () => {
    expect(addOneYear('2026-11-25')).toBe('2027-11-25');
    expect(addOneYear('2028-02-29')).toBe('2029-02-28');
  });
});

describe('publication state', () => {
  const schedule = { publishDate: '2027-03-01', expiryDate: '2027-04-01 12:00' };
  it('is scheduled before publishDate, published between, expired from expiryDate', () => {
    expect(publicationState(schedule, at('2027-02-28T23:59:59Z'))).toBe('scheduled');
    expect(publicationState(schedule, at('2027-03-01T00:00:00Z'))).toBe('published');
    expect(publicationState(schedule, at('2027-04-01T10:59:59Z'))).toBe('published');
    expect(publicationState(schedule, at('2027-04-01T11:00:00Z'))).toBe('expired');
    expect(publicationState({ ...schedule, draft: true }, at('2027-03-15T00:00:00Z'))).toBe('draft');
  });

  it('names the next boundary after now, ignoring drafts and past dates', () => {
    const pages = [schedule, { publishDate: '2027-02-01', draft: true }, { expiryDate: '2027-01-01' }];
    expect(nextPublicationChange(pages, at('2027-01-10T00:00:00Z'))).toBe(at('2027-03-01T00:00:00Z'));
    expect(nextPublicationChange(pages, at('2027-03-10T00:00:00Z'))).toBe(at('2027-04-01T11:00:00Z'));
    expect(nextPublicationChange(pages, at('2027-05-01T00:00:00Z'))).toBeNull();
  });
});

describe('drafts and scheduled pages in the site model', () => {
  const files = minimalFiles({
    'index.md': page('title: Home\ndescription: D', 'See [news](/news/).\n'),
    'draft.md': page('title: Draft\ndescription: D\ndraft: true'),
    'news.md': page('title: News\ndescription: D\npublishDate: 2027-03-01\nexpiryDate: 2027-04-01'),
    'section/index.md': page('title: Section\ndescription: D\npublishDate: 2027-03-01'),
    'section/child.md': page('title: Child\ndescription: D'),
  });

  it('leaves drafts, scheduled and expired pages out of the published site, and sections with their pages', () => {
    const before = buildSite(memoryFolder(files), { now: at('2027-02-01T00:00:00Z') });
    expect([...before.site!.pages.keys()]).toEqual(['/']);
    expect(before.sourcePages.map((s) => [s.page.source, s.state])).toEqual(
      expect.arrayContaining([
        ['draft.md', 'draft'],
        ['news.md', 'scheduled'],
        ['section/index.md', 'scheduled'],
        ['section/child.md', 'scheduled'],
      ]),
    );
    expect(before.nextChangeAt).toBe(at('2027-03-01T00:00:00Z'));

    const during = buildSite(memoryFolder(files), { now: at('2027-03-15T00:00:00Z') });
    expect([...during.site!.pages.keys()]).toEqual(['/', '/news/', '/section/', '/section/child/']);
    expect(during.site!.navigation.map((n) => n.url)).toEqual(['/', '/news/', '/section/']);
    expect(during.nextChangeAt).toBe(at('2027-03-31T23:00:00Z'));

    const after = buildSite(memoryFolder(files), { now: at('2027-05-01T00:00:00Z') });
    expect([...after.site!.pages.keys()]).toEqual(['/', '/section/', '/section/child/']);
  });

  it('warns, without failing, about a link to a page that is scheduled or expired', () => {
    const before = buildSite(memoryFolder(files), { now: at('2027-02-01T00:00:00Z') });
    expect(before.site).not.toBeNull();
    expect(before.diagnostics).toEqual([
      expect.objectContaining({
        file: 'index.md',
        severity: 'warning',
        message: expect.stringMatching(/\/news\/, which is not published yet/),
      }),
    ]);
    const after = buildSite(memoryFolder(files), { now: at('2027-05-01T00:00:00Z') });
    expect(after.diagnostics[0]!.message).toMatch(/which has expired/);
  });

  it('treats a link from a published page to a draft as a broken link, with advice', () => {
    const r = buildFromFiles(
      minimalFiles({
        'index.md': page('title: Home\ndescription: D', '[soon](/draft/)\n'),
        'draft.md': page('title: Draft\ndescription: D\ndraft: true'),
      }),
    );
    expect(r.site).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({
      file: 'index.md',
      severity: 'error',
      message: expect.stringMatching(/which is a draft: publish that page/),
    });
  });

  it('serves everything in the preview, from the same parse as the public view', () => {
    const r = buildSite(memoryFolder(files), { now: at('2027-05-01T00:00:00Z') });
    expect([...r.preview!.pages.keys()]).toEqual(['/', '/draft/', '/news/', '/section/', '/section/child/']);
    expect([...r.site!.pages.keys()]).toEqual(['/', '/section/', '/section/child/']);
    // One content version, two views: the very same Page objects.
    expect(r.preview!.pages.get('/')).toBe(r.site!.pages.get('/'));
    expect(r.preview!.settings).toBe(r.site!.settings);
  });

  it('rejects an expiry date that is not after the publish date, at its line', () => {
    const r = buildFromFiles(
      minimalFiles({ 'x.md': page('title: X\ndescription: D\npublishDate: 2027-03-01 10:00\nexpiryDate: 2027-03-01') }),
    );
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: 'x.md',
        line: 5,
        message: expect.stringMatching(/"expiryDate" must be later than "publishDate"/),
      }),
    ]);
  });

  it('rejects a schedule value that is not a date and time', () => {
    const r = buildFromFiles(minimalFiles({ 'x.md': page('title: X\ndescription: D\npublishDate: tomorrow') }));
    expect(r.diagnostics[0]).toMatchObject({
      line: 4,
      message: expect.stringMatching(/"publishDate" must be a real date written YYYY-MM-DD, or a date and UK time/),
    });
  });
});
