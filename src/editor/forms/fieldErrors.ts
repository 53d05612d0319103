/**
 * Puts each diagnostic where a person will look for it: at its form field
 * (a front matter key, found by the key the message names or by the line it
 * points at), at a line of "Page content", or, for a problem in another
 * file that this change would cause, in the summary with that file's name.
 * The messages are the diagnostics' own, as `npm run check` prints them.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../../content/diagnostics.js';
import { flattenFields, type FieldSpec } from './fields.js';
import { bodyStartLine, splitRaw } from './pageForm.js';

export interface FieldError {
  /** The id of the control to link to from the summary. */
  href: string;
  text: string;
}

export interface PlacedErrors {
  /** Messages by field id (a date's id, not its day box's). */
  fields: Record<string, string[]>;
  /** Problems in "Page content", with the line of the text box they are on. */
  body: Array<{ line: number; message: string }>;
  /** Everything else: the whole file, or another file. */
  other: Diagnostic[];
  /** The error summary: every problem, in order, each linking to its place. */
  summary: FieldError[];
  warnings: Diagnostic[];
}

export function placeDiagnostics(
  file: string,
  fileText: string,
  fields: readonly FieldSpec[],
  diagnostics: readonly Diagnostic[],
  bodyId: string,
): PlacedErrors {
  const placed: PlacedErrors = { fields: {}, body: [], other: [], summary: [], warnings: [] };
  const flat = flattenFields(fields);
  const lines = keyLines(fileText);
  const bodyStart = bodyStartLine(fileText);
  for (const d of diagnostics) {
    if (d.severity !== 'error') {
      if (d.file === file) placed.warnings.push(d);
      continue;
    }
    if (d.file !== file) {
      placed.other.push(d);
      placed.summary.push({ href: `#${bodyId}`, text: `${d.file}, line ${d.line}: ${d.message}` });
      continue;
    }
    const field = fieldFor(d, flat, lines);
    if (field) {
      const target =
        field.kind === 'date' || field.kind === 'schedule'
          ? `${field.id}-day`
          : field.kind === 'group'
            ? (field.children[0]?.id ?? field.id)
            : field.id;
      (placed.fields[field.id] ??= []).push(d.message);
      placed.summary.push({ href: `#${target}`, text: `${field.label}: ${d.message}` });
    } else if (bodyStart !== null && d.line >= bodyStart) {
      const line = d.line - bodyStart + 1;
      placed.body.push({ line, message: d.message });
      placed.summary.push({ href: `#${bodyId}`, text: `Page content, line ${line}: ${d.message}` });
    } else {
      placed.other.push(d);
      placed.summary.push({ href: `#${bodyId}`, text: `Line ${d.line}: ${d.message}` });
    }
  }
  return placed;
}

/** The field a diagnostic is about: by the key its message quotes, else by the line it points at. */
function fieldFor(d: Diagnostic, fields: readonly FieldSpec[], lines: Map<number, string[]>): FieldSpec | null {
  const quoted = /^(?:unknown key )?"([A-Za-z0-9_.]+)"/.exec(d.message)?.[1];
  const byPath = (path: readonly string[]) => {
    for (let n = path.length; n > 0; n--) {
      const key = path
        .slice(0, n)
        .filter((p) => !/^\d+$/.test(p))
        .join('.');
      const found = fields.find((f) => f.path.join('.') === key);
      if (found) return found;
    }
    return null;
  };
  if (quoted) {
    const found = byPath(quoted.split('.'));
    if (found) return found;
  }
  const atLine = lines.get(d.line);
  return atLine ? byPath(atLine) : null;
}

/** Which key path each front matter line holds (file line numbers). */
function keyLines(fileText: string): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  const raw = splitRaw(fileText);
  if (!raw) return lines;
  const counter = new LineCounter();
  const doc = parseDocument(raw.yaml, { schema: 'core', lineCounter: counter });
  // The YAML starts on the file's second line, after the opening "---".
  const lineOf = (node: unknown) => counter.linePos((node as { range?: [number] } | null)?.range?.[0] ?? 0).line + 1;
  const walk = (node: unknown, path: string[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const keyPath = [...path, String(pair.key.value)];
        lines.set(lineOf(pair.key), keyPath);
        walk(pair.value, keyPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (!lines.has(lineOf(item))) lines.set(lineOf(item), [...path, String(i)]);
        walk(item, [...path, String(i)]);
      });
    }
  };
  walk(doc.contents, []);
  return lines;
}
