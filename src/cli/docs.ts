#!/usr/bin/env node
/** `npm run docs`: regenerates the README's front matter reference from the schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { updateReadme } from '../content/schemaReference.js';
import { PROJECT_ROOT } from '../render/templates.js';

const file = path.join(PROJECT_ROOT, 'README.md');
const before = readFileSync(file, 'utf8');
const after = updateReadme(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after === before ? 'README.md is up to date.\n' : 'README.md front matter reference updated.\n');
