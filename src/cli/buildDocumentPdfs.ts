#!/usr/bin/env node
/**
 * `npm run build:pdfs`: remakes every document PDF marked
 * `generatedFromPage: true` from its page's text. Run it after editing such
 * a page, then commit the PDF. Needs the development dependencies.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readContentFolder } from '../content/readContentFolder.js';
import { generatedPdfs } from '../pdf/documentPdfs.js';
import { PROJECT_ROOT } from '../render/templates.js';

async function main(): Promise<void> {
  const contentDir = path.resolve(process.env.CONTENT_DIR || path.join(PROJECT_ROOT, 'content'));
  const folder = await readContentFolder(contentDir);
  for (const pdf of generatedPdfs(folder)) {
    const bytes = await pdf.render();
    const target = path.join(contentDir, ...pdf.path.split('/'));
    // Write beside, then rename: a running server never sees half a file.
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
    await writeFile(temporary, bytes);
    await rename(temporary, target);
    process.stdout.write(`${path.relative(process.cwd(), target)}: ${bytes.length} bytes\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`build:pdfs failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
