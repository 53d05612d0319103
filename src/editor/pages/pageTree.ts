/**
 * The editor's list of pages: every page of the version loaded last, in any
 * state, as a tree by address (sections hold their pages), titled as the
 * page is titled, each with its state: published, draft, scheduled, expired,
 * and "review due" when its nextReviewDue date has passed. One pass over
 * the pages, then one sort per level.
 */
import type { SourcePage } from '../../content/buildSite.js';
import { parentUrl } from '../../content/navigation.js';

export interface TreeNode {
  file: string;
  url: string;
  title: string;
  states: Array<{ text: string; colour: string }>;
  children: TreeNode[];
  order: number;
}

const STATE_TAGS = {
  published: { text: 'Published', colour: 'green' },
  draft: { text: 'Draft', colour: 'grey' },
  scheduled: { text: 'Scheduled', colour: 'blue' },
  expired: { text: 'Expired', colour: 'red' },
} as const;

export function pageTree(
  sources: readonly SourcePage[],
  today: string,
): { tree: TreeNode[]; specialPages: TreeNode[] } {
  const byUrl = new Map<string, TreeNode>();
  const specialPages: TreeNode[] = [];
  for (const { page, state } of sources) {
    const fm = page.frontMatter;
    const node: TreeNode = {
      file: page.source,
      url: page.role === 'page' ? page.url : '',
      title: fm.title,
      states: [
        STATE_TAGS[state],
        ...(fm.nextReviewDue && fm.nextReviewDue < today ? [{ text: 'Review due', colour: 'orange' }] : []),
      ],
      children: [],
      order: fm.navigation?.order ?? Number.MAX_SAFE_INTEGER,
    };
    if (page.role !== 'page') specialPages.push(node);
    else if (!byUrl.has(page.url)) byUrl.set(page.url, node);
  }
  const roots: TreeNode[] = [];
  for (const node of byUrl.values()) {
    let parent: TreeNode | undefined;
    for (let url = parentUrl(node.url); url !== null && url !== '/' && !parent; url = parentUrl(url))
      parent = byUrl.get(url);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (nodes: TreeNode[]) => {
    nodes.sort((a, b) =>
      a.url === '/' ? -1 : b.url === '/' ? 1 : a.order - b.order || a.title.localeCompare(b.title),
    );
    for (const n of nodes) sort(n.children);
  };
  sort(roots);
  return { tree: roots, specialPages };
}
