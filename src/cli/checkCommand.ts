/** The content check as a function: a report for people and an exit code. */
import path from 'node:path';
import { hasErrors } from '../content/diagnostics.js';
import { loadSite } from '../content/loadSite.js';
import { renderSite } from '../render/renderSite.js';
import { formatReport } from './report.js';

export interface CheckOutcome {
  report: string;
  exitCode: 0 | 1;
}

export async function runCheck(contentDir: string, siteUrl: string, cwd: string = process.cwd()): Promise<CheckOutcome> {
  const result = await loadSite(contentDir);
  // Rendering every page also catches template problems before a server would meet them.
  if (result.site) renderSite(result.site, { siteUrl });
  const prefix = `${path.relative(cwd, contentDir) || '.'}/`;
  return { report: formatReport(result.diagnostics, prefix), exitCode: hasErrors(result.diagnostics) ? 1 : 0 };
}
