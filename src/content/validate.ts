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
  for (const issue of result.error.issues) {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
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
