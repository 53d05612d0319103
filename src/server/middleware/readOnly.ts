/**
 * The public site is read-only: GET and HEAD, and no request bodies. A
 * refused body is not read: the connection closes after the answer.
 */
import type { RequestHandler } from 'express';
import { sendText } from '../respond.js';

const ALLOWED_METHODS = 'GET, HEAD';

export function hasRequestBody(headers: {
  'content-length'?: string | undefined;
  'transfer-encoding'?: string | undefined;
}): boolean {
  return (
    (headers['content-length'] !== undefined && headers['content-length'] !== '0') ||
    headers['transfer-encoding'] !== undefined
  );
}

export function readOnly(): RequestHandler {
  return (req, res, next) => {
    const hasBody = hasRequestBody(req.headers);
    if (hasBody) res.setHeader('Connection', 'close');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', ALLOWED_METHODS);
      return sendText(res, 405, 'Method Not Allowed');
    }
    if (hasBody) return sendText(res, 413, 'Request bodies are not accepted');
    next();
  };
}
