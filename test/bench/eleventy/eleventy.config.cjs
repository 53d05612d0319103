// Eleventy 3 building the benchmark corpus with a layout equivalent to ours:
// the same markdown-it settings (no raw HTML), a header, breadcrumbs, the
// page body and a sidebar listing every top-level section and the pages of
// the current one, with the current page marked.
const markdownIt = require('markdown-it');

module.exports = function (eleventyConfig) {
  eleventyConfig.setLibrary('md', markdownIt('default', { html: false, linkify: false, typographer: false }));
  eleventyConfig.addGlobalData('layout', 'page.njk');
  eleventyConfig.ignores.add('404.md');
  eleventyConfig.addCollection('sections', (api) => {
    const sections = {};
    const top = [];
    for (const item of api.getAll()) {
      const parts = item.url.split('/').filter(Boolean);
      if (parts.length === 1) top.push(item);
      if (parts.length !== 2) continue;
      (sections[parts[0]] ??= []).push(item);
    }
    const byOrder = (a, b) =>
      (a.data.navigation?.order ?? 1e9) - (b.data.navigation?.order ?? 1e9) || a.data.title.localeCompare(b.data.title);
    for (const list of Object.values(sections)) list.sort(byOrder);
    top.sort(byOrder);
    return { top, sections };
  });
  return {
    dir: {
      input: process.env.ELEVENTY_INPUT,
      output: process.env.ELEVENTY_OUTPUT,
      includes: process.env.ELEVENTY_INCLUDES,
    },
    markdownTemplateEngine: false,
    htmlTemplateEngine: 'njk',
  };
};
