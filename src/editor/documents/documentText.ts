/**
 * The text of a document's page (content/documents/<id>/index.md) as the
 * editor writes it: a new document with its first file, and a file added to
 * or removed from its `files` list, with comments and key order kept.
 */
import { isMap, isSeq } from 'yaml';
import { editFrontMatter } from '../../content/frontMatterEdit.js';

export interface NewDocument {
  title: string;
  summary: string;
  category: string;
  /** Today, YYYY-MM-DD. */
  published: string;
  file: string;
  fileTitle?: string;
}

/** JSON strings are YAML double-quoted strings: any text is written safely. */
const quoted = (s: string) => JSON.stringify(s);

export function newDocumentText(doc: NewDocument): string {
  return [
    '---',
    `title: ${quoted(doc.title)}`,
    `description: ${quoted(doc.summary)}`,
    `summary: ${quoted(doc.summary)}`,
    `category: ${quoted(doc.category)}`,
    `published: ${doc.published}`,
    'files:',
    `  - file: ${doc.file}`,
    ...(doc.fileTitle ? [`    title: ${quoted(doc.fileTitle)}`] : []),
    '---',
    '',
  ].join('\n');
}

/** The page's text with one more file listed; null when its front matter cannot be read. */
export function addFileEntry(text: string, file: string, title?: string): string | null {
  return editFrontMatter(text, (doc) => {
    const entry = doc.createNode(title ? { file, title } : { file });
    if (isSeq(doc.get('files'))) doc.addIn(['files'], entry);
    else doc.set('files', doc.createNode([title ? { file, title } : { file }]));
    return true;
  });
}

/** The page's text without the file in its list; null when it is not listed. */
export function removeFileEntry(text: string, file: string): string | null {
  return editFrontMatter(text, (doc) => {
    const list = doc.get('files');
    if (!isSeq(list)) return false;
    const index = list.items.findIndex((item) => isMap(item) && item.get('file') === file);
    if (index === -1) return false;
    list.items.splice(index, 1);
    return true;
  });
}
