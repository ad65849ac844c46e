import type { Telegram } from 'telegraf';
import { callWithRetry, type RetryPolicy } from './api-retry.js';
import type { RemoteFile } from './read-update.js';

/** Fetches the bytes of a file a citizen sent; injected so tests can replace the Bot API file server. */
export type FileDownloader = (file: RemoteFile) => Promise<Buffer>;

/** Largest file the public Bot API lets a bot download with getFile: 20 MB. */
export const botApiMaxDownloadBytes = 20 * 1024 * 1024;

/** Raised when a file is larger than the download limit; it is not fetched, or its download is cut off. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than the download limit of ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/** Raised when the file server returns an HTTP error status; `transient` is true for 429 and 5xx. */
export class FileDownloadError extends Error {
  readonly transient: boolean;
  constructor(readonly status: number) {
    super(`The Bot API file server answered HTTP ${status}`);
    this.name = 'FileDownloadError';
    this.transient = status === 429 || status >= 500;
  }
}

export interface BotApiDownloaderOptions {
  /** Largest file fetched, in bytes. */
  maxBytes: number;
  /** Time limit of one download attempt, in milliseconds. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Aborted when the channel stops. */
  signal?: AbortSignal;
}

/**
 * Creates the downloader that requests the file path from the Bot API (`getFile`) and fetches
 * `<apiRoot>/file/bot<token>/<path>`. Both steps are retried after 5xx and network errors.
 * The URL contains the bot token, so no error or log line includes it.
 */
export function createBotApiDownloader(telegram: Pick<Telegram, 'getFileLink'>, options: BotApiDownloaderOptions): FileDownloader {
  const retryOptions = options.signal ? { signal: options.signal } : {};
  return async (file) => {
    if (file.fileSize !== undefined && file.fileSize > options.maxBytes) throw new FileTooLargeError(options.maxBytes);

    const url = await callWithRetry(() => telegram.getFileLink(file.fileId), options.retry, retryOptions);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      // A Bot API server started with --local returns a path on its own disk instead.
      throw new Error(`getFile returned a ${url.protocol} path; a Bot API server in --local mode is not supported`);
    }
    return callWithRetry(() => fetchBytes(url, options), options.retry, retryOptions);
  };
}

/** Fetches a URL's body, rejecting it once it grows past `maxBytes`. */
async function fetchBytes(url: URL, options: BotApiDownloaderOptions): Promise<Buffer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const response = await fetch(url, { signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw new FileDownloadError(response.status);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new FileTooLargeError(options.maxBytes);
  }

  const parts: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const part of response.body) {
      size += part.byteLength;
      if (size > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
      parts.push(part);
    }
  }
  return Buffer.concat(parts, size);
}
