/** Reads and validates a content folder: the file system edge of the pipeline. */
import { buildSite, type BuildOptions, type BuildResult } from './buildSite.js';
import { diagnostic } from './diagnostics.js';
import { ContentFolderError, readContentFolder } from './readContentFolder.js';

export async function loadSite(contentDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  try {
    return buildSite(await readContentFolder(contentDir), { now: Date.now(), ...options });
  } catch (error) {
    if (error instanceof ContentFolderError) {
      return { site: null, diagnostics: [diagnostic('.', error.message)], sourcePages: [], nextChangeAt: null };
    }
    throw error;
  }
}
