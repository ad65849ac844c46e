import { downloadMediaMessage, type WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from '../../log/logger.js';
import { statusCodeOf } from './connection-policy.js';
import type { WhatsAppSocket } from './socket.js';

/** Raised when a file is larger than the download limit; it is not fetched, or its download is cut off. */
export class MediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The WhatsApp file is larger than the download limit of ${maxBytes} bytes`);
    this.name = 'MediaTooLargeError';
  }
}

/** Raised when a file left WhatsApp's servers and the sender's phone did not upload it again. */
export class MediaExpiredError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The WhatsApp file expired on the media server and could not be uploaded again', options);
    this.name = 'MediaExpiredError';
  }
}

/** HTTP statuses of WhatsApp's media server for a file that is no longer there. */
const expiredStatuses = new Set([404, 410]);

export interface MediaDownloadOptions {
  /** Largest file fetched, in bytes. */
  maxBytes: number;
  /** Returns the live socket, which asks the sender's phone to upload an expired file again. */
  socket: () => WhatsAppSocket | undefined;
  logger: Logger;
}

/**
 * Downloads and decrypts the image or document of a message. A file the media server no
 * longer has (404 or 410) triggers one re-upload request to the sender's phone and one more
 * download. Baileys 7.0.0-rc14 would do this itself, but it checks `error.status` while its
 * HTTP errors carry `output.statusCode`, so its own re-upload never starts.
 */
export async function downloadMedia(message: WAMessage, declaredSize: number | undefined, options: MediaDownloadOptions): Promise<Buffer> {
  if (declaredSize !== undefined && declaredSize > options.maxBytes) throw new MediaTooLargeError(options.maxBytes);
  try {
    return await fetchWithin(message, options.maxBytes);
  } catch (error) {
    if (!expiredStatuses.has(statusCodeOf(error) ?? 0)) throw error;
  }

  const socket = options.socket();
  if (!socket) throw new MediaExpiredError({ cause: new Error('WhatsApp is not connected, so no re-upload can be requested') });
  options.logger.info({ messageId: message.key.id }, 'whatsapp file expired on the media server; requesting a re-upload');
  let uploaded: WAMessage;
  try {
    uploaded = await socket.updateMediaMessage(message);
  } catch (error) {
    throw new MediaExpiredError({ cause: error });
  }
  try {
    return await fetchWithin(uploaded, options.maxBytes);
  } catch (error) {
    if (expiredStatuses.has(statusCodeOf(error) ?? 0)) throw new MediaExpiredError({ cause: error });
    throw error;
  }
}

/** Downloads the file as a stream and stops once it grows past `maxBytes`. */
async function fetchWithin(message: WAMessage, maxBytes: number): Promise<Buffer> {
  const stream = await downloadMediaMessage(message, 'stream', {});
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of stream as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new MediaTooLargeError(maxBytes);
    }
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}
