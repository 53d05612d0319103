/** Reads and validates a content folder: the file system edge of the pipeline. */
import { buildSite, type BuildResult } from './buildSite.js';
import { diagnostic } from './diagnostics.js';
import { ContentFolderError, readContentFolder } from './readContentFolder.js';

export async function loadSite(contentDir: string): Promise<BuildResult> {
  try {
    return buildSite(await readContentFolder(contentDir));
  } catch (error) {
    if (error instanceof ContentFolderError) {
      return { site: null, diagnostics: [diagnostic('.', error.message)] };
    }
    throw error;
  }
}
