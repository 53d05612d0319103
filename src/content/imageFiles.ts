/**
 * Image files pages may show: PNG, JPEG and WebP, checked by their bytes
 * (never by their name), with the width and height the page's HTML gives
 * so that it does not jump as images arrive. SVG is refused: an SVG file is
 * a document that can hold scripts and links, not a picture.
 *
 * Pure, like the rest of the pipeline: bytes in, facts out. Facts are kept by
 * path and content hash between builds (ImageFactsCache), like document files.
 */
import { imageSize } from 'image-size';
import { ContentCache, type BuildCache } from './contentCache.js';
import { etagFromDigest } from './fileInfo.js';

export type ImageKind = 'png' | 'jpeg' | 'webp';

export const IMAGE_TYPES: Readonly<Record<ImageKind, { contentType: string; extension: string; name: string }>> = {
  png: { contentType: 'image/png', extension: 'png', name: 'PNG' },
  jpeg: { contentType: 'image/jpeg', extension: 'jpg', name: 'JPEG' },
  webp: { contentType: 'image/webp', extension: 'webp', name: 'WebP' },
};

/** What staff are told an image may be. */
export const ALLOWED_IMAGES_TEXT = 'PNG, JPEG or WebP';

/** A photo from a phone is a few MB; the page should get a smaller one, but this is the hard limit. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Above this an image is worth making smaller: phones on slow connections wait for every byte. */
export const LARGE_IMAGE_BYTES = 1024 * 1024;
/** Larger pictures cost a visitor's browser hundreds of megabytes to decode (an "image bomb"). */
export const MAX_IMAGE_SIDE = 10_000;
export const MAX_IMAGE_PIXELS = 50_000_000;

const EXTENSIONS: Readonly<Record<string, ImageKind>> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };

/** The kind an image file's name promises; null for a name that is not a PNG, JPEG or WebP file. */
export function imageKindFromName(name: string): ImageKind | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext !== undefined && ext in EXTENSIONS ? EXTENSIONS[ext]! : null;
}

/** True for names a page may show as an image (by extension), and for SVG, which it may not. */
export function looksLikeImageName(name: string): boolean {
  return imageKindFromName(name) !== null || /\.(?:svgz?|gif|bmp|tiff?|heic|avif|ico)$/i.test(name);
}

/** The kind of image the bytes are, from their first bytes; null for anything else (SVG included). */
export function sniffImage(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  return null;
}

export type ImageFacts =
  | { ok: true; kind: ImageKind; width: number; height: number; sha256: string; etag: string }
  | { ok: false; reason: string };

/** Image facts by path, for as long as the bytes are the same. */
export class ImageFactsCache extends ContentCache<ImageFacts> {}
export type ImageFactsStore = BuildCache<ImageFacts>;

/**
 * What the bytes of an image are: its kind and its size in pixels as shown
 * (a JPEG turned by its EXIF orientation swaps width and height), or why it
 * cannot be shown. `digest` is the SHA-256 of the bytes.
 */
export function imageFacts(bytes: Buffer, digest: Buffer): ImageFacts {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes.length > MAX_IMAGE_BYTES)
    return {
      ok: false,
      reason:
        `the file is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB: ` +
        'save a smaller picture (about 1,600 pixels wide is plenty)',
    };
  const kind = sniffImage(bytes);
  if (!kind) return { ok: false, reason: notAnImage(bytes) };
  let size;
  try {
    size = imageSize(bytes);
  } catch {
    return {
      ok: false,
      reason: `the file starts like a ${IMAGE_TYPES[kind].name} image but is damaged: save it again`,
    };
  }
  const swapped = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
  const width = swapped ? size.height : size.width;
  const height = swapped ? size.width : size.height;
  if (!(width > 0 && height > 0))
    return { ok: false, reason: `the size of this ${IMAGE_TYPES[kind].name} image cannot be read: save it again` };
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS)
    return {
      ok: false,
      reason:
        `the picture is ${width} × ${height} pixels, too large for visitors' browsers: ` +
        `save it at most ${MAX_IMAGE_SIDE.toLocaleString('en-GB')} pixels on each side`,
    };
  return { ok: true, kind, width, height, sha256: digest.toString('hex'), etag: etagFromDigest(digest) };
}

/** Says what a file that is not a PNG, JPEG or WebP image seems to be, so the message helps. */
function notAnImage(bytes: Buffer): string {
  const start = bytes.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && start.includes('<svg')) || start.includes('<svg'))
    return `it is an SVG file, which can hold scripts: save the picture as ${ALLOWED_IMAGES_TEXT} instead`;
  if (start.startsWith('<')) return `it is a web page or XML file, not a picture: only ${ALLOWED_IMAGES_TEXT} images`;
  if (start.startsWith('gif8')) return `it is a GIF image: save it as ${ALLOWED_IMAGES_TEXT} instead`;
  return `its content is not a ${ALLOWED_IMAGES_TEXT} image`;
}
