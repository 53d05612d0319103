/**
 * A search index that follows one view of a live site: after every reload it
 * is brought in step with the version of that view being served, page by
 * page, in the background (see search/liveIndex.ts). The public view's index
 * never holds drafts; the preview's does, as the preview shows them.
 */
import type { LiveSite } from '../live/liveSite.js';
import type { Logger } from '../logger.js';
import { LiveSearchIndex } from '../search/liveIndex.js';

export type ServedView = 'public' | 'preview';

export function followWithSearch(live: LiveSite, view: ServedView, logger: Logger): LiveSearchIndex {
  const index = new LiveSearchIndex({
    onError: (url, err) => logger.error({ url, err, view }, 'a page could not be added to the search index'),
  });
  const served = () => (view === 'preview' ? live.currentPreview() : live.current());
  const follow = () => {
    const site = served();
    if (site) index.sync(site.model);
  };
  live.onReload(follow);
  // A view already loaded is indexed now; later versions after their reload.
  follow();
  return index;
}
