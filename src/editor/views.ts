/**
 * Renders the editor's pages (views/editor/) with NHS.UK frontend's macros,
 * the site's stylesheet and the editor's own assets. Every value is escaped
 * by Nunjucks; nothing a person typed is ever used as a template.
 */
import type nunjucks from 'nunjucks';
import type { LiveSite } from '../live/liveSite.js';
import { JS_ENABLED_SCRIPT } from '../render/inlineScripts.js';
import { createTemplateEnvironment } from '../render/templates.js';
import type { EditorAssets } from './assets.js';

export interface ErrorLink {
  text: string;
  href: string;
}

export class EditorViews {
  private readonly env: nunjucks.Environment;

  constructor(
    private readonly live: LiveSite,
    private readonly assets: EditorAssets,
    viewsDir?: string,
  ) {
    this.env = createTemplateEnvironment(viewsDir);
  }

  render(view: string, context: Record<string, unknown>): string {
    const siteAssets = this.live.assets();
    const settings = (this.live.currentPreview() ?? this.live.current())?.model.settings;
    return this.env.render(`editor/${view}.njk`, {
      siteName: settings?.name ?? '',
      jsEnabledScript: JS_ENABLED_SCRIPT,
      asset: (name: string) => siteAssets.url(name),
      editorAsset: (name: 'editor.css' | 'editor.js') => this.assets.url(name),
      errors: [] as ErrorLink[],
      ...context,
    });
  }
}
