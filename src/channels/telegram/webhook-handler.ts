import { createHash, timingSafeEqual } from 'node:crypto';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../log/logger.js';

/** Header in which Telegram sends the `secret_token` given to setWebhook. */
export const secretTokenHeader = 'x-telegram-bot-api-secret-token';

/** Largest webhook body accepted, in bytes; an update is a few kilobytes. */
const maxBodyBytes = 1024 * 1024;

/** Shortest interval between two log lines about rejected webhook requests, in milliseconds. */
const rejectionLogIntervalMs = 60_000;

/** The webhook endpoint, for the web server to mount as `POST <path>`. */
export interface TelegramWebhook {
  /** Path of TELEGRAM_WEBHOOK_URL, such as `/telegram`. */
  path: string;
  /** Handles one request with the standard Fetch API types, as Hono's `c.req.raw` provides. */
  handle(request: Request): Promise<Response>;
}

export interface WebhookHandlerOptions {
  path: string;
  secretToken: string;
  logger: Logger;
  /** Takes a parsed update; resolves once the update is queued, before its replies are sent. */
  receive: (update: Update) => Promise<void>;
  /** Returns false once the channel stops, so updates are left for Telegram to deliver again. */
  isAccepting: () => boolean;
}

/**
 * Creates the webhook endpoint. Every request must carry the secret token header, or gets
 * 403 and is not read. A valid update gets 200 as soon as it is queued, so Telegram does not
 * deliver it again. After the channel stops it gets 503, and Telegram retries later.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): TelegramWebhook {
  const expectedDigest = digest(options.secretToken);
  let lastRejectionLogAt = 0;
  let unloggedRejections = 0;

  const reject = (status: number, reason: string): Response => {
    unloggedRejections++;
    const now = Date.now();
    if (now - lastRejectionLogAt >= rejectionLogIntervalMs) {
      options.logger.warn({ status, reason, count: unloggedRejections }, 'telegram webhook requests rejected');
      lastRejectionLogAt = now;
      unloggedRejections = 0;
    }
    return new Response(null, { status });
  };

  return {
    path: options.path,
    async handle(request) {
      if (request.method !== 'POST') return reject(405, 'method is not POST');
      const secret = request.headers.get(secretTokenHeader);
      if (secret === null || !timingSafeEqual(digest(secret), expectedDigest)) return reject(403, 'missing or wrong secret token');
      if (Number(request.headers.get('content-length') ?? 0) > maxBodyBytes) return reject(413, 'body too large');

      const body = await request.text();
      if (Buffer.byteLength(body) > maxBodyBytes) return reject(413, 'body too large');
      const update = parseUpdate(body);
      if (!update) return reject(400, 'body is not a Telegram update');
      if (!options.isAccepting()) return new Response(null, { status: 503 });

      await options.receive(update);
      return new Response(null, { status: 200 });
    },
  };
}

/** Hashes a token so that the comparison takes the same time whatever its length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function parseUpdate(body: string): Update | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return undefined;
    return Number.isSafeInteger((value as { update_id?: unknown }).update_id) ? (value as Update) : undefined;
  } catch {
    return undefined;
  }
}
