/**
 * A search index that follows a live site: after every reload it is brought
 * in step with the version being served, page by page, in the background
 * (see search/liveIndex.ts). The preview's live site holds drafts, so its
 * index does too; the public site's never does.
 */
import { LiveSearchIndex } from '../search/liveIndex.js';
import type { Logger } from '../server/logger.js';
import type { LiveSite } from '../server/reloader.js';

export function followWithSearch(live: LiveSite, logger: Logger): LiveSearchIndex {
  const index = new LiveSearchIndex({ onError: (url, err) => logger.error({ url, err }, 'a page could not be added to the search index') });
  live.onReload(() => {
    const site = live.current();
    if (site) index.sync(site.model);
  });
  return index;
}
