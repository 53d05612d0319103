import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontMatterReference, placeholderReference, updateReadme } from '../../src/content/schemaReference.js';
import { PLACEHOLDER_NAMES } from '../../src/content/placeholders.js';
import { documentFrontMatterSchema } from '../../src/content/documentSchema.js';
import { pageFrontMatterSchema } from '../../src/content/schema.js';
import { PROJECT_ROOT } from '../../src/paths.js';

describe('README front matter reference', () => {
  it('is up to date with the schema (run `npm run docs` if this fails)', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(updateReadme(readme)).toBe(readme);
  });

  it('documents every key of the schema with a description', () => {
    const table = frontMatterReference();
    for (const key of Object.keys(pageFrontMatterSchema.shape)) {
      expect(table).toMatch(new RegExp(`\\| \`${key}\` \\|[^\\n]*\\| [A-Z\`][^|]+ \\|`));
    }
  });

  it("documents every key of a document's front matter, with the keys of each file and change note", () => {
    const table = frontMatterReference(documentFrontMatterSchema);
    const keys = [
      ...Object.keys(documentFrontMatterSchema.shape),
      'files[].file',
      'files[].title',
      'files[].generatedFromPage',
      'changeNotes[].date',
      'changeNotes[].note',
    ];
    for (const key of keys) {
      expect(table).toMatch(new RegExp(`\\| \`${key.replace(/[[\]]/g, '\\$&')}\` \\|[^\\n]*\\| [A-Z\`][^|]+ \\|`));
    }
    expect(table).toContain('| `originalDate` | text (in words) | no |');
  });

  it('documents every placeholder page text may use, {{sectionPages}} included', () => {
    const table = placeholderReference();
    for (const name of [...PLACEHOLDER_NAMES, 'sectionPages'])
      expect(table).toMatch(new RegExp(`\\| \`\\{\\{${name}\\}\\}\` \\| [A-Z]`));
  });
});
