/**
 * The static export's search page, in the browser: reads ?q= and ?page=,
 * loads the index file (same origin, so the CSP's connect-src 'self'
 * allows it), searches it with the same engine and ranking as the server
 * and fills in the same markup, copied from <template> elements the server
 * rendered. Text goes into the page only as text nodes: nothing from the
 * index or the query can become markup.
 *
 * Without JavaScript the page says search needs it and links to the A to Z
 * list; a stylesheet rule hides that message where modules run.
 */
import { browserTitle } from '../../content/browserTitle.js';
import { loadClientIndex, readClientIndex, type LoadedClientIndex } from '../clientIndex.js';
import { termProcessor } from '../language.js';
import { parsePageNumber, parseQuery } from '../query.js';
import { fillLabel, resultsView, type PaginationView, type ResultView } from '../results.js';
import type { SearchLabels } from '../labels.js';

type Labels = Pick<
  SearchLabels,
  | 'title'
  | 'resultCount'
  | 'oneResult'
  | 'noResults'
  | 'tooLong'
  | 'tooManyWords'
  | 'pageNumber'
  | 'resultsTitle'
  | 'resultsPageTitle'
  | 'errorPrefix'
>;

function requireElement<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`the search page has no ${selector}`);
  return found;
}

function fromTemplate(root: ParentNode, name: string): HTMLElement {
  const template = requireElement<HTMLTemplateElement>(root, `template[data-search-template="${name}"]`);
  const element = template.content.firstElementChild?.cloneNode(true);
  if (!(element instanceof HTMLElement)) throw new Error(`the search template "${name}" is empty`);
  return element;
}

function labelsFrom(app: HTMLElement): Labels {
  const d = app.dataset;
  const get = (key: string) => {
    const value = d[key];
    if (value === undefined) throw new Error(`the search page has no label ${key}`);
    return value;
  };
  return {
    title: get('labelTitle'),
    resultCount: get('labelResultCount'),
    oneResult: get('labelOneResult'),
    noResults: get('labelNoResults'),
    tooLong: get('labelTooLong'),
    tooManyWords: get('labelTooManyWords'),
    pageNumber: get('labelPageNumber'),
    resultsTitle: get('labelResultsTitle'),
    resultsPageTitle: get('labelResultsPageTitle'),
    errorPrefix: get('labelErrorPrefix'),
  };
}

function renderResult(app: HTMLElement, result: ResultView): HTMLElement {
  const item = fromTemplate(app, 'result');
  const link = requireElement<HTMLAnchorElement>(item, '[data-search-title]');
  link.href = result.url;
  link.textContent = result.title;
  requireElement<HTMLElement>(item, '[data-search-tag]').hidden = !result.isDocument;
  requireElement<HTMLElement>(item, '[data-search-url]').textContent = result.displayUrl;
  const snippet = requireElement<HTMLElement>(item, '[data-search-snippet]');
  snippet.textContent = '';
  for (const part of result.snippet) {
    if (part.marked) {
      const mark = document.createElement('mark');
      mark.textContent = part.text;
      snippet.append(mark);
    } else {
      snippet.append(document.createTextNode(part.text));
    }
  }
  return item;
}

function renderPagination(app: HTMLElement, pagination: PaginationView): HTMLElement {
  const nav = fromTemplate(app, 'pagination');
  const list = requireElement<HTMLElement>(nav, '[data-search-pages]');
  if (pagination.previous) {
    const previous = fromTemplate(app, 'previous') as HTMLAnchorElement;
    previous.href = pagination.previous;
    nav.insertBefore(previous, list);
  }
  for (const item of pagination.items) {
    if (item.gap) {
      list.append(fromTemplate(app, 'gap'));
      continue;
    }
    const li = fromTemplate(app, 'number');
    const link = requireElement<HTMLAnchorElement>(li, 'a');
    link.href = item.href!;
    link.textContent = String(item.number);
    link.setAttribute('aria-label', item.label!);
    if (item.current) {
      li.classList.add('nhsuk-pagination__item--current');
      link.setAttribute('aria-current', 'page');
    }
    list.append(li);
  }
  if (pagination.next) {
    const next = fromTemplate(app, 'next') as HTMLAnchorElement;
    next.href = pagination.next;
    nav.append(next);
  }
  return nav;
}

/** The error pattern of the live page: an error summary above the heading and a message at the field. */
function showError(app: HTMLElement, labels: Labels, message: string, siteName: string): void {
  const summary = fromTemplate(app, 'error-summary');
  requireElement<HTMLElement>(summary, '[data-search-error-text]').textContent = message;
  const main = requireElement<HTMLElement>(document, 'main');
  main.insertBefore(summary, main.firstChild);
  // As NHS.UK frontend does for a summary in the served page: move focus to it, so it is read out.
  summary.tabIndex = -1;
  summary.focus();
  const field = requireElement<HTMLInputElement>(document, '#search-field');
  const group = field.closest('.nhsuk-form-group');
  group?.classList.add('nhsuk-form-group--error');
  field.classList.add('nhsuk-input--error');
  const error = fromTemplate(app, 'error-message');
  requireElement<HTMLElement>(error, '[data-search-error-text]').textContent = message;
  field.closest('.nhsuk-input-wrapper')?.before(error);
  field.setAttribute('aria-describedby', error.id);
  document.title = browserTitle(`${labels.errorPrefix}: ${labels.title}`, siteName);
}

async function loadIndex(url: string): Promise<LoadedClientIndex> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the search index answered ${response.status}`);
  const index = readClientIndex(await response.json());
  if (!index) throw new Error('the search index is not in a form this page can read');
  return loadClientIndex(index);
}

async function run(app: HTMLElement): Promise<void> {
  const labels = labelsFrom(app);
  const d = app.dataset;
  const siteName = d.siteName ?? '';
  const params = new URLSearchParams(location.search);
  const raw = params.get('q');
  const field = requireElement<HTMLInputElement>(document, '#search-field');
  requireElement<HTMLElement>(document, '[data-search-fallback]').hidden = true;
  app.hidden = false;
  if (raw === null) return;
  const processor = termProcessor(d.language ?? '');
  const parsed = parseQuery(raw, processor);
  if (parsed.kind === 'empty') return;
  field.value = parsed.text;
  if (parsed.kind === 'tooLong' || parsed.kind === 'tooManyWords') {
    showError(
      app,
      labels,
      fillLabel(parsed.kind === 'tooLong' ? labels.tooLong : labels.tooManyWords, { max: String(parsed.max) }),
      siteName,
    );
    return;
  }
  const count = requireElement<HTMLElement>(app, '[data-search-count]');
  let loaded: LoadedClientIndex;
  try {
    loaded = await loadIndex(d.indexUrl ?? '');
  } catch (error) {
    requireElement<HTMLElement>(app, '[data-search-unavailable]').hidden = false;
    console.warn('Search is not available:', error);
    return;
  }
  const hits = loaded.engine.search(parsed.words);
  const view = resultsView({
    hits,
    page: parsePageNumber(params.get('page')),
    query: parsed.text,
    searchUrl: d.searchUrl ?? '/search/',
    host: d.host ?? location.host,
    formatCount: (n) => new Intl.NumberFormat(d.language || undefined).format(n),
    labels: labels as SearchLabels,
    processor: loaded.engine.processor,
    lookup: (url) => {
      const entry = loaded.byUrl.get(url);
      return entry
        ? { title: entry[1], isDocument: entry[5] === 1, texts: () => [entry[2], entry[3], entry[4]] }
        : undefined;
    },
  });
  count.textContent = view.summary;
  requireElement<HTMLElement>(app, '[data-search-no-results]').hidden = view.total > 0;
  const list = requireElement<HTMLOListElement>(app, '[data-search-list]');
  list.start = view.first;
  list.replaceChildren(...view.items.map((r) => renderResult(app, r)));
  const slot = requireElement<HTMLElement>(app, '[data-search-pagination-slot]');
  slot.replaceChildren(...(view.pagination ? [renderPagination(app, view.pagination)] : []));
  const title =
    view.pages > 1
      ? fillLabel(labels.resultsPageTitle, { page: String(view.page), pages: String(view.pages) })
      : labels.resultsTitle;
  document.title = browserTitle(title, siteName);
}

const app = document.querySelector<HTMLElement>('[data-search-app]');
if (app) {
  run(app).catch((error: unknown) => {
    console.error('The search page could not start:', error);
    const unavailable = app.querySelector<HTMLElement>('[data-search-unavailable]');
    if (unavailable) unavailable.hidden = false;
  });
}
