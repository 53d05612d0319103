/**
 * The fields of a page's form, generated from the front matter schema (the
 * same zod schema that validates pages and writes the README's reference):
 * a field for every key, with a plain label made from the key, the hint from
 * the schema's description (or its `formHint`), and a kind that chooses the
 * NHS.UK component. A key added to the schema appears in the form by itself.
 */
import { z } from 'zod';
import { documentFrontMatterSchema } from '../../content/documentSchema.js';
import { documentIdForSource } from '../../content/documents.js';
import { isoDate, pageFrontMatterSchema } from '../../content/schema.js';
import { unwrap } from '../../content/schemaReference.js';

export type FieldKind =
  'text' | 'longText' | 'integer' | 'boolean' | 'date' | 'schedule' | 'list' | 'group' | 'objectList';

export interface FieldSpec {
  /** Key path in the front matter, e.g. ['navigation', 'order']. */
  path: string[];
  /** Form control name and element id stem, e.g. "fm-navigation-order". */
  id: string;
  label: string;
  hint: string;
  kind: FieldKind;
  required: boolean;
  /** A group's fields, or the fields of each item of a list of groups. */
  children: FieldSpec[];
}

/** The schema a content file's front matter follows: a document's own, or a page's. */
export function schemaFor(file: string): z.ZodObject {
  return documentIdForSource(file) !== null
    ? (documentFrontMatterSchema as unknown as z.ZodObject)
    : pageFrontMatterSchema;
}

export function fieldsFor(file: string): FieldSpec[] {
  return fieldsOf(schemaFor(file), []);
}

function fieldsOf(schema: z.ZodObject, prefix: string[]): FieldSpec[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
    const { inner, optional } = unwrap(field);
    const path = [...prefix, key];
    const meta = { ...(inner.meta() ?? {}), ...(field.meta() ?? {}) } as Record<string, unknown>;
    const description = (field.description ?? inner.description ?? '') as string;
    const kind = kindOf(inner, meta);
    const children =
      kind === 'group'
        ? fieldsOf(inner as z.ZodObject, path)
        : kind === 'objectList'
          ? fieldsOf(unwrap((inner as z.ZodArray<z.ZodType>).element).inner as z.ZodObject, [])
          : [];
    return {
      path,
      id: `fm-${path.join('-')}`,
      label: typeof meta.formLabel === 'string' ? meta.formLabel : labelFor(key),
      hint: typeof meta.formHint === 'string' ? meta.formHint : plainHint(description),
      kind,
      required: !optional,
      children,
    };
  });
}

function kindOf(schema: z.ZodType, meta: Record<string, unknown>): FieldKind {
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodNumber) return 'integer';
  if (schema instanceof z.ZodObject) return 'group';
  if (schema instanceof z.ZodArray)
    return unwrap(schema.element as z.ZodType).inner instanceof z.ZodObject ? 'objectList' : 'list';
  if (typeof meta.valueKind === 'string' && meta.valueKind.includes('time')) return 'schedule';
  if (schema === isoDate) return 'date';
  const max = (schema as z.ZodString).maxLength;
  return typeof max === 'number' && max > 150 ? 'longText' : 'text';
}

/** "nextReviewDue" -> "Next review due". */
export function labelFor(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The schema's descriptions are written for the README: drop its code marks. */
function plainHint(description: string): string {
  // Dates are typed as day, month and year in the form, not as YYYY-MM-DD.
  return description.replace(/`([^`]*)`/g, '"$1"').replace(/,? written YYYY-MM-DD/g, '');
}

/** Every field, groups flattened, each with its path: for finding a field by a diagnostic's key. */
export function flattenFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.flatMap((f) => (f.kind === 'group' ? [f, ...flattenFields(f.children)] : [f]));
}
