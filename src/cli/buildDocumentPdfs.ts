#!/usr/bin/env node
/**
 * `npm run build:pdfs`: remakes every document PDF marked
 * `generatedFromPage: true` from its page's text, writing through the content
 * store. Run it after editing such a page, then commit the PDF. Needs the
 * development dependencies.
 */
import path from 'node:path';
import { ContentLoader } from '../content/loadContent.js';
import { generatedPdfs } from '../pdf/documentPdfs.js';
import { FsContentStore } from '../store/fsContentStore.js';
import { formatReport } from './report.js';
import { runCommand } from './runCommand.js';

runCommand('build:pdfs', 'content', async (config) => {
  const store = await FsContentStore.open(config.contentDir);
  const content = await new ContentLoader(store).load('all', Date.now());
  const result = generatedPdfs(content);
  if (!result.ok) {
    process.stderr.write(
      formatReport(result.diagnostics, `${path.relative(process.cwd(), config.contentDir) || '.'}/`),
    );
    process.stderr.write('No PDF was made: fix the errors above, then run npm run build:pdfs again.\n');
    return 1;
  }
  for (const pdf of result.pdfs) {
    const bytes = await pdf.render();
    const current = await store.read(pdf.path);
    await store.write(pdf.path, bytes, {
      expectedVersion: current?.version ?? null,
      message: `Remake ${pdf.path} from its page`,
    });
    process.stdout.write(`${path.relative(process.cwd(), path.join(store.root, pdf.path))}: ${bytes.length} bytes\n`);
  }
  return 0;
});
