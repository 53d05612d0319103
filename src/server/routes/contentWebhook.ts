/**
 * The webhook that tells a delivery server to fetch the content remote now
 * rather than at its next timer: POST /__content/update, mounted before
 * the read-only public routes, only when CONTENT_WEBHOOK_SECRET is set.
 *
 * The sender proves it knows the secret, in one of the ways git hosts send
 * it: an HMAC-SHA-256 signature of the body in X-Hub-Signature-256 (GitHub,
 * Gitea, Forgejo), the secret itself in X-Gitlab-Token (GitLab), or
 * `Authorization: Bearer <secret>` (curl, a post-receive hook). Compared in
 * constant time; the body (at most 64 KB) is read only to check a
 * signature, and never otherwise used. Whatever it says, the server only
 * fetches the remote it was configured with: a webhook cannot name another.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Secret } from '../../config/config.js';
import type { Logger } from '../../logger.js';
import { sendText } from '../respond.js';

export const CONTENT_WEBHOOK_PATH = '/__content/update';
export const MAX_WEBHOOK_BODY = 64 * 1024;
const BODY_TIMEOUT_MS = 10_000;

export interface ContentWebhookOptions {
  secret: Secret;
  /** Starts an update; the answer does not wait for it. */
  update: () => void;
  logger: Logger;
}

export function contentWebhook(options: ContentWebhookOptions): RequestHandler {
  return (req, res, next) => {
    if (req.path !== CONTENT_WEBHOOK_PATH) return next();
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendText(res, 405, 'Method Not Allowed');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_WEBHOOK_BODY) {
      res.setHeader('Connection', 'close');
      return sendText(res, 413, 'Payload Too Large');
    }
    readBody(req, MAX_WEBHOOK_BODY).then(
      (body) => {
        if (body === null) {
          res.setHeader('Connection', 'close');
          return sendText(res, 413, 'Payload Too Large');
        }
        if (!authentic(req, body, options.secret)) {
          options.logger.warn({ reqId: res.locals.requestId }, 'content webhook refused: not signed with the secret');
          return sendText(res, 401, 'Unauthorized');
        }
        options.update();
        return sendText(res, 202, 'Accepted: fetching the content remote');
      },
      () => {
        res.setHeader('Connection', 'close');
        sendText(res, 400, 'Bad Request');
      },
    );
  };
}

/** The body, or null when it is longer than `limit` (reading stops there). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('the body did not arrive in time'));
    }, BODY_TIMEOUT_MS);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        clearTimeout(timer);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function authentic(req: IncomingMessage, body: Buffer, secret: Secret): boolean {
  const key = secret.reveal();
  const signature = header(req, 'x-hub-signature-256');
  if (signature !== undefined) return same(signature, `sha256=${createHmac('sha256', key).update(body).digest('hex')}`);
  const token = header(req, 'x-gitlab-token');
  if (token !== undefined) return same(token, key);
  const authorization = header(req, 'authorization');
  if (authorization !== undefined && /^Bearer /i.test(authorization)) return same(authorization.slice(7).trim(), key);
  return false;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant time whatever the lengths: both sides are hashed first. */
function same(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
