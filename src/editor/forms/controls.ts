/**
 * The form's controls as the NHS.UK macros take them: one entry per field,
 * with its value, hint and error message. Built here rather than in the
 * template so that the mapping from schema to component is one function.
 */
import type { FieldSpec } from './fields.js';
import type { FormValues } from './pageForm.js';

export type Control =
  | { component: 'input' | 'textarea' | 'checkboxes' | 'dateInput'; params: Record<string, unknown> }
  | { component: 'group'; legend: string; hint: string; hintId: string; errors: string[]; children: Control[] };

const LIST_HINT = 'Leave every box of an item empty to remove it; fill in the last, empty item to add one.';

export function buildControls(
  fields: readonly FieldSpec[],
  values: FormValues,
  errors: Record<string, string[]>,
  rows: Record<string, number>,
): Control[] {
  return fields.map((field) => control(field, field.id, field.label, values, errors, rows));
}

function control(
  field: FieldSpec,
  id: string,
  label: string,
  values: FormValues,
  errors: Record<string, string[]>,
  rows: Record<string, number>,
): Control {
  const errorMessage = errors[field.id]?.length ? { text: errors[field.id]!.join('. ') } : undefined;
  const hint = field.hint ? { text: field.hint } : undefined;
  const labelText = field.required ? label : `${label} (optional)`;
  switch (field.kind) {
    case 'group':
      return {
        component: 'group',
        legend: labelText,
        hint: field.hint,
        hintId: `${id}-hint`,
        errors: [],
        children: field.children.map((child) =>
          control(child, `${id}-${child.path[child.path.length - 1]}`, child.label, values, errors, rows),
        ),
      };
    case 'objectList': {
      const count = rows[id] ?? 1;
      return {
        component: 'group',
        legend: labelText,
        hint: `${field.hint}${field.hint ? ' ' : ''}${LIST_HINT}`,
        hintId: `${id}-hint`,
        errors: errors[field.id] ?? [],
        children: Array.from({ length: count }, (_, i) => ({
          component: 'group' as const,
          legend: i === count - 1 ? `New item` : `Item ${i + 1}`,
          hint: '',
          hintId: `${id}-${i}-hint`,
          errors: [],
          children: field.children.map((child) =>
            control(child, `${id}-${i}-${child.path[child.path.length - 1]}`, child.label, values, errors, rows),
          ),
        })),
      };
    }
    case 'boolean':
      return {
        component: 'checkboxes',
        params: {
          idPrefix: id,
          name: id,
          ...(errorMessage ? { errorMessage } : {}),
          items: [{ value: 'true', text: label, checked: values[id] === 'true', ...(hint ? { hint } : {}) }],
        },
      };
    case 'date':
    case 'schedule': {
      const part = (name: string, text: string, width: number, extra: Record<string, unknown> = {}) => ({
        id: `${id}-${name}`,
        name: `${id}-${name}`,
        label: text,
        value: values[`${id}-${name}`] ?? '',
        width,
        ...(errorMessage ? { classes: 'nhsuk-input--error' } : {}),
        ...extra,
      });
      const items = [part('day', 'Day', 2), part('month', 'Month', 2), part('year', 'Year', 4)];
      if (field.kind === 'schedule') items.push(part('time', 'Time', 4, { inputmode: 'text' }));
      return {
        component: 'dateInput',
        params: {
          id,
          fieldset: { legend: { text: labelText, size: 's' } },
          hint: {
            text:
              field.kind === 'schedule'
                ? `${field.hint} For example, 27 3 2027 and, if you need one, a time such as 09:30.`
                : `${field.hint}${field.hint ? ' ' : ''}For example, 27 3 2026.`,
          },
          ...(errorMessage ? { errorMessage } : {}),
          items,
        },
      };
    }
    case 'longText':
    case 'list':
      return {
        component: 'textarea',
        params: {
          id,
          name: id,
          rows: field.kind === 'list' ? 3 : 3,
          label: { text: labelText, size: 's' },
          value: values[id] ?? '',
          ...(hint ? { hint } : {}),
          ...(errorMessage ? { errorMessage } : {}),
        },
      };
    case 'integer':
      return {
        component: 'input',
        params: {
          id,
          name: id,
          label: { text: labelText, size: 's' },
          value: values[id] ?? '',
          inputmode: 'numeric',
          classes: 'nhsuk-input--width-5',
          spellcheck: false,
          ...(hint ? { hint } : {}),
          ...(errorMessage ? { errorMessage } : {}),
        },
      };
    default:
      return {
        component: 'input',
        params: {
          id,
          name: id,
          label: { text: labelText, size: 's' },
          value: values[id] ?? '',
          spellcheck: true,
          ...(hint ? { hint } : {}),
          ...(errorMessage ? { errorMessage } : {}),
        },
      };
  }
}
