/**
 * Changes to a page's front matter made by tools (a move, an upload) rather
 * than typed: the YAML is edited as a document, so its comments, key order
 * and quoting survive, and everything below it is left exactly as it was.
 */
import { isMap, parseDocument, type Document } from 'yaml';

/**
 * The file's text after `edit` changed its front matter; null when the front
 * matter cannot be read as a map, or `edit` returns false (nothing to change).
 */
export function editFrontMatter(text: string, edit: (doc: Document) => boolean): string | null {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalised.startsWith('---\n')) return null;
  const close = normalised.indexOf('\n---', 3);
  if (close === -1) return null;
  const doc = parseDocument(normalised.slice(4, close + 1), { schema: 'core' });
  if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents))) return null;
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (!edit(doc)) return null;
  return `---\n${doc.toString({ lineWidth: 0, minContentWidth: 0 })}${normalised.slice(close + 1)}`;
}

/** A whole YAML file (site.yml) after `edit`; null when it cannot be read or nothing changed. */
export function editYamlFile(text: string, edit: (doc: Document) => boolean): string | null {
  const doc = parseDocument(text, { schema: 'core' });
  if (doc.errors.length > 0 || !edit(doc)) return null;
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}
