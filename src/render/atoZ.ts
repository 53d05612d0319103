/**
 * The A to Z list: every published page and document by title, in the
 * order of the site's language, grouped by first letter. Titles that start
 * with a digit or a symbol come first, under one heading.
 */
import type { SiteModel } from '../content/model.js';

export interface AtoZItem {
  title: string;
  url: string;
  isDocument: boolean;
}

export interface AtoZGroup {
  id: string;
  heading: string;
  items: AtoZItem[];
}

export function atoZGroups(model: SiteModel): AtoZGroup[] {
  const { language, labels } = model.settings;
  const collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true });
  const items = [...model.pages.values()]
    .filter((p) => p.role === 'page')
    .map((p) => ({ title: p.frontMatter.title, url: p.url, isDocument: p.documentId !== undefined }))
    .sort((a, b) => collator.compare(a.title, b.title) || (a.url < b.url ? -1 : 1));
  const groups = new Map<string, AtoZGroup>();
  const other: AtoZGroup = { id: 'a-z-other', heading: labels.atoZ.otherCharacters, items: [] };
  for (const item of items) {
    // The first letter without its accent: "Éclair" goes under E.
    const first = ([...item.title.trim()][0] ?? '').normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase();
    if (!/^\p{L}$/u.test(first)) {
      other.items.push(item);
      continue;
    }
    let group = groups.get(first);
    if (!group) {
      const id = /^[A-Z]$/.test(first) ? `a-z-${first.toLowerCase()}` : `a-z-u${first.codePointAt(0)!.toString(16)}`;
      groups.set(first, (group = { id, heading: first, items: [] }));
    }
    group.items.push(item);
  }
  const letters = [...groups.values()].sort((a, b) => collator.compare(a.heading, b.heading));
  return other.items.length > 0 ? [other, ...letters] : letters;
}
