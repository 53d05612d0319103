/**
 * The engine's own pages of one content version, beside the content's:
 * the A to Z list and the Atom feed (made when first asked for and kept for
 * the life of the version, like pages), and the site's layout for pages made
 * elsewhere, such as the search page (src/search/searchPages.ts).
 */
import { A_TO_Z_URL } from '../content/engineUrls.js';
import type { Page, SiteModel } from '../content/model.js';
import { SourcePositions } from '../content/positions.js';
import { atoZGroups } from './atoZ.js';
import { FEED_CONTENT_TYPE, renderFeed } from './feed.js';
import { PreparedResponse } from './prepared.js';
import { renderPage, type PageView, type RenderContext } from './renderPage.js';

const HTML = 'text/html; charset=utf-8';

/** What a page of the engine's own needs to sit in the layout: its address, title and description. */
export interface EnginePage {
  url: string;
  title: string;
  description: string;
}

export class EnginePages {
  private atoZResponse: PreparedResponse | undefined;
  private feedResponse: PreparedResponse | undefined;
  private numbers: Intl.NumberFormat | undefined;

  constructor(private readonly ctx: RenderContext) {}

  get model(): SiteModel {
    return this.ctx.site;
  }

  /** The site URL (origin) pages of this version link to. */
  get siteUrl(): string {
    return this.ctx.siteUrl;
  }

  /** A number written the site's way ("1,234" in English), with one formatter per version rather than one per page. */
  formatNumber(n: number): string {
    this.numbers ??= new Intl.NumberFormat(this.model.settings.language);
    return this.numbers.format(n);
  }

  /** A page of the engine's own in the site's layout (header, navigation, footer), from a template and its data. */
  render(page: EnginePage, view: PageView): string {
    const shaped: Page = {
      source: '',
      url: page.url,
      role: 'page',
      frontMatter: { title: page.title, description: page.description },
      positions: SourcePositions.none(),
      bodyHtml: '',
      headings: [],
      links: [],
    };
    return renderPage(this.ctx, shaped, view);
  }

  get atoZ(): PreparedResponse {
    const { labels } = this.model.settings;
    this.atoZResponse ??= new PreparedResponse(
      this.render(
        { url: A_TO_Z_URL, title: labels.atoZ.title, description: labels.atoZ.description },
        { template: 'a-z.njk', context: { atoZ: { groups: atoZGroups(this.model) } } },
      ),
      HTML,
    );
    return this.atoZResponse;
  }

  get feed(): PreparedResponse {
    this.feedResponse ??= new PreparedResponse(renderFeed(this.model, this.ctx.siteUrl), FEED_CONTENT_TYPE);
    return this.feedResponse;
  }
}
