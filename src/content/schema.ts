/**
 * What staff may write in front matter and in the site settings file.
 * Every object is strict, so a misspelt key is an error rather than a
 * setting that silently does nothing.
 */
import { z } from 'zod';
import { formatLongDate, isoDateProblem, suggestIsoDate } from './dates.js';
import { BIDI_CONTROLS } from './printable.js';
import { isScheduleValue, scheduleInstant } from './publication.js';

/** A web-address segment or id: lowercase letters and digits, words joined by single hyphens. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const DIRECTION_CONTROL_MESSAGE =
  'must not contain right-to-left or other direction controls (such as ' +
  'U+202E): they make text show in a different order from the one it has, ' +
  'so "invoice\\u202Efdp.csv" shows as "invoicevsc.pdf"';

/** One line of text: no control characters (direction controls included), not blank. */
export const text = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters or line breaks')
    .refine((s) => !BIDI_CONTROLS.test(s), DIRECTION_CONTROL_MESSAGE);

/** A nested group of settings, e.g. `navigation:` with indented keys below it. */
const group = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (i) => (i.input === undefined ? 'is required' : 'must be a group of indented "key: value" settings'),
  });

const list = <T extends z.ZodType>(item: T) =>
  z.array(item, {
    error: (i) => (i.input === undefined ? 'is required' : 'must be a list (lines starting with "- ")'),
  });

/** One message per wrong date, the helpful one: "01/12/2026" is told to write 2026-12-01. */
export const isoDate = z
  .string({ error: 'must be a date written YYYY-MM-DD, for example 2026-11-25' })
  .superRefine((value, ctx) => {
    const problem = isoDateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const slugId = z
  .string({ error: 'must be a document id' })
  .regex(SLUG, 'must be a document id: lowercase letters, digits and hyphens');

/** A UK date, or date and time, for scheduled publishing. */
const scheduleDate = z
  .string({ error: 'must be a date written YYYY-MM-DD, or a date and time written YYYY-MM-DD HH:MM' })
  .superRefine((value, ctx) => {
    if (isScheduleValue(value)) return;
    const time = /^(.*?)(?:,? (\d{1,2}[:.]\d{2}))?$/.exec(value.trim())!;
    const date = suggestIsoDate(time[1]!);
    const clock = time[2]?.replace('.', ':').padStart(5, '0');
    ctx.addIssue({
      code: 'custom',
      message:
        date && (clock === undefined || isScheduleValue(`${date} ${clock}`))
          ? `must be written YYYY-MM-DD${clock ? ' HH:MM' : ''}: for ${formatLongDate(date)}` +
            `${clock ? ` at ${clock}` : ''}, write ${date}${clock ? ` ${clock}` : ''}`
          : 'must be a real date written YYYY-MM-DD, or a date and UK time written YYYY-MM-DD HH:MM (24-hour clock)',
    });
  });

export const navigationSchema = group({
  title: text(60).optional().describe('A shorter name for the navigation, if the title is long.'),
  order: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(-9999)
    .max(9999)
    .optional()
    .describe(
      'Position among the pages beside it: lower numbers come first. Pages without an order come last, by title.',
    ),
  hidden: z.boolean({ error: 'must be true or false' }).optional().meta({
    description: '`true` leaves the page out of the navigation; it is still published.',
    formLabel: 'Leave this page out of the navigation',
    formHint: 'The page is still published and can be linked to.',
  }),
});

/** An address of this site, as a visitor's browser asks for it: a path, without "?" or "#". */
const SITE_PATH_MESSAGE = 'must be a web address of this site starting with "/", such as /old-name/';
export const sitePath = z
  .string({ error: SITE_PATH_MESSAGE })
  .max(300, 'must be at most 300 characters')
  .regex(/^\/(?!\/)[^\s\\?#\u0000-\u001f\u007f]*$/, SITE_PATH_MESSAGE)
  .refine((s) => !s.split('/').some((part) => part === '.' || part === '..'), 'must not contain "." or ".." parts')
  .refine((s) => !BIDI_CONTROLS.test(s), DIRECTION_CONTROL_MESSAGE);

/** Where a page used to be: each old address answers with a permanent redirect (301) to the page. */
export const FORMER_ADDRESSES_META = {
  description:
    'Web addresses the page had before it moved, such as /old-name/. Each one takes visitors to the page ' +
    '(a permanent redirect), so old links and bookmarks keep working. `npm run move` adds them.',
  formLabel: 'Former web addresses',
  formHint:
    'One address a line, such as /work-streams/old-name/. Visitors and search engines asking for one are sent ' +
    'to this page. Moving the page adds its old address here.',
};
export const formerAddresses = list(sitePath).max(50);

export const pageFrontMatterSchema = z
  .strictObject({
    title: text(120).describe('The page heading, also used in the browser tab as "Title – Site name". Keep it short.'),
    description: text(300).describe('One sentence saying what the page is about, shown by search engines.'),
    navigation: navigationSchema
      .optional()
      .describe('How the page appears in the navigation: `title`, `order` and `hidden`, indented below.'),
    draft: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({
        description:
          '`true` keeps the page off the published site: it is shown only in the ' +
          'preview (`npm run dev`). Delete the line to publish the page.',
        formLabel: 'Draft: visitors cannot see this page',
        formHint: 'Untick to publish the page when you save.',
      }),
    publishDate: scheduleDate.optional().meta({
      valueKind: 'date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM)',
      description:
        'Hides the page until this date, or date and UK time. The page appears by itself then, without a restart.',
      formHint:
        'Leave empty to publish at once. Otherwise the page appears by itself at ' +
        'the start of this day, or at the time given (UK time, 24-hour clock).',
    }),
    expiryDate: scheduleDate.optional().meta({
      valueKind: 'date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM)',
      description:
        'Hides the page from this date, or date and UK time, onwards, without a ' +
        'restart. Must be later than `publishDate`.',
      formHint:
        'Leave empty to keep the page. Otherwise it disappears by itself from ' +
        'the start of this day, or from the time given (UK time).',
    }),
    published: isoDate.optional().describe('The date the page was first published, written YYYY-MM-DD.'),
    updated: isoDate.optional().describe('The date of the last significant change, written YYYY-MM-DD.'),
    lastReviewed: isoDate
      .optional()
      .describe('The date someone last checked the page is still right. Shown at the bottom of the page.'),
    nextReviewDue: isoDate
      .optional()
      .describe('The date the page should next be checked. Shown at the bottom of the page.'),
    documents: list(slugId).max(50).optional().meta({
      description: 'Documents to show as attachments on this page, by their folder name under documents/.',
      formHint:
        'One document id a line: the name of its folder under documents/, for example final-achievement-report.',
    }),
    formerAddresses: formerAddresses.optional().meta(FORMER_ADDRESSES_META),
  })
  .superRefine((fm, ctx) => {
    if (
      fm.publishDate &&
      fm.expiryDate &&
      isScheduleValue(fm.publishDate) &&
      isScheduleValue(fm.expiryDate) &&
      scheduleInstant(fm.expiryDate) <= scheduleInstant(fm.publishDate)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiryDate'],
        message: 'must be later than "publishDate": the page would never be shown',
      });
    }
  });

export type PageFrontMatter = z.infer<typeof pageFrontMatterSchema>;

/** Where a site link may point: a path on this site, https, or mailto. */
const href = z
  .string({ error: 'must be a link' })
  .refine(
    (s) => /^\/(?!\/)[^\s\\]*$/.test(s) || /^https:\/\/[^\s\\]+$/.test(s) || /^mailto:[^\s@]+@[^\s@]+$/.test(s),
    'must be a path on this site starting with "/", an https:// address, or mailto:',
  );

const linkSchema = group({ text: text(80), href });

/** Words with {placeholders}, checked so a label cannot lose the value it must show. */
const template = (max: number, placeholders: readonly string[]) =>
  text(max).refine(
    (s) => placeholders.every((p) => s.includes(`{${p}}`)),
    `must contain ${placeholders.map((p) => `{${p}}`).join(' and ')}, where the value goes`,
  );

/** Words of the documents library: attachments, dates, tables and file types. */
export const documentLabelsSchema = group({
  published: text(60),
  lastUpdated: text(60),
  seeAllUpdates: text(60),
  changeNotes: text(60),
  files: text(60),
  relatedDocuments: text(60),
  download: template(120, ['title', 'format', 'size']),
  pageCount: template(60, ['count']),
  onePage: text(60),
  bytes: template(60, ['count']),
  checksum: text(60),
  assistiveTechnology: text(200),
  requestAccessibleFormat: text(60),
  accessibleFormatHelp: template(400, ['email']),
  tableCaption: template(120, ['file']),
  tableTruncated: template(200, ['shown', 'total']),
  formulaWarning: text(300),
  /** Optional for sites whose documents give no original date; required once one does. */
  originalDate: template(120, ['date']).optional(),
  fileTypes: group({ csv: text(60), pdf: text(60), ods: text(60), xlsx: text(60) }),
});

/** Words of the site's search, its A to Z list and its feed of updates. */
export const searchLabelsSchema = group({
  title: text(60),
  inputLabel: text(80),
  button: text(30),
  resultCount: template(120, ['count', 'query']),
  oneResult: template(120, ['query']),
  noResults: template(120, ['query']),
  noResultsHelp: text(300),
  tooLong: template(120, ['max']),
  tooManyWords: template(120, ['max']),
  errorSummaryTitle: text(60),
  errorPrefix: text(30),
  resultsTitle: text(60),
  resultsPageTitle: template(80, ['page', 'pages']),
  paginationLabel: text(60),
  previousPage: text(30),
  nextPage: text(30),
  pageNumber: template(30, ['page']),
  documentTag: text(30),
  preparing: text(200),
  needsJavaScript: text(300),
  unavailable: text(300),
  browseAtoZ: text(80),
});

export const atoZLabelsSchema = group({
  title: text(60),
  description: text(300),
  lettersLabel: text(60),
  otherCharacters: text(30),
  backToTop: text(60),
});

export const feedLabelsSchema = group({
  title: text(60),
});

export const labelsSchema = group({
  skipLink: text(60),
  breadcrumb: text(60),
  backLink: text(60),
  home: text(60),
  siteNavigation: text(60),
  headerNavigation: text(60),
  headerMore: text(60),
  contents: text(60),
  pageLastReviewed: text(60),
  nextReviewDue: text(60),
  logoAlt: text(60),
  homeLinkSuffix: text(60),
  supportLinks: text(60),
  documents: documentLabelsSchema,
  search: searchLabelsSchema,
  atoZ: atoZLabelsSchema,
  feed: feedLabelsSchema,
});

export const siteSettingsSchema = z.strictObject({
  name: text(60),
  language: z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a language tag such as en-GB') })
    .regex(/^[a-z]{2,3}(?:-[A-Z]{2})?$/, 'must be a language tag such as en-GB'),
  organisation: group({ name: text(80), descriptor: text(120).optional() }),
  contactEmail: z.email({ error: (i) => (i.input === undefined ? 'is required' : 'must be an email address') }),
  footerLinks: list(linkSchema).max(12),
  copyright: text(120),
  labels: labelsSchema,
  accessibilityStatement: z
    .string({ error: 'must be the web address of a page on this site, such as /accessibility/' })
    .regex(/^\/(?!\/)[^\s\\?#]*$/, 'must be the web address of a page on this site, such as /accessibility/')
    .optional(),
  redirects: list(
    group({
      from: sitePath.describe('The old address, such as /old-page/.'),
      to: sitePath.describe('The page it now leads to, such as /new-page/.'),
    }),
  )
    .max(500)
    .optional(),
  writingChecks: group({
    maxSentenceWords: z
      .union([z.literal(false), z.number().int().min(5).max(100)], {
        error: 'must be a whole number of words from 5 to 100, or false to turn the check off',
      })
      .optional(),
    plainEnglish: z.boolean({ error: 'must be true or false' }).optional(),
  }).optional(),
  /** The browser editor: an editor's change to a published page, or a new page, waits for a publisher. */
  reviewBeforePublishing: z.boolean({ error: 'must be true or false' }).optional(),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;
