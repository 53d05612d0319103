/** Runs a zod schema over parsed YAML and reports problems at the right line. */
import { z } from 'zod';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { closestMatch } from './suggest.js';
import type { ParsedYaml } from './yaml.js';

export function validateYaml<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
  file: string,
): { ok: true; value: z.infer<S> } | { ok: false; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(parsed.data);
  if (result.success) return { ok: true, value: result.data };
  const diagnostics: Diagnostic[] = [];
  // A misspelt required key ("tittle") is one mistake: the did-you-mean says it all, without "title is required".
  const meant = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeys(schema, issue.path);
    for (const key of issue.keys) {
      const suggestion = closestMatch(key, known);
      if (suggestion) meant.add([...issue.path.map(String), suggestion].join('.'));
    }
  }
  // "navigation:" with its settings below it not indented: an empty group and unknown keys, one mistake.
  const unindented = new Map<string, string[]>();
  const movedKeys = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.code !== 'invalid_type' || valueAt(parsed.data, issue.path) !== null) continue;
    const parent = issue.path.slice(0, -1);
    const belong = new Set([...knownKeys(schema, issue.path), ...knownKeys(schema, [...issue.path, 0])]);
    const strays = result.error.issues
      .filter((i) => i.code === 'unrecognized_keys' && samePath(i.path, parent))
      .flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []))
      .filter((k) => belong.has(k));
    if (strays.length === 0) continue;
    unindented.set(issue.path.map(String).join('.'), strays);
    for (const key of strays) movedKeys.add([...parent.map(String), key].join('.'));
  }
  for (const issue of result.error.issues) {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'invalid_type' && meant.has(where) && valueAt(parsed.data, issue.path) === undefined) continue;
    const strays = unindented.get(where);
    if (strays) {
      diagnostics.push(
        diagnostic(
          file,
          unindentedMessage(issue.path, strays, parsed.data, schema),
          parsed.positions.at(issue.path, 'key'),
        ),
      );
      continue;
    }
    if (issue.code === 'custom' && (issue.params as { standalone?: boolean } | undefined)?.standalone) {
      // A message that names what is wrong in its own words (a file, say) rather than by its key.
      diagnostics.push(diagnostic(file, issue.message, parsed.positions.at(issue.path)));
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        if (movedKeys.has([...issue.path.map(String), key].join('.'))) continue;
        const suggestion = closestMatch(key, known);
        const hint = suggestion
          ? ` Did you mean "${suggestion}"?`
          : known.length > 0
            ? ` Known keys here: ${known.join(', ')}.`
            : '';
        diagnostics.push(
          diagnostic(
            file,
            `unknown key "${[...issue.path.map(String), key].join('.')}".${hint}`,
            parsed.positions.at([...issue.path, key], 'key'),
          ),
        );
      }
      continue;
    }
    const subject = where === '' ? 'the front matter' : `"${where}"`;
    const message =
      issue.code === 'invalid_type' && where === '' ? 'must be a list of "key: value" settings' : issue.message;
    diagnostics.push(diagnostic(file, `${subject} ${message}`, parsed.positions.at(issue.path)));
  }
  return { ok: false, diagnostics };
}

function unindentedMessage(
  path: readonly PropertyKey[],
  strays: readonly string[],
  data: unknown,
  schema: z.ZodType,
): string {
  const key = String(path[path.length - 1]);
  const parent = path.slice(0, -1);
  const first = strays[0]!;
  const value = valueAt(data, [...parent, first]);
  const shown = `${first}: ${typeof value === 'object' || value === null ? '…' : String(value)}`;
  return knownKeys(schema, path).length > 0
    ? `the settings under "${key}:" must be indented below it, each with two spaces: write "  ${shown}"`
    : `the list under "${key}:" must be indented below it: write each item with two spaces, then a dash and ` +
        `a space, "  - ${shown}"`;
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((segment, i) => String(segment) === String(b[i]));
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** The keys a strict object schema allows at a path, for suggestions. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}
