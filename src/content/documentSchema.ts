/**
 * Front matter of a document's page, content/documents/<id>/index.md.
 * Strict like page front matter; facts about the files themselves (type,
 * size, pages, checksum) are computed from the bytes, so there is no key
 * for them.
 */
import { z } from 'zod';
import { FILE_TYPES } from './fileInfo.js';
import { BIDI_CONTROLS } from './printable.js';
import { refusedFileMessage } from './refusedFileTypes.js';
import {
  DIRECTION_CONTROL_MESSAGE,
  FORMER_ADDRESSES_META,
  formerAddresses,
  isoDate,
  text,
  type PageFrontMatter,
} from './schema.js';

const KNOWN_EXTENSIONS = Object.keys(FILE_TYPES).map((k) => `.${k}`);

/**
 * A file name in the document's folder: lowercase letters, digits and
 * hyphens, and one extension. Names become URLs, file names on static hosts
 * and Content-Disposition values: a name that needs percent-encoding (a
 * space, an accent) is exported under a name nginx does not find, and one
 * with a capital extension misses the download headers. A refused name gets
 * the name to use instead.
 */
const FILE_NAME = new RegExp(`^[a-z0-9]+(?:-[a-z0-9]+)*\\.(?:${Object.keys(FILE_TYPES).join('|')})$`);

export const documentFileName = z
  .string({ error: "must be the name of a file in the document's folder" })
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .refine((s) => !BIDI_CONTROLS.test(s), { message: DIRECTION_CONTROL_MESSAGE, abort: true })
  .superRefine((s, ctx) => {
    if (KNOWN_EXTENSIONS.some((ext) => s.toLowerCase().endsWith(ext))) return;
    ctx.addIssue({
      code: 'custom',
      message: refusedFileMessage(s, KNOWN_EXTENSIONS),
      params: { standalone: true },
      continue: false,
    });
  })
  .superRefine((s, ctx) => {
    if (FILE_NAME.test(s)) return;
    ctx.addIssue({
      code: 'custom',
      message:
        `must use lowercase letters, digits and hyphens, with one extension: ` +
        `rename the file and this entry, for example to "${suggestFileName(s)}"`,
    });
  });

/** "Données 2024 (final).CSV" → "donnees-2024-final.csv". */
export function suggestFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = name.slice(dot + 1).toLowerCase();
  const base = name
    .slice(0, dot)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'file'}.${ext}`;
}

export const documentFileSchema = z
  .strictObject({
    file: documentFileName.describe("A file in the document's folder: .csv, .pdf, .ods or .xlsx."),
    /** Name of the file in its download link; the document title when absent. */
    title: text(120)
      .optional()
      .describe('Names the file in its link, "Download … (PDF, 19 KB)"; the document\'s title when left out.'),
    /** This PDF is made from the page's own text by `npm run build:pdfs`; a test keeps the two in step. */
    generatedFromPage: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .describe("PDFs only: `true` when `npm run build:pdfs` makes the file from this page's text."),
  })
  .refine((f) => !f.generatedFromPage || f.file.toLowerCase().endsWith('.pdf'), {
    path: ['generatedFromPage'],
    message: 'can only be true for a .pdf file: only PDFs are made from the page text',
  });

export const changeNoteSchema = z.strictObject({
  date: isoDate.describe('When the change was made, YYYY-MM-DD.'),
  note: text(300).describe('What changed, in a sentence.'),
});

export const documentFrontMatterSchema = z
  .strictObject({
    title: text(120).describe("The document's name, as the page heading and in the documents list."),
    description: text(300).describe('One sentence for search engines and link previews.'),
    summary: text(600).describe(
      'One or two sentences shown under the title and in the documents list. A sample must say so here.',
    ),
    category: text(60).describe('The group the documents list puts it in, for example "Reports".'),
    published: isoDate.describe(
      'When this page (and its files) first went on this site, YYYY-MM-DD. ' +
        'Shown with the words of `labels.documents.published`.',
    ),
    updated: isoDate
      .optional()
      .describe('When this page or its files last changed significantly; not before `published`.'),
    originalDate: text(80)
      .optional()
      .meta({
        valueKind: 'text (in words)',
        description:
          'When the original document was published, or the time it covers: ' +
          '"2011", "2008 to March 2011", "not known". Shown with the words of ' +
          '`labels.documents.originalDate` on the page and in the documents list, ' +
          "apart from this page's own dates. Leave it out for a document first " +
          'published here.',
      }),
    sample: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .describe(
        '`true` when the document stands in for a real one. `npm run check -- ' +
          '--launch` then makes sure its summary, file names and data say so.',
      ),
    changeNotes: z
      .array(changeNoteSchema, { error: 'must be a list of { date, note } entries' })
      .max(100)
      .optional()
      .describe('Significant changes, each a `date` and a `note`, shown newest first under "Updates to this page".'),
    draft: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({
        description:
          '`true` keeps the document off the published site: it is shown only in the preview (`npm run dev`), ' +
          'and may list no files yet. Delete the line to publish it.',
        formLabel: 'Draft: visitors cannot see this document',
        formHint: 'Untick to publish the document when you save. A published document needs at least one file.',
      }),
    files: z
      .array(documentFileSchema, { error: 'must be a list of files, each written "- file: name.pdf"' })
      .max(20)
      .describe('The files visitors can download, each a `file` with an optional `title` and `generatedFromPage`.'),
    formerAddresses: formerAddresses.optional().meta(FORMER_ADDRESSES_META),
  })
  .superRefine((fm, ctx) => {
    // A draft may wait for its files; a published document is its files.
    if (fm.files.length === 0 && !fm.draft) {
      ctx.addIssue({
        code: 'custom',
        path: ['files'],
        message:
          "must list at least one file: put the files in the document's folder and list each one, " +
          '"  - file: name.pdf" (or keep the document a draft with "draft: true" until they are ready)',
      });
    }
    if (fm.updated && fm.updated < fm.published) {
      ctx.addIssue({
        code: 'custom',
        path: ['updated'],
        message: 'is before "published": a document cannot be updated before it is published',
      });
    }
    fm.changeNotes?.forEach((note, i) => {
      if (note.date < fm.published || (fm.updated && note.date > fm.updated)) {
        ctx.addIssue({
          code: 'custom',
          path: ['changeNotes', i, 'date'],
          message: 'must fall between "published" and "updated": change the date or the "updated" date',
        });
      }
    });
    const seen = new Set<string>();
    fm.files.forEach((f, i) => {
      if (seen.has(f.file))
        ctx.addIssue({
          code: 'custom',
          path: ['files', i, 'file'],
          message: 'lists the same file twice: keep only one entry',
        });
      seen.add(f.file);
    });
  });

export type DocumentFrontMatter = z.infer<typeof documentFrontMatterSchema>;

/** The page a document gets is an ordinary page: these are the keys it shares with one. */
export function documentPageFrontMatter(fm: DocumentFrontMatter): PageFrontMatter {
  return {
    title: fm.title,
    description: fm.description,
    published: fm.published,
    ...(fm.updated ? { updated: fm.updated } : {}),
    ...(fm.draft ? { draft: true } : {}),
    ...(fm.formerAddresses ? { formerAddresses: fm.formerAddresses } : {}),
  };
}
