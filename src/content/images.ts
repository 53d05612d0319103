/**
 * Images in pages: which file each one names (relative to the page's own
 * file, so an image placed beside a page is written by its name alone),
 * whether it says what it shows, and whether that file is an image visitors
 * can be shown. Every problem is reported at the image's line and column.
 *
 * Pure: the folder's entries and the parsed pages go in; the images each
 * view serves, and diagnostics, come out.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import {
  ALLOWED_IMAGES_TEXT,
  IMAGE_TYPES,
  imageFacts,
  imageKindFromName,
  ImageFactsCache,
  LARGE_IMAGE_BYTES,
  looksLikeImageName,
  type ImageFactsStore,
} from './imageFiles.js';
import { DECORATIVE_MARK, IMAGE_MARKER_ATTRIBUTE, type ImageRef } from './markdown.js';
import type { Page, PageImage, SiteImage } from './model.js';
import type { PublicationState } from './publication.js';
import type { ContentEntry } from './readContentFolder.js';
import { closestMatch } from './suggest.js';
import { fileNameStem } from './uploads.js';

/** Picture problems reported per page at most, the last line counting the rest. */
export const MAX_IMAGE_PROBLEMS_PER_PAGE = 20;
/** Missing pictures on one page for which a likely name is suggested. */
const MAX_GUESSES_PER_PAGE = 20;
/** Names compared while guessing, for the whole site: guesses on many pages must not cost pages × pictures. */
const MAX_GUESS_COMPARISONS = 50_000;

/** Where the site serves content images: under /assets/, cached for a year like every fingerprinted file. */
export const CONTENT_IMAGES_PREFIX = '/assets/content/';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const BASE = 'http://content.invalid';

/** The content file an image address names: relative to the page's folder, or to the content folder with "/". */
export function imageSourceFor(pageSource: string, href: string): string | null {
  if (HAS_SCHEME.test(href) || href.startsWith('//') || href.startsWith('#') || href.startsWith('?')) return null;
  const folder = path.posix.dirname(pageSource);
  let pathname: string;
  try {
    pathname = new URL(href, `${BASE}/${folder === '.' ? '' : `${folder}/`}`).pathname;
    pathname = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const relative = pathname.replace(/^\/+/, '');
  return relative === '' || relative.endsWith('/') ? null : relative;
}

/** A page's images with the files they name. */
export function pageImages(pageSource: string, refs: readonly ImageRef[]): PageImage[] {
  return refs.map((ref) => ({ ...ref, source: imageSourceFor(pageSource, ref.href) }));
}

/** The address an image is served at: its name, and a hash of its bytes, so that a changed file gets a new one. */
export function imageUrl(source: string, sha256: string, extension: string): string {
  return `${CONTENT_IMAGES_PREFIX}${fileNameStem(source, 'image')}.${sha256.slice(0, 12)}.${extension}`;
}

/** The address of a smaller copy of an image: its name, its width, and a hash of the copy's bytes. */
export function imageVariantUrl(source: string, width: number, sha256: string, extension: string): string {
  return `${CONTENT_IMAGES_PREFIX}${fileNameStem(source, 'image')}-${width}w.${sha256.slice(0, 12)}.${extension}`;
}

export interface ImageCheck {
  entries: readonly ContentEntry[];
  /** Every page that parsed, in any state. */
  pages: readonly Page[];
  states: ReadonlyMap<Page, PublicationState>;
  facts?: ImageFactsStore;
}

export interface CheckedImages {
  /** Images published pages (and the error pages) show: what the public site serves. */
  published: Map<string, SiteImage>;
  /** Every valid image of the folder, shown or not: what the preview and the editor serve. */
  all: Map<string, SiteImage>;
}

/** Checks every image of every page, and works out the images each view serves. */
export function checkImages(input: ImageCheck, diagnostics: Diagnostic[]): CheckedImages {
  const entries = new Map(input.entries.map((e) => [e.path, e]));
  const facts = input.facts ?? new ImageFactsCache();
  facts.beginBuild();
  const all = new Map<string, SiteImage>();
  const problems = new Map<string, string>();
  for (const entry of input.entries) {
    if (entry.kind !== 'file' || !entry.bytes || imageKindFromName(entry.path) === null) continue;
    const bytes = entry.bytes;
    const found = facts.get(entry.path, bytes, 'image', (digest) => imageFacts(bytes, digest));
    if (!found.ok) {
      problems.set(entry.path, found.reason);
      continue;
    }
    const type = IMAGE_TYPES[found.kind];
    if (imageKindFromName(entry.path) !== found.kind) {
      problems.set(
        entry.path,
        `it is a ${type.name} image but its name says otherwise: rename it to end in .${type.extension}`,
      );
      continue;
    }
    all.set(entry.path, {
      source: entry.path,
      url: imageUrl(entry.path, found.sha256, type.extension),
      kind: found.kind,
      contentType: type.contentType,
      width: found.width,
      height: found.height,
      bytes,
      etag: found.etag,
    });
  }
  facts.endBuild();

  const published = new Map<string, SiteImage>();
  const folders = new Map<string, string[]>();
  const namesIn = (folder: string): string[] => {
    let names = folders.get(folder);
    if (!names) {
      names = [];
      folders.set(folder, names);
    }
    return names;
  };
  for (const entry of input.entries)
    if (looksLikeImageName(entry.path)) namesIn(path.posix.dirname(entry.path)).push(path.posix.basename(entry.path));

  // Guessing the name meant compares with every picture in the folder: a few guesses a page, and a budget of
  // comparisons for the site, keep that linear.
  let comparisons = MAX_GUESS_COMPARISONS;
  const guessFrom = (folder: string): string[] => {
    const names = namesIn(folder);
    comparisons -= names.length;
    return names;
  };
  for (const page of input.pages) {
    const shown = page.role !== 'page' || input.states.get(page) === 'published';
    let guesses = MAX_GUESSES_PER_PAGE;
    const pageProblems: Diagnostic[] = [];
    const warned = new Set<string>();
    for (const image of page.images ?? []) {
      const guess = guesses-- > 0 && comparisons > 0 ? guessFrom : () => [];
      const problem = imageProblem(image, entries, problems, all, guess);
      const at = { line: image.line, column: image.column };
      if (problem) {
        pageProblems.push(diagnostic(page.source, problem, at));
        continue;
      }
      const site = all.get(image.source!)!;
      if (shown) published.set(site.source, site);
      if (site.bytes.length > LARGE_IMAGE_BYTES && !warned.has(site.source) && warned.add(site.source))
        diagnostics.push(
          diagnostic(
            page.source,
            `the image "${image.href}" is ${(site.bytes.length / 1024 / 1024).toFixed(1)} MB, ` +
              'slow to load on a phone: ' +
              `save it smaller (about 1,600 pixels wide, as JPEG for a photograph) and replace the file`,
            at,
            'warning',
          ),
        );
    }
    diagnostics.push(...capped(page.source, pageProblems));
  }
  return { published, all };
}

/** A page of broken pictures costs one screen: the last line counts the rest, from its place on. */
function capped(source: string, problems: Diagnostic[]): Diagnostic[] {
  if (problems.length <= MAX_IMAGE_PROBLEMS_PER_PAGE) return problems;
  const from = problems[MAX_IMAGE_PROBLEMS_PER_PAGE - 1]!;
  const rest = problems.length - MAX_IMAGE_PROBLEMS_PER_PAGE + 1;
  const message =
    `${rest} more pictures on this page have problems, from here on: ` + 'fix the ones above, then check again';
  return [...problems.slice(0, MAX_IMAGE_PROBLEMS_PER_PAGE - 1), diagnostic(source, message, from)];
}

/** What is wrong with one image on a page, in words that say what to do; null when nothing is. */
function imageProblem(
  image: PageImage,
  entries: ReadonlyMap<string, ContentEntry>,
  problems: ReadonlyMap<string, string>,
  valid: ReadonlyMap<string, SiteImage>,
  namesIn: (folder: string) => string[],
): string | null {
  const quoted = `the image "${image.href}"`;
  if (image.decorative && image.alt.trim() !== '')
    return (
      `${quoted} is marked ${DECORATIVE_MARK} but also has a description: ` +
      `keep the description and remove ${DECORATIVE_MARK}, or the other way round`
    );
  if (!image.decorative && image.alt.trim() === '')
    return (
      `${quoted} has no description for people who cannot see it: write what it shows between the square ` +
      `brackets, for example ![A midwife weighing a newborn baby](${image.href}), or, if it is only decoration, ` +
      `write ${DECORATIVE_MARK} right after it: ![](${image.href})${DECORATIVE_MARK}`
    );
  if (image.source === null)
    return (
      `${quoted} is not a file of the website: images must be files in the content folder (the site's security ` +
      `policy blocks pictures from other websites). Save the picture beside the page and write its name`
    );
  const source = image.source;
  if (!looksLikeImageName(source) || imageKindFromName(source) === null)
    return /\.svgz?$/i.test(source)
      ? `${quoted} is an SVG file, which can hold scripts: save the picture as ${ALLOWED_IMAGES_TEXT} instead`
      : `${quoted} is not a picture the website shows: use a ${ALLOWED_IMAGES_TEXT} file`;
  const entry = entries.get(source);
  if (!entry) {
    const folder = path.posix.dirname(source);
    const guess = closestMatch(path.posix.basename(source), namesIn(folder));
    return (
      `${quoted} is missing: there is no file ${source} in the content folder. Add the picture there, or correct ` +
      `the name${guess ? ` (did you mean "${guess}"?)` : ''}`
    );
  }
  if (entry.kind === 'symlink') return `${quoted} is a symbolic link (${source}): put the real picture there instead`;
  if (entry.kind !== 'file') return `${quoted} names ${source}, which is not a file`;
  const problem = problems.get(source);
  if (problem) return `${quoted} cannot be shown: ${problem}`;
  return valid.has(source) ? null : `${quoted} cannot be shown`;
}

/** The image files pages use (drafts' too), for the check that reports files nothing uses. */
export function usedImageSources(pages: readonly Page[]): string[] {
  const sources: string[] = [];
  for (const page of pages) for (const image of page.images ?? []) if (image.source) sources.push(image.source);
  return sources;
}

/**
 * A page's HTML with each image's marker replaced by its address and size.
 * One pass over the HTML; an image the view lacks (which a valid build never
 * has) keeps its address as written.
 */
export function resolveImages(html: string, page: Page, images: ReadonlyMap<string, SiteImage>): string {
  const refs = page.images;
  if (!refs || refs.length === 0) return html;
  return html.replace(IMAGE_MARKER_ATTRIBUTE, (_match, n: string) => {
    const ref = refs[Number(n)];
    const image = ref?.source ? images.get(ref.source) : undefined;
    if (!image) return `src="${escapeAttribute(ref?.href ?? '')}"`;
    return `src="${image.url}"${sourceSet(image)} width="${image.width}" height="${image.height}" loading="lazy"`;
  });
}

/**
 * The smaller copies, for the browser to choose from: on a screen narrower
 * than the picture it fills the width of the screen (at most), otherwise it is
 * shown at its own width, so `sizes` says just that.
 */
function sourceSet(image: SiteImage): string {
  if (!image.variants?.length) return '';
  const candidates = [...image.variants, image].map((v) => `${v.url} ${v.width}w`).join(', ');
  return ` srcset="${candidates}" sizes="(max-width: ${image.width}px) 100vw, ${image.width}px"`;
}

/** What a page's HTML depends on among the images: their addresses and sizes. */
export function imagesKey(page: Page, images: ReadonlyMap<string, SiteImage>): string {
  return (page.images ?? [])
    .map((ref) => {
      const image = ref.source ? images.get(ref.source) : undefined;
      return image ? `${image.url} ${image.width}x${image.height} ${image.variants?.length ?? 0}` : '';
    })
    .join('|');
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
