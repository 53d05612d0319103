/**
 * Documents from the browser: create a document page with its first file,
 * add files to it, replace one (the old bytes stay in the history), remove
 * one. Every file is checked by its bytes, stored under a name the server
 * makes, and saved with the document's page as one change, after the same
 * checks as `npm run check` (a CSV file with ragged rows is refused at its row
 * and column).
 */
import type { Request, Response } from 'express';
import { DOCUMENTS_FOLDER, MAX_DOCUMENT_FILE_BYTES } from '../../content/documents.js';
import { documentFrontMatterSchema } from '../../content/documentSchema.js';
import { FILE_TYPES, type FileKind } from '../../content/fileInfo.js';
import type { LibraryDocument } from '../../content/model.js';
import { ukDate } from '../../content/publication.js';
import { SLUG } from '../../content/schema.js';
import { ALLOWED_DOCUMENTS_TEXT, baseName, documentUploadKind, storedFileName } from '../../content/uploads.js';
import { versionOf, type FileChange } from '../../store/contentStore.js';
import { message, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { addFileEntry, newDocumentText, removeFileEntry } from '../documents/documentText.js';
import { seeOther, sendHtml } from '../http.js';
import { saveChanges, type ChangesOutcome } from '../pages/saveChanges.js';
import { receiveUpload, type ReceivedUpload } from '../uploads/multipart.js';
import type { UploadGate } from '../uploads/uploadGate.js';
import { refusedForReview } from '../uploads/underReview.js';

const DOCUMENT_ROUTE = /^\/edit\/document\/([a-z0-9-]+)(?:\/(add|replace|remove)(?:\/([a-z0-9.-]+))?)?$/;
const LIMITS = { fileBytes: MAX_DOCUMENT_FILE_BYTES };
const ACCEPT = '.pdf,.csv,.xlsx,.ods,application/pdf,text/csv';

/** Addresses that take an upload (multipart/form-data), with the form token in the address. */
export function isDocumentUploadPath(path: string): boolean {
  if (path === '/edit/documents/new') return true;
  const m = DOCUMENT_ROUTE.exec(path);
  return m !== null && (m[2] === 'add' || (m[2] === 'replace' && m[3] !== undefined));
}

type Errors = Record<string, string>;

export function documentRoutes(context: EditorContext, gate: UploadGate): EditorRoute {
  return async (req, res) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === '/edit/documents/new' && refusedForReview(context, req, res, 'documents')) return true;
    if (req.path === '/edit/documents/new')
      return get
        ? newDocumentForm(context, res, {}, {})
        : limited(context, res, gate, () => createDocument(context, req, res));
    const m = DOCUMENT_ROUTE.exec(req.path);
    if (!m) return false;
    const [, id, action, file] = m as unknown as [string, string, string | undefined, string | undefined];
    const document = documentOf(context, id);
    if (!document) return noDocument(context, res, id);
    if (refusedForReview(context, req, res, 'documents')) return true;
    if (!action) return get ? filesPage(context, res, document, {}) : false;
    if (get) return false;
    if (action === 'add') return limited(context, res, gate, () => addFile(context, req, res, document));
    const listed = document.files.find((f) => f.name === file);
    if (!listed) return noDocument(context, res, id);
    if (action === 'replace')
      return limited(context, res, gate, () => replaceFile(context, req, res, document, listed.name));
    return removeFile(context, req, res, document, listed.name);
  };
}

/** The document as the editor's preview view has it (drafts of the site included). */
function documentOf(context: EditorContext, id: string): LibraryDocument | undefined {
  return (context.live.currentPreview() ?? context.live.current())?.model.library.documents.get(id);
}

async function limited(
  context: EditorContext,
  res: Response,
  gate: UploadGate,
  task: () => Promise<true>,
): Promise<true> {
  const done = await gate.run(task);
  if (done) return done;
  res.setHeader('Retry-After', '10');
  res.setHeader('Connection', 'close');
  sendHtml(
    res,
    503,
    message(context, 'The editor is busy', ['Other files are being uploaded. Try again in a moment.'], undefined, res),
  );
  return true;
}

function author(res: Response): { name: string; email: string } {
  const user = res.locals.editor!.user;
  return { name: user.displayName, email: user.email };
}

/** Reads the upload, or answers why it was refused (and closes the connection: the rest is never read). */
async function receive(context: EditorContext, req: Request, res: Response): Promise<ReceivedUpload | null> {
  const result = await receiveUpload(req, LIMITS);
  if (result.ok) return result.upload;
  const why =
    result.reason === 'too-large'
      ? `The file is larger than ${MAX_DOCUMENT_FILE_BYTES / 1024 / 1024} MB, the most a document's file may be. ` +
        'Nothing was saved. Publish a smaller file, or split it.'
      : 'The form could not be read. Nothing was saved. Go back, reload the page and try again.';
  sendHtml(
    res,
    result.status,
    message(context, 'The file was not uploaded', [why], { href: '/edit/', text: 'All pages' }, res),
  );
  return null;
}

/** The uploaded file's kind, checked by its bytes; an error for the file field otherwise. */
function checkUpload(upload: ReceivedUpload): { kind: FileKind; name: string; bytes: Buffer } | string {
  if (!upload.file || upload.file.bytes.length === 0)
    return upload.file ? 'The selected file is empty' : `Choose ${ALLOWED_DOCUMENTS_TEXT} to upload`;
  const kind = documentUploadKind(upload.file.name, upload.file.bytes);
  if (!kind.ok) return capitalise(kind.reason);
  return { kind: kind.kind, name: upload.file.name, bytes: upload.file.bytes };
}

// ---------------------------------------------------------------- a new document

interface NewValues {
  title?: string;
  name?: string;
  category?: string;
  summary?: string;
  fileTitle?: string;
}

function categories(context: EditorContext): string[] {
  const library = (context.live.currentPreview() ?? context.live.current())?.model.library;
  return [...new Set([...(library?.documents.values() ?? [])].map((d) => d.frontMatter.category))].sort();
}

function newDocumentForm(context: EditorContext, res: Response, values: NewValues, errors: Errors, status = 200): true {
  sendHtml(
    res,
    status,
    context.views.render('document-new', {
      ...signedIn(res, 'new-document'),
      pageTitle: 'Add a document',
      values,
      categories: categories(context),
      accept: ACCEPT,
      allowed: ALLOWED_DOCUMENTS_TEXT,
      maxMegabytes: MAX_DOCUMENT_FILE_BYTES / 1024 / 1024,
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { text: v }])),
      errors: Object.entries(errors).map(([k, v]) => ({ text: v, href: `#${k}` })),
    }),
  );
  return true;
}

async function createDocument(context: EditorContext, req: Request, res: Response): Promise<true> {
  const upload = await receive(context, req, res);
  if (!upload) return true;
  const f = upload.fields;
  const values: NewValues = {
    title: (f.title ?? '').trim(),
    name: (f.name ?? '').trim(),
    category: (f.category ?? '').trim(),
    summary: (f.summary ?? '').replace(/\s+/g, ' ').trim(),
    fileTitle: (f.fileTitle ?? '').trim(),
  };
  const errors: Errors = {};
  const shape = documentFrontMatterSchema.shape;
  const check = (
    field: keyof NewValues,
    schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
    label: string,
  ) => {
    if (values[field] === '') return void (errors[field] = `Enter ${label}`);
    const parsed = schema.safeParse(values[field]);
    if (!parsed.success) errors[field] = `${capitalise(label)} ${parsed.error!.issues[0]!.message}`;
  };
  check('title', shape.title, 'a title');
  if (values.name === '') errors.name = 'Enter the last part of the web address, for example survey-results-2011';
  else if (!SLUG.test(values.name!))
    errors.name =
      'The web address can only use lowercase letters, digits and single hyphens, for example survey-results';
  check('category', shape.category, 'a category');
  check('summary', shape.description, 'a summary');
  if (values.fileTitle) check('fileTitle', shape.title, 'the name of the file');
  const existing = new Set((await context.store.readAll()).entries.map((e) => e.path));
  const folder = `${DOCUMENTS_FOLDER}/${values.name}`;
  if (!errors.name && [...existing].some((p) => p.startsWith(`${folder}/`)))
    errors.name = `There is already a document at /${folder}/: choose another address`;
  const file = checkUpload(upload);
  if (typeof file === 'string') errors.file = file;
  if (Object.keys(errors).length > 0 || typeof file === 'string') return newDocumentForm(context, res, values, errors);

  const name = storedFileName(file.name, file.kind, () => false, values.name);
  const page = `${folder}/index.md`;
  const pageBytes = Buffer.from(
    newDocumentText({
      title: values.title!,
      summary: values.summary!,
      category: values.category!,
      published: ukDate(context.now()),
      file: name,
      ...(values.fileTitle ? { fileTitle: values.fileTitle } : {}),
    }),
  );
  const changes: FileChange[] = [
    { kind: 'write', path: `${folder}/${name}`, bytes: file.bytes, expectedVersion: null },
    { kind: 'write', path: page, bytes: pageBytes, expectedVersion: null },
  ];
  const outcome = await saveChanges(context, {
    changes,
    content: new Map([
      [`${folder}/${name}`, file.bytes],
      [page, pageBytes],
    ]),
    author: author(res),
    message: `Add the document “${values.title}” (${folder}/) with ${name}`,
  });
  if (outcome.kind !== 'saved')
    return newDocumentForm(context, res, values, outcomeErrors(outcome, `${folder}/${name}`, baseName(file.name)), 200);
  await audit(context, res, 'document-created', page, name);
  seeOther(res, `/edit/document/${values.name}?notice=created`);
  return true;
}

// ---------------------------------------------------------------- a document's files

function filesPage(
  context: EditorContext,
  res: Response,
  document: LibraryDocument,
  errors: Errors,
  status = 200,
): true {
  const notices: Record<string, string> = {
    created: 'The document is published with its file. Add more files, or edit its page to describe it.',
    added: 'The file is added and is on the website now.',
    replaced: 'The file is replaced. The earlier version is kept in the history.',
    removed: 'The file is removed from the website. It is kept in the history.',
  };
  const query = res.req.query.notice;
  sendHtml(
    res,
    status,
    context.views.render('document-files', {
      ...signedIn(res, 'pages'),
      pageTitle: `Files of ${document.frontMatter.title}`,
      document: {
        id: document.id,
        title: document.frontMatter.title,
        url: document.url,
        source: document.source,
      },
      files: document.files.map((f) => ({
        name: f.name,
        title: f.title,
        url: f.url,
        type: f.type.abbreviation,
        size: formatSize(f.size),
        version: versionOf(f.bytes),
      })),
      accept: ACCEPT,
      allowed: ALLOWED_DOCUMENTS_TEXT,
      maxMegabytes: MAX_DOCUMENT_FILE_BYTES / 1024 / 1024,
      notice: typeof query === 'string' ? notices[query] : undefined,
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { text: v }])),
      errors: Object.entries(errors).map(([k, v]) => ({ text: v, href: `#${k}` })),
    }),
  );
  return true;
}

async function addFile(context: EditorContext, req: Request, res: Response, document: LibraryDocument): Promise<true> {
  const upload = await receive(context, req, res);
  if (!upload) return true;
  const file = checkUpload(upload);
  if (typeof file === 'string') return filesPage(context, res, document, { file });
  const title = (upload.fields.fileTitle ?? '').trim();
  const folder = `${DOCUMENTS_FOLDER}/${document.id}`;
  const existing = new Set((await context.store.readAll()).entries.map((e) => e.path));
  const name = storedFileName(file.name, file.kind, (n) => existing.has(`${folder}/${n}`), document.id);
  const page = await context.store.read(document.source);
  const text = page ? addFileEntry(page.bytes.toString('utf8'), name, title || undefined) : null;
  if (!page || text === null)
    return filesPage(context, res, document, { file: `The page ${document.source} cannot be read: correct it first` });
  const pageBytes = Buffer.from(text);
  const outcome = await saveChanges(context, {
    changes: [
      { kind: 'write', path: `${folder}/${name}`, bytes: file.bytes, expectedVersion: null },
      { kind: 'write', path: document.source, bytes: pageBytes, expectedVersion: page.version },
    ],
    content: new Map([
      [`${folder}/${name}`, file.bytes],
      [document.source, pageBytes],
    ]),
    author: author(res),
    message: `Add ${name} to the document “${document.frontMatter.title}”`,
  });
  return answerSave(context, res, document, outcome, 'file-uploaded', `${folder}/${name}`, (failed) =>
    outcomeErrors(failed, `${folder}/${name}`, baseName(file.name)),
  );
}

async function replaceFile(
  context: EditorContext,
  req: Request,
  res: Response,
  document: LibraryDocument,
  name: string,
): Promise<true> {
  const upload = await receive(context, req, res);
  if (!upload) return true;
  const field = `replace-${name}`;
  const file = checkUpload(upload);
  if (typeof file === 'string') return filesPage(context, res, document, { [field]: file });
  const listed = FILE_TYPES[file.kind];
  if (!name.endsWith(`.${file.kind}`))
    return filesPage(context, res, document, {
      [field]:
        `${name} is a ${name.split('.').pop()!.toUpperCase()} file and can only be replaced by one: ` +
        `to offer a ${listed.abbreviation} file, add it as a new file`,
    });
  const path = `${DOCUMENTS_FOLDER}/${document.id}/${name}`;
  const current = await context.store.read(path);
  const expected = typeof upload.fields.version === 'string' ? upload.fields.version : '';
  if (!current || current.version !== expected)
    return filesPage(context, res, document, {
      [field]: `${name} changed since this page was opened: check it, then replace it again`,
    });
  const outcome = await saveChanges(context, {
    changes: [{ kind: 'write', path, bytes: file.bytes, expectedVersion: current.version }],
    content: new Map([[path, file.bytes]]),
    author: author(res),
    message: `Replace ${name} of the document “${document.frontMatter.title}”`,
  });
  return answerSave(context, res, document, outcome, 'file-replaced', path, (failed) =>
    outcomeErrors(failed, path, baseName(file.name), field),
  );
}

async function removeFile(
  context: EditorContext,
  req: Request,
  res: Response,
  document: LibraryDocument,
  name: string,
): Promise<true> {
  const field = `remove-${name}`;
  if (document.files.length === 1)
    return filesPage(context, res, document, {
      [field]: 'A document needs at least one file: add the new file first, or delete the whole document from its page',
    });
  const path = `${DOCUMENTS_FOLDER}/${document.id}/${name}`;
  const current = await context.store.read(path);
  const page = await context.store.read(document.source);
  const body = req.body as Record<string, unknown>;
  if (!current || !page || body.version !== current.version)
    return filesPage(context, res, document, { [field]: `${name} changed since this page was opened: check it again` });
  const text = removeFileEntry(page.bytes.toString('utf8'), name);
  if (text === null)
    return filesPage(context, res, document, { [field]: `${name} is not listed in ${document.source}` });
  const pageBytes = Buffer.from(text);
  const outcome = await saveChanges(context, {
    changes: [
      { kind: 'write', path: document.source, bytes: pageBytes, expectedVersion: page.version },
      { kind: 'remove', path, expectedVersion: current.version },
    ],
    content: new Map<string, Buffer | null>([
      [document.source, pageBytes],
      [path, null],
    ]),
    author: author(res),
    message: `Remove ${name} from the document “${document.frontMatter.title}”`,
  });
  return answerSave(context, res, document, outcome, 'file-removed', path, (failed) =>
    outcomeErrors(failed, path, name, field),
  );
}

// ---------------------------------------------------------------- shared

const NOTICES = { 'file-uploaded': 'added', 'file-replaced': 'replaced', 'file-removed': 'removed' } as const;

/** A change to a document's files answered: its problems on the files page, or the audit line and the way back. */
async function answerSave(
  context: EditorContext,
  res: Response,
  document: LibraryDocument,
  outcome: ChangesOutcome,
  event: keyof typeof NOTICES,
  path: string,
  errors: (failed: Exclude<ChangesOutcome, { kind: 'saved' }>) => Errors,
): Promise<true> {
  if (outcome.kind !== 'saved') return filesPage(context, res, document, errors(outcome));
  await audit(context, res, event, path);
  seeOther(res, `/edit/document/${document.id}?notice=${NOTICES[event]}`);
  return true;
}

/** A refused change's problems as field errors: those in the file at the file field, the rest in the summary. */
function outcomeErrors(
  outcome: Exclude<ChangesOutcome, { kind: 'saved' }>,
  path: string,
  shownName: string,
  field = 'file',
): Errors {
  if (outcome.kind === 'conflict')
    return { [field]: `${outcome.file} was changed by someone else a moment ago: nothing was saved. Try again` };
  const errors: Errors = {};
  const problems = outcome.diagnostics.filter((d) => d.severity === 'error');
  const inFile = problems.filter((d) => d.file === path);
  if (inFile.length > 0)
    errors[field] = inFile
      .map((d) => `"${shownName}" cannot be offered: ${d.message}${d.line > 1 ? ` (line ${d.line} of the file)` : ''}`)
      .join('. ');
  const others = problems.filter((d) => d.file !== path);
  if (others.length > 0)
    errors[inFile.length > 0 ? 'page' : field] = others
      .map((d) => `${d.file}, line ${d.line}: ${d.message}`)
      .join('. ');
  return errors;
}

async function audit(
  context: EditorContext,
  res: Response,
  event: 'document-created' | 'file-uploaded' | 'file-replaced' | 'file-removed',
  path: string,
  detail?: string,
): Promise<void> {
  await context.audit.record({
    event,
    user: res.locals.editor!.user.name,
    from: res.locals.clientAddress!,
    path,
    ...(detail ? { detail } : {}),
  });
}

function noDocument(context: EditorContext, res: Response, id: string): true {
  sendHtml(
    res,
    404,
    message(
      context,
      'There is no such document',
      [`There is no document "${id}", or no such file in it.`],
      { href: '/edit/', text: 'All pages' },
      res,
    ),
  );
  return true;
}

/** "19 KB", "1.2 MB". */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
