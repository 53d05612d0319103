/**
 * Pictures sized for phones: a picture wider than a phone's screen gets
 * smaller copies (480 and 960 pixels wide, in its own format, without its
 * camera metadata), so that a phone downloads a copy of its own size rather
 * than the whole photograph; the page lists them in `srcset` and the browser
 * picks (content/images.ts). Each copy has its own fingerprinted address.
 *
 * Resizing is the one step of loading that is not pure: it runs on sharp's
 * threads, never the request thread, once per picture (copies are kept by
 * the picture's SHA-256 between loads), and a picture sharp cannot read is
 * shown whole, as before.
 */
import type { BuildResult } from './buildSite.js';
import { createHash } from 'node:crypto';
import { etagFromDigest } from './fileInfo.js';
import { IMAGE_TYPES, MAX_IMAGE_PIXELS } from './imageFiles.js';
import { imageVariantUrl } from './images.js';
import type { ImageVariant, SiteImage, SiteModel } from './model.js';

/** Widths of the copies: a phone's screen at 1× and 2× pixel density (1× and 2× of ~480 CSS pixels). */
export const VARIANT_WIDTHS: readonly number[] = [480, 960];

/** The smaller copies a picture gets: one for each width it is wider than. */
export async function makeVariants(image: SiteImage): Promise<ImageVariant[]> {
  const variants: ImageVariant[] = [];
  // Loaded at the first picture to resize (a quarter of a second), not by every command that loads content.
  const { default: sharp } = await import('sharp');
  for (const width of VARIANT_WIDTHS) {
    if (width >= image.width) break;
    const height = Math.max(1, Math.round((image.height * width) / image.width));
    // rotate() turns the picture as its EXIF orientation says, as browsers do; the copies carry no metadata.
    const pipeline = sharp(image.bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).rotate().resize({ width, height });
    const format =
      image.kind === 'png'
        ? pipeline.png({ compressionLevel: 9, adaptiveFiltering: true })
        : image.kind === 'jpeg'
          ? pipeline.jpeg({ quality: 80, mozjpeg: true })
          : pipeline.webp({ quality: 80 });
    const bytes = await format.toBuffer();
    const digest = createHash('sha256').update(bytes).digest();
    variants.push({
      url: imageVariantUrl(image.source, width, digest.toString('hex'), IMAGE_TYPES[image.kind].extension),
      width,
      height,
      contentType: image.contentType,
      bytes,
      etag: etagFromDigest(digest),
    });
  }
  return variants;
}

/**
 * Copies by picture, kept between loads by the picture's address (which holds
 * its SHA-256, so a changed picture is a new one); those no load uses any
 * more are let go.
 */
export class ImageVariantCache {
  private kept = new Map<string, ImageVariant[]>();

  /** The build with every picture of both views given its copies (made now for pictures not seen before). */
  async apply(build: BuildResult): Promise<BuildResult> {
    const views = [build.site, build.preview].filter((v): v is SiteModel => v !== null);
    // A build with errors has no view: the copies are kept for the version that mends them.
    if (views.length === 0) return build;
    const next = new Map<string, ImageVariant[]>();
    const given = new Map<SiteImage, SiteImage>();
    for (const view of views)
      for (const image of view.images.values()) {
        if (image.width <= VARIANT_WIDTHS[0]! || given.has(image)) continue;
        let variants = next.get(image.url) ?? this.kept.get(image.url);
        // A picture sharp cannot read is shown whole, as it is.
        if (!variants) variants = await makeVariants(image).catch(() => []);
        next.set(image.url, variants);
        if (variants.length > 0) given.set(image, { ...image, variants });
      }
    this.kept = next;
    if (given.size === 0) return build;
    const withCopies = (view: SiteModel | null): SiteModel | null =>
      view && {
        ...view,
        images: new Map([...view.images].map(([source, image]) => [source, given.get(image) ?? image])),
      };
    return { ...build, site: withCopies(build.site), preview: withCopies(build.preview) };
  }
}
