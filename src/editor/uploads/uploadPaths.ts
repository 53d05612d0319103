/** The editor's addresses that take an upload (multipart/form-data): nowhere else is such a body accepted. */
import { isDocumentUploadPath } from '../routes/documents.js';
import { isImageUploadPath } from '../routes/images.js';

export function isUploadPath(path: string): boolean {
  return isDocumentUploadPath(path) || isImageUploadPath(path);
}
