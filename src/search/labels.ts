/** The words of the search pages, from the site settings (site.yml `labels.search`). */
import type { SiteSettings } from '../content/schema.js';

export type SearchLabels = SiteSettings['labels']['search'];
