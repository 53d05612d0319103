/**
 * What to tell someone who lists a file the documents library does not
 * offer: what kind of file it is, why the library leaves it out, and what to
 * publish instead. The accepted types themselves come from FILE_TYPES.
 */

interface RefusedType {
  /** "a Word document" */
  what: string;
  /** Why it is not offered, and what to publish instead. */
  advice: string;
}

const WORD_PROCESSOR: RefusedType = {
  what: 'a word-processor document',
  advice:
    'such files open only in a program like Word, on the visitor’s own computer, and often keep tracked changes ' +
    'and comments that were never meant to be published. Save it as a PDF (in Word: File, Save As, PDF) or, ' +
    'better, put its text on the page itself',
};

const PRESENTATION: RefusedType = {
  what: 'a presentation',
  advice:
    'such files open only in a program like PowerPoint and often keep speaker notes that were never meant to be ' +
    'published. Save it as a PDF (in PowerPoint: File, Save As, PDF)',
};

const REFUSED: Readonly<Record<string, RefusedType>> = {
  doc: { ...WORD_PROCESSOR, what: 'a Word document' },
  docx: { ...WORD_PROCESSOR, what: 'a Word document' },
  docm: { ...WORD_PROCESSOR, what: 'a Word document with macros' },
  odt: WORD_PROCESSOR,
  rtf: WORD_PROCESSOR,
  pages: WORD_PROCESSOR,
  ppt: { ...PRESENTATION, what: 'a PowerPoint presentation' },
  pptx: { ...PRESENTATION, what: 'a PowerPoint presentation' },
  odp: PRESENTATION,
  xls: {
    what: 'an Excel 97-2003 workbook',
    advice: 'the old format can carry macros. Save it as .xlsx (Excel Workbook) or as CSV UTF-8',
  },
  xlsm: {
    what: 'an Excel workbook with macros',
    advice: 'macros run on visitors’ computers. Save it as .xlsx (Excel Workbook) or as CSV UTF-8',
  },
  zip: { what: 'a zip archive', advice: 'visitors cannot see what is inside before they open it. List each file' },
  txt: { what: 'a text file', advice: 'put its text on the page itself' },
};

/**
 * The message for a file name whose type the library does not offer; `accepted` lists the extensions it does,
 * e.g. [".csv", ".pdf"].
 */
export function refusedFileMessage(name: string, accepted: readonly string[]): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const list = `${accepted.slice(0, -1).join(', ')} or ${accepted[accepted.length - 1]}`;
  const offered = `The documents library offers ${list} files only`;
  const known = ext ? REFUSED[ext] : undefined;
  if (known) return `"${name}" is ${known.what}, which is not accepted: ${known.advice}. ${offered}.`;
  if (!ext)
    return `"${name}" has no file type at the end of its name: ${offered.toLowerCase()}, named like "report.pdf".`;
  return `"${name}" is a .${ext} file, which is not accepted. ${offered}.`;
}
