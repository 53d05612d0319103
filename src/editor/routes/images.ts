/**
 * Pictures for a page: upload one beside the page's file (PNG, JPEG or WebP,
 * checked by its bytes; never SVG), with the words that describe it, or
 * marked as decoration, and get the Markdown that shows it, or have it added
 * to the end of the page at once. The editor also serves the preview's
 * pictures to signed-in staff, drafts' included, which the public site does not.
 */
import path from 'node:path';
import type { Request, Response } from 'express';
import { sha256 } from '../../content/contentCache.js';
import { IMAGE_TYPES, imageFacts, imageKindFromName, MAX_IMAGE_BYTES } from '../../content/imageFiles.js';
import { CONTENT_IMAGES_PREFIX } from '../../content/images.js';
import { DECORATIVE_MARK } from '../../content/markdown.js';
import { baseName, imageUploadKind, storedFileName } from '../../content/uploads.js';
import { sendPrepared } from '../../server/respond.js';
import type { FileChange } from '../../store/contentStore.js';
import { message, noSuchFile, pageOf, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { contentFileFrom, seeOther, sendHtml } from '../http.js';
import { saveChanges } from '../pages/saveChanges.js';
import { waitsForReview } from '../review/reviewPolicy.js';
import { receiveUpload } from '../uploads/multipart.js';
import type { UploadGate } from '../uploads/uploadGate.js';

const IMAGES_ROUTE = /^\/edit\/images\/(.+)$/;
const PREVIEW_IMAGE = new RegExp(`^/edit${CONTENT_IMAGES_PREFIX}[a-z0-9.-]+$`);
const ACCEPT = '.png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp';

export function isImageUploadPath(path: string): boolean {
  return IMAGES_ROUTE.test(path);
}

type Errors = Record<string, string>;

interface Values {
  alt?: string;
  decorative?: boolean;
  append?: boolean;
}

export function imageRoutes(context: EditorContext, gate: UploadGate): EditorRoute {
  return async (req, res) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && PREVIEW_IMAGE.test(req.path)) return previewImage(context, req, res);
    const m = IMAGES_ROUTE.exec(req.path);
    if (!m) return false;
    const file = contentFileFrom(m[1]!, (f) => f.endsWith('.md'));
    if (!file || !(await context.store.read(file))) return noSuchFile(context, res);
    if (get) {
      const added = typeof req.query.added === 'string' ? req.query.added : '';
      const known = /^[a-z0-9-]+\.(?:png|jpg|webp)$/.test(added);
      return imagesPage(context, res, file, {}, {}, known ? { name: added, markdown: '', appended: true } : undefined);
    }
    const done = await gate.run(() => upload(context, req, res, file));
    if (done) return done;
    res.setHeader('Retry-After', '10');
    res.setHeader('Connection', 'close');
    const why = ['Other files are being uploaded. Try again in a moment.'];
    sendHtml(res, 503, message(context, 'The editor is busy', why, undefined, res));
    return true;
  };
}

/** A picture of the preview (every valid picture of the content), for the editor's preview frame and lists. */
function previewImage(context: EditorContext, req: Request, res: Response): true {
  const site = context.live.currentPreview() ?? context.live.current();
  const image = site?.images.get(req.path.slice('/edit'.length));
  if (!image) return noSuchFile(context, res);
  sendPrepared(req, res, image, { cacheControl: 'no-store' });
  return true;
}

/**
 * The page's text with the picture's line at its end, after one blank line. The final newlines are counted from
 * the end: /\n*$/ tried each newline of every run as the start of the end, quadratic in a run of blank lines.
 */
export function pageWithPicture(text: string, markdown: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return `${text.slice(0, end)}\n\n${markdown}\n`;
}

/** Markdown that shows a picture: its description with brackets and backslashes escaped, on one line. */
export function imageMarkdown(name: string, alt: string, decorative: boolean): string {
  if (decorative) return `![](${name})${DECORATIVE_MARK}`;
  const escaped = alt
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\[\]]/g, (c) => `\\${c}`);
  return `![${escaped}](${name})`;
}

function imagesPage(
  context: EditorContext,
  res: Response,
  file: string,
  values: Values,
  errors: Errors,
  added?: { name: string; markdown: string; appended: boolean; forReview?: boolean },
): true {
  const folder = path.posix.dirname(file);
  const page = pageOf(context, file);
  const shown = new Set((page?.images ?? []).flatMap((i) => (i.source ? [i.source] : [])));
  const site = context.live.currentPreview() ?? context.live.current();
  const images = [...(site?.model.images.values() ?? [])]
    .filter((i) => path.posix.dirname(i.source) === folder)
    .sort((a, b) => a.source.localeCompare(b.source))
    .map((i) => {
      const name = path.posix.basename(i.source);
      return {
        name,
        url: `/edit${i.url}`,
        width: i.width,
        height: i.height,
        type: IMAGE_TYPES[i.kind].name,
        size: `${Math.max(1, Math.round(i.bytes.length / 1024))} KB`,
        shown: shown.has(i.source),
        markdown: imageMarkdown(name, 'Describe the picture here', false),
      };
    });
  const title = page?.frontMatter.title ?? file;
  sendHtml(
    res,
    200,
    context.views.render('images', {
      ...signedIn(res, 'pages'),
      pageTitle: `Pictures for ${title}`,
      file,
      title,
      folder: folder === '.' ? 'the top of the content folder' : `${folder}/`,
      images,
      values,
      added,
      accept: ACCEPT,
      maxMegabytes: MAX_IMAGE_BYTES / 1024 / 1024,
      notice: added
        ? added.appended
          ? `${added.name} is uploaded and shown at the end of the page.`
          : added.forReview
            ? `${added.name} is uploaded. Review before publishing is on, so it is not added to the page for you: ` +
              'write the line below in "Page content" and save the page, and your change waits for review.'
            : `${added.name} is uploaded. Copy the line below into "Page content" where the picture should appear.`
        : undefined,
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { text: v }])),
      errors: Object.entries(errors).map(([k, v]) => ({ text: v, href: `#${k}` })),
    }),
  );
  return true;
}

async function upload(context: EditorContext, req: Request, res: Response, file: string): Promise<true> {
  const received = await receiveUpload(req, { fileBytes: MAX_IMAGE_BYTES });
  if (!received.ok) {
    const why =
      received.reason === 'too-large'
        ? `The picture is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB. Nothing was saved. ` +
          'Save it smaller (about 1,600 pixels wide is plenty) and upload it again.'
        : 'The form could not be read. Nothing was saved. Go back, reload the page and try again.';
    const back = { href: `/edit/images/${file}`, text: 'Back to the pictures' };
    sendHtml(res, received.status, message(context, 'The picture was not uploaded', [why], back, res));
    return true;
  }
  const { fields, file: sent } = received.upload;
  const values: Values = {
    alt: (fields.alt ?? '').replace(/\s+/g, ' ').trim(),
    decorative: fields.decorative === 'yes',
    append: fields.append === 'yes',
  };
  const errors: Errors = {};
  if (values.decorative && values.alt !== '')
    errors.alt = 'Leave the description empty for a decorative picture, or untick "Decoration only"';
  else if (!values.decorative && values.alt === '')
    errors.alt = 'Describe what the picture shows, for people who cannot see it, or tick "Decoration only"';
  else if ((values.alt ?? '').length > 300) errors.alt = 'Keep the description under 300 characters';
  let kind = null;
  if (!sent || sent.bytes.length === 0)
    errors.file = sent ? 'The selected file is empty' : 'Choose a picture to upload';
  else {
    const sniffed = imageUploadKind(sent.name, sent.bytes);
    if (!sniffed.ok) errors.file = sniffed.reason;
    else {
      const facts = imageFacts(sent.bytes, sha256(sent.bytes));
      if (!facts.ok) errors.file = `"${baseName(sent.name).slice(0, 80)}" cannot be shown: ${facts.reason}`;
      else kind = sniffed.kind;
    }
  }
  if (Object.keys(errors).length > 0 || !sent || !kind) return imagesPage(context, res, file, values, errors);

  const folder = path.posix.dirname(file);
  const inFolder = (name: string) => (folder === '.' ? name : `${folder}/${name}`);
  const entries = new Map((await context.store.readAll()).entries.map((e) => [e.path, e]));
  // The same picture uploaded again is the same file: nothing new is stored.
  const same = [...entries.values()].find(
    (e) => path.posix.dirname(e.path) === folder && imageKindFromName(e.path) && e.bytes?.equals(sent.bytes),
  );
  const name = same
    ? path.posix.basename(same.path)
    : storedFileName(sent.name, IMAGE_TYPES[kind].extension, (n) => entries.has(inFolder(n)), 'picture');
  const markdown = imageMarkdown(name, values.alt!, values.decorative!);
  const changes: FileChange[] = [];
  const content = new Map<string, Buffer | null>();
  if (!same) {
    changes.push({ kind: 'write', path: inFolder(name), bytes: sent.bytes, expectedVersion: null });
    content.set(inFolder(name), sent.bytes);
  }
  // Shown on the page, the picture is a change to the page: with review on, it waits like any other (the line is
  // given to write in the page's form), and the picture alone, which no visitor sees, is stored at once.
  const user = res.locals.editor!.user;
  const current = (await context.store.read(file))!;
  const text = current.bytes.toString('utf8');
  const appended = pageWithPicture(text, markdown);
  const forReview = values.append === true && waitsForReview(context, user, file, text, appended);
  if (values.append && !forReview) {
    const bytes = Buffer.from(appended);
    changes.push({ kind: 'write', path: file, bytes, expectedVersion: current.version });
    content.set(file, bytes);
  }
  if (changes.length > 0) {
    const outcome = await saveChanges(context, {
      changes,
      content,
      author: { name: user.displayName, email: user.email },
      message: `Add the picture ${inFolder(name)}${values.append && !forReview ? ` to ${file}` : ''}`,
    });
    if (outcome.kind === 'conflict')
      return imagesPage(context, res, file, values, {
        file: `${outcome.file} was changed by someone else a moment ago: nothing was saved. Try again`,
      });
    if (outcome.kind === 'invalid') {
      const problems = outcome.diagnostics.filter((d) => d.severity === 'error');
      return imagesPage(context, res, file, values, {
        file: problems.map((d) => `${d.file}, line ${d.line}: ${d.message}`).join('. '),
      });
    }
    await context.audit.record({
      event: 'image-uploaded',
      user: user.name,
      from: res.locals.clientAddress!,
      path: inFolder(name),
    });
  }
  if (values.append && !forReview) {
    seeOther(res, `/edit/images/${file}?added=${encodeURIComponent(name)}`);
    return true;
  }
  return imagesPage(context, res, file, {}, {}, { name, markdown, appended: false, forReview });
}
