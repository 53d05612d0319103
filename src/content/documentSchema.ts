/**
 * Front matter of a document's page, content/documents/<id>/index.md.
 * Strict like page front matter; facts about the files themselves (type,
 * size, pages, checksum) are computed from the bytes, so there is no key
 * for them.
 */
import { z } from 'zod';
import { FILE_TYPES } from './fileInfo.js';
import { isoDate, text, type PageFrontMatter } from './schema.js';

const KNOWN_EXTENSIONS = Object.keys(FILE_TYPES).map((k) => `.${k}`);

/**
 * A file name in the document's folder. Names become URLs and
 * Content-Disposition values, so anything that could mean a path, a
 * hidden file or need escaping is refused.
 */
export const documentFileName = z
  .string({ error: 'must be the name of a file in the document\'s folder' })
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .refine((s) => !/[/\\]/.test(s), 'must be a file name without "/" or "\\": the file must sit in the document\'s own folder')
  .refine((s) => !s.startsWith('.') && !s.includes('..'), 'must not start with "." or contain ".."')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f%?#"*:<>|]/.test(s) && s.trim() === s, 'must not contain control characters, %, ?, #, ", *, :, <, >, | or start or end with a space')
  .refine(
    (s) => KNOWN_EXTENSIONS.some((ext) => s.toLowerCase().endsWith(ext)),
    `must end with one of ${KNOWN_EXTENSIONS.join(', ')}: the library offers only these file types`,
  );

export const documentFileSchema = z.strictObject({
  file: documentFileName.describe('A file in the document\'s folder: .csv, .pdf, .ods or .xlsx.'),
  /** Name of the file in its download link; the document title when absent. */
  title: text(120).optional().describe('Names the file in its link, "Download … (PDF, 19 KB)"; the document\'s title when left out.'),
  /** This PDF is made from the page's own text by `npm run build:pdfs`; a test keeps the two in step. */
  generatedFromPage: z.boolean({ error: 'must be true or false' }).optional().describe('PDFs only: `true` when `npm run build:pdfs` makes the file from this page\'s text.'),
}).refine((f) => !f.generatedFromPage || f.file.toLowerCase().endsWith('.pdf'), {
  path: ['generatedFromPage'],
  message: 'can only be true for a .pdf file: only PDFs are made from the page text',
});

export const changeNoteSchema = z.strictObject({
  date: isoDate.describe('When the change was made, YYYY-MM-DD.'),
  note: text(300).describe('What changed, in a sentence.'),
});

export const documentFrontMatterSchema = z
  .strictObject({
    title: text(120).describe('The document\'s name, as the page heading and in the documents list.'),
    description: text(300).describe('One sentence for search engines and link previews.'),
    summary: text(600).describe('One or two sentences shown under the title and in the documents list. A sample must say so here.'),
    category: text(60).describe('The group the documents list puts it in, for example "Reports".'),
    published: isoDate.describe('When this page (and its files) first went on this site, YYYY-MM-DD. Shown with the words of `labels.documents.published`.'),
    updated: isoDate.optional().describe('When this page or its files last changed significantly; not before `published`.'),
    originalDate: text(80)
      .optional()
      .meta({
        valueKind: 'text (in words)',
        description:
          'When the original document was published, or the time it covers: "2011", "2008 to March 2011", "not known". Shown with the words of `labels.documents.originalDate` on the page and in the documents list, apart from this page\'s own dates. Leave it out for a document first published here.',
      }),
    sample: z.boolean({ error: 'must be true or false' }).optional().describe('`true` when the document stands in for a real one. `npm run check -- --launch` then makes sure its summary, file names and data say so.'),
    changeNotes: z.array(changeNoteSchema, { error: 'must be a list of { date, note } entries' }).max(100).optional().describe('Significant changes, each a `date` and a `note`, shown newest first under "Updates to this page".'),
    files: z.array(documentFileSchema, { error: 'must be a list of files, each written "- file: name.pdf"' }).min(1, 'must list at least one file').max(20).describe('The files visitors can download, each a `file` with an optional `title` and `generatedFromPage`.'),
  })
  .superRefine((fm, ctx) => {
    if (fm.updated && fm.updated < fm.published) {
      ctx.addIssue({ code: 'custom', path: ['updated'], message: 'is before "published": a document cannot be updated before it is published' });
    }
    fm.changeNotes?.forEach((note, i) => {
      if (note.date < fm.published || (fm.updated && note.date > fm.updated)) {
        ctx.addIssue({ code: 'custom', path: ['changeNotes', i, 'date'], message: 'must fall between "published" and "updated": change the date or the "updated" date' });
      }
    });
    const seen = new Set<string>();
    fm.files.forEach((f, i) => {
      if (seen.has(f.file)) ctx.addIssue({ code: 'custom', path: ['files', i, 'file'], message: 'lists the same file twice: keep only one entry' });
      seen.add(f.file);
    });
  });

export type DocumentFrontMatter = z.infer<typeof documentFrontMatterSchema>;

/** The page a document gets is an ordinary page: these are the keys it shares with one. */
export function documentPageFrontMatter(fm: DocumentFrontMatter): PageFrontMatter {
  return { title: fm.title, description: fm.description, published: fm.published, ...(fm.updated ? { updated: fm.updated } : {}) };
}
