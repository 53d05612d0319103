/**
 * A page file and its form, both ways. Opening a page reads its front
 * matter into one value per form control; saving writes the values back
 * into the same YAML document, so comments and the order of keys survive,
 * and a key left empty is removed. What a person typed is written as typed:
 * a value the schema refuses ("abc" as an order, 31 February) is written
 * anyway and refused by the same validation as `npm run check`, whose
 * message is then shown at the field.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { splitFrontMatter } from '../../content/frontMatter.js';
import type { FieldSpec } from './fields.js';

/** Form values by control name. */
export type FormValues = Record<string, string>;

/** How many extra blank rows a list of groups offers, to add an item without JavaScript. */
export const BLANK_ROWS = 1;
/** The most items a list of groups holds in the form: rows past it are neither shown nor read. */
export const MAX_ROWS = 100;

export interface OpenedPage {
  values: FormValues;
  /** The Markdown below the front matter, as shown in "Page content". */
  body: string;
  /** Rows shown for each list of groups (items plus blank ones), by field id. */
  rows: Record<string, number>;
}

/** The front matter block and the body, as text; null when the file does not open with a front matter block. */
export function splitRaw(text: string): { yaml: string; body: string } | null {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalised.startsWith('---\n')) return null;
  const close = normalised.indexOf('\n---', 3);
  if (close === -1) return null;
  const lineEnd = normalised.indexOf('\n', close + 1);
  const closing = normalised.slice(close + 1, lineEnd === -1 ? undefined : lineEnd);
  if (closing.trimEnd() !== '---') return null;
  return { yaml: normalised.slice(4, close + 1), body: lineEnd === -1 ? '' : normalised.slice(lineEnd + 1) };
}

/** The form's values for a file; null when its front matter cannot be read (the whole-file editor is offered then). */
export function openPage(fields: readonly FieldSpec[], text: string): OpenedPage | null {
  const split = splitFrontMatter(text);
  const raw = splitRaw(text);
  if (!split.ok || !raw) return null;
  const data = split.value.frontMatter.data;
  const values: FormValues = {};
  const rows: Record<string, number> = {};
  const fill = (specs: readonly FieldSpec[], source: unknown, idPrefix: string) => {
    const object = isRecord(source) ? source : {};
    for (const field of specs) {
      const key = field.path[field.path.length - 1]!;
      const value = object[key];
      const id = `${idPrefix}${key}`;
      if (field.kind === 'group') fill(field.children, value, `${id}-`);
      else if (field.kind === 'objectList') {
        const items = Array.isArray(value) ? value.slice(0, MAX_ROWS) : [];
        items.forEach((item, i) => fill(field.children, item, `${id}-${i}-`));
        rows[id] = items.length + BLANK_ROWS;
      } else Object.assign(values, controlValues(field.kind, id, value));
    }
  };
  fill(fields, data, 'fm-');
  return { values, body: raw.body.replace(/^\n+/, ''), rows };
}

function controlValues(kind: FieldSpec['kind'], id: string, value: unknown): FormValues {
  if (value === undefined || value === null) return {};
  if (kind === 'boolean') return value === true ? { [id]: 'true' } : {};
  if (kind === 'list') return { [id]: Array.isArray(value) ? value.map(String).join('\n') : String(value) };
  if (kind === 'date' || kind === 'schedule') {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}:\d{2}))?$/.exec(String(value));
    if (!m) return { [`${id}-year`]: String(value) };
    return {
      [`${id}-day`]: m[3]!,
      [`${id}-month`]: m[2]!,
      [`${id}-year`]: m[1]!,
      ...(m[4] ? { [`${id}-time`]: m[4] } : {}),
    };
  }
  return { [id]: String(value) };
}

/**
 * The file a submitted form stands for: the values written into the YAML
 * of `baseText` (the file as it was opened), then the body. Line endings are
 * the browser's CRLF turned into LF.
 */
export function writePage(
  fields: readonly FieldSpec[],
  values: FormValues,
  body: string,
  baseText: string | null,
): string {
  const raw = baseText === null ? null : splitRaw(baseText);
  const doc = parseDocument(raw?.yaml ?? '', { schema: 'core', keepSourceTokens: false });
  const usable = doc.errors.length === 0 && (doc.contents === null || isMap(doc.contents));
  const target: Document = usable ? doc : parseDocument('', { schema: 'core' });
  const apply = (specs: readonly FieldSpec[], idPrefix: string, path: (string | number)[]) => {
    for (const field of specs) {
      const key = field.path[field.path.length - 1]!;
      const id = `${idPrefix}${key}`;
      const at = [...path, key];
      if (field.kind === 'group') {
        apply(field.children, `${id}-`, at);
        const group = target.getIn(at);
        if (isMap(group) && group.items.length === 0) target.deleteIn(at);
        continue;
      }
      if (field.kind === 'objectList') {
        const items: Record<string, unknown>[] = [];
        for (let i = 0; i < MAX_ROWS; i++) {
          const item: Record<string, unknown> = {};
          for (const child of field.children) {
            const childKey = child.path[child.path.length - 1]!;
            const value = typedValue(child.kind, `${id}-${i}-${childKey}`, values);
            if (value !== undefined) item[childKey] = value;
          }
          if (Object.keys(item).length > 0) items.push(item);
        }
        if (items.length === 0) removeIn(target, at);
        else if (!sameJson(target.getIn(at), items)) target.setIn(at, target.createNode(items));
        continue;
      }
      const value = typedValue(field.kind, id, values);
      if (value === undefined) removeIn(target, at);
      else if (!sameScalar(target.getIn(at), value))
        target.setIn(at, Array.isArray(value) ? target.createNode(value) : value);
    }
  };
  apply(fields, 'fm-', []);
  if (target.contents === null) target.contents = target.createNode({}) as unknown as typeof target.contents;
  const yaml = target.toString({ lineWidth: 0, minContentWidth: 0 });
  const text = normaliseNewlines(body).replace(/^\n+/, '');
  const head = `---\n${yaml === '{}\n' ? '' : yaml}---\n`;
  if (text === '') return head;
  return `${head}\n${text}${text.endsWith('\n') ? '' : '\n'}`;
}

/** The line of the file where "Page content" starts, for pointing at a body line. */
export function bodyStartLine(fileText: string): number | null {
  const raw = splitRaw(fileText);
  if (!raw) return null;
  const headLines = fileText
    .replace(/\r\n?/g, '\n')
    .slice(0, fileText.length - raw.body.length)
    .split('\n').length;
  const leadingBlank = /^\n*/.exec(raw.body)![0].length;
  return headLines + leadingBlank;
}

function typedValue(kind: FieldSpec['kind'], id: string, values: FormValues): unknown {
  const get = (name: string) => (values[name] ?? '').trim();
  switch (kind) {
    case 'boolean':
      return values[id] === 'true' ? true : undefined;
    case 'integer': {
      const v = get(id);
      return v === '' ? undefined : /^-?\d{1,15}$/.test(v) ? Number(v) : v;
    }
    case 'list': {
      const items = (values[id] ?? '')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
      return items.length ? items : undefined;
    }
    case 'date':
    case 'schedule': {
      const [day, month, year] = [get(`${id}-day`), get(`${id}-month`), get(`${id}-year`)];
      const time = kind === 'schedule' ? get(`${id}-time`) : '';
      if (!day && !month && !year && !time) return undefined;
      const numeric = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year);
      const date = numeric ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : `${year}-${month}-${day}`;
      if (!time) return date;
      const t = /^(\d{1,2})[:.](\d{2})$/.exec(time);
      return `${date} ${t ? `${t[1]!.padStart(2, '0')}:${t[2]}` : time}`;
    }
    default: {
      const raw = values[id] ?? '';
      return raw.trim() === '' ? undefined : normaliseNewlines(raw).trim();
    }
  }
}

/** Removes a key if it is there; a missing parent (no "navigation:" at all) is nothing to remove. */
function removeIn(doc: Document, path: readonly (string | number)[]): void {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1)) : doc.contents;
  if (isMap(parent) && parent.has(path[path.length - 1])) parent.delete(path[path.length - 1]);
}

/** Leaves an unchanged list as it was written (quotes, comments). */
function sameJson(node: unknown, value: unknown): boolean {
  return (isSeq(node) || isMap(node)) && JSON.stringify(node.toJSON()) === JSON.stringify(value);
}

function sameScalar(node: unknown, value: unknown): boolean {
  if (isSeq(node) || isMap(node)) return sameJson(node, value);
  const current =
    node !== null && typeof node === 'object' && 'value' in node ? (node as { value: unknown }).value : node;
  return current === value;
}

function normaliseNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
