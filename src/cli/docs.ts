#!/usr/bin/env node
/** `npm run docs`: regenerates the README's front matter reference from the schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadme } from '../content/schemaReference.js';
import { README_FILE } from '../paths.js';

const before = readFileSync(README_FILE, 'utf8');
const after = updateReadme(before);
if (after !== before) writeFileSync(README_FILE, after);
process.stdout.write(after === before ? 'README.md is up to date.\n' : 'README.md front matter reference updated.\n');
