import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Logger } from '../../log/logger.js';
import { PipelineClosedError, type InboundPipeline } from '../../pipeline/inbound-pipeline.js';
import { isStoreUnavailable } from '../../store/errors.js';
import type { Store } from '../../store/store.js';
import { renderChatPage } from './chat-page.js';
import { rejectCrossSiteRequests } from './request-origin.js';

/** Maximum size of a simulator message body without files, in bytes; larger bodies get 413. */
const maxTextBodyBytes = 64 * 1024;
/**
 * Maximum size of a simulator message body with files, in bytes. It is larger than the evidence limit
 * on purpose, so that an oversized photo reaches the bot and the citizen gets its polite
 * explanation instead of an HTTP error.
 */
const maxMediaBodyBytes = 48 * 1024 * 1024;

const userSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\p{L}\p{N}._:@+-]+$/u, 'may contain only letters, digits and . _ : @ + -');

const mediaSchema = z.strictObject({
  fileName: z.string({ message: 'must be a string' }).max(255, 'must be at most 255 characters').optional(),
  mimeType: z.string({ message: 'must be a string' }).max(100, 'must be at most 100 characters').optional(),
  // Line breaks are allowed, as the base64 command wraps its output at 76 characters.
  data: z.preprocess((value) => (typeof value === 'string' ? value.replace(/\s+/g, '') : value), z.base64({ message: 'must be the file content in base64' })),
});

const simulatorMessageSchema = z.strictObject({
  user: userSchema,
  /** Message text, or the caption of files; may be empty when files are sent. */
  text: z.string({ message: 'must be a string' }).optional(),
  media: z.array(mediaSchema).max(10, 'must have at most 10 files').optional(),
  id: z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
})
  // A file may come without a caption; a message without files needs its text.
  .refine((message) => message.text !== undefined || (message.media?.length ?? 0) > 0, {
    path: ['text'],
    message: 'must be a string (it may be left out only when files are sent)',
  });

/** The web server's dependencies. */
export interface WebServerOptions {
  pipeline: InboundPipeline;
  logger: Logger;
  office: { name: string; shortName: string };
  /** Serve the chat page and the simulator API. */
  simulatorEnabled: boolean;
  /** Returns the current time; injected so tests control it. */
  clock: () => Date;
  /** Returns the messages queued for a web chat user (status changes, answers) and records them sent. */
  takeOutbound: Store['takeOutbound'];
  /** Returns whether the store is reachable now; `/readyz` reports it. Default: always ready. */
  isReady?: () => boolean | Promise<boolean>;
  /** Adds routes of other channels, such as the Telegram webhook, whether or not the simulator is enabled. */
  routes?: (app: Hono) => void;
}

/**
 * Builds the HTTP app: the chat page at `/`, the simulator API under `/api/simulator`
 * (`POST messages` as a citizen, `GET messages?user=` for what the bot queued for that
 * user), `/healthz` for the process and `/readyz` for the store.
 */
export function createWebApp(options: WebServerOptions): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ready = (await options.isReady?.()) ?? true;
    return ready ? c.json({ status: 'ready' }) : c.json({ status: 'not ready', reason: 'the store is not reachable' }, 503);
  });

  if (options.simulatorEnabled) {
    app.get('/', (c) => c.html(renderChatPage(options.office)));
    // Both methods change state: POST runs the message, GET marks the queued messages taken.
    app.use('/api/simulator/*', rejectCrossSiteRequests);
    app.get('/api/simulator/messages', async (c) => {
      const user = userSchema.safeParse(c.req.query('user') ?? '');
      if (!user.success) return c.json({ error: `Invalid request: user: ${user.error.issues[0]!.message}` }, 400);
      const messages = await options.takeOutbound('web', user.data, options.clock());
      return c.json({
        messages: messages.map((message) => ({
          text: message.text,
          ...(message.ticket ? { ticket: message.ticket } : {}),
          createdAt: message.createdAt.toISOString(),
        })),
      });
    });

    app.post('/api/simulator/messages', requireJsonContentType, bodyLimit({ maxSize: maxMediaBodyBytes, onError: (c) => c.json({ error: `Request body is larger than ${maxMediaBodyBytes} bytes` }, 413) }), async (c) => {
      const raw = await c.req.text();
      const size = Buffer.byteLength(raw);

      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return c.json({ error: 'Request body must be JSON such as {"user": "budi", "text": "halo"}' }, 400);
      }
      const parsed = simulatorMessageSchema.safeParse(body);
      if (!parsed.success) {
        const message = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
          .join('; ');
        return c.json({ error: `Invalid request: ${message}` }, 400);
      }

      if (size > maxTextBodyBytes && !parsed.data.media?.length) {
        return c.json({ error: `Request body without files is larger than ${maxTextBodyBytes} bytes` }, 413);
      }
      const media = parsed.data.media?.map((file) => ({
        bytes: Buffer.from(file.data, 'base64'),
        ...(file.fileName ? { fileName: file.fileName } : {}),
        ...(file.mimeType ? { declaredMimeType: file.mimeType } : {}),
      }));
      const result = await options.pipeline.receive({
        channel: 'web',
        userId: parsed.data.user,
        messageId: parsed.data.id ?? randomUUID(),
        text: parsed.data.text ?? '',
        receivedAt: options.clock(),
        ...(media && media.length > 0 ? { media } : {}),
      });
      return c.json({ replies: result.replies, ...(result.duplicate ? { duplicate: true } : {}) });
    });
  }

  options.routes?.(app);

  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (isStoreUnavailable(error) || error instanceof PipelineClosedError) {
      options.logger.warn({ err: error, path: c.req.path }, 'web request rejected with 503: store unavailable or shutting down');
      return c.json({ error: 'Service temporarily unavailable; retry in a few seconds' }, 503);
    }
    options.logger.error({ err: error, path: c.req.path }, 'web request failed');
    return c.json({ error: 'Internal server error; see the server log' }, 500);
  });
  return app;
}

/**
 * Rejects with 415 a body that is not declared as JSON. A page on another site can send
 * `text/plain` without a CORS preflight, but not `application/json`.
 */
const requireJsonContentType: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header('content-type');
  const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    const received = contentType === undefined ? 'no Content-Type' : `Content-Type ${contentType}`;
    return c.json({ error: `Unsupported media type: got ${received}; send the body as JSON with Content-Type: application/json` }, 415);
  }
  return next();
};

/** A running web server. */
export interface WebServer {
  /** The bound address, e.g. `http://127.0.0.1:3000`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the web server on `host:port` (port 0 picks a free port). */
export async function startWebServer(
  options: WebServerOptions & { host: string; port: number },
): Promise<WebServer> {
  const app = createWebApp(options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(instance));
    instance.once('error', (error: NodeJS.ErrnoException) => reject(describeListenError(error, options.host, options.port)));
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/** Turns a failure to listen into an error that names the setting to change. */
function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const hints: Record<string, string> = {
    EADDRINUSE: `Port ${port} on ${host} is already in use. Set PORT to a free port, or stop the other program.`,
    EACCES: `Port ${port} needs extra privileges. Set PORT to a number above 1023.`,
    EADDRNOTAVAIL: `HOST=${host} is not an address of this machine. Set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses.`,
    ENOTFOUND: `HOST=${host} is not a known host name. Set HOST to 127.0.0.1, 0.0.0.0 or one of this machine's addresses.`,
  };
  const hint = error.code ? hints[error.code] : undefined;
  return new Error(hint ?? `Cannot listen on ${host}:${port}: ${error.message}`, { cause: error });
}
