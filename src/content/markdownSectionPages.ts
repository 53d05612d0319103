/**
 * {{sectionPages}}, written on a line of its own, stands for the list of the
 * pages in this page's section: their titles, linked, with their
 * descriptions. The list is made when the page is rendered, because the pages
 * of a section change without this page's file changing (render/sectionPages.ts).
 *
 * Here the line becomes a marker that only this rule can write: page text
 * never passes HTML through, so no page can forge it, and nothing a page says
 * ever reaches the templates as template code.
 */
import type { MarkdownIt, StateCore } from 'markdown-it';

export const SECTION_PAGES = 'sectionPages';
/** What the rendered body holds where the list goes. */
export const SECTION_PAGES_MARKER = '<!--section-pages-->';

const ALONE = /^\{\{\s*sectionPages\s*\}\}$/;

export function sectionPagesBlock(md: MarkdownIt): void {
  // Before the placeholders are filled: in a paragraph of its own, it is not an unknown placeholder.
  md.core.ruler.before('placeholders', 'section_pages', (state: StateCore) => {
    const tokens = state.tokens;
    // Once a page: each list is every page of the section, so copies would multiply the page's size. A later one
    // stays text, reported as a placeholder out of place (placeholders.ts).
    for (let i = 0; i + 2 < tokens.length; i++) {
      const [open, inline, close] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
      if (open.type !== 'paragraph_open' || inline.type !== 'inline' || close.type !== 'paragraph_close') continue;
      if (!ALONE.test(inline.content.trim())) continue;
      const block = new state.Token('section_pages', '', 0);
      block.block = true;
      block.map = open.map;
      block.level = open.level;
      tokens.splice(i, 3, block);
      break;
    }
  });
  md.renderer.rules.section_pages = () => `${SECTION_PAGES_MARKER}\n`;
}
