import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptedStream, type WAMessage } from '@whiskeysockets/baileys';
import { incoming, type KeyOptions } from './wa-messages.js';

/** One encrypted file on the media server. */
interface StoredFile {
  body: Buffer;
  /** HTTP statuses to answer before the file is served, one per request. */
  failures: number[];
}

/**
 * A local stand-in for WhatsApp's media CDN on 127.0.0.1. Files are encrypted with Baileys'
 * own `encryptedStream`, so the channel downloads and decrypts them with the real Baileys code.
 */
export class MediaServer {
  private readonly files = new Map<string, StoredFile>();
  private server: Server | undefined;
  readonly requests: string[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const path = request.url ?? '';
      this.requests.push(path);
      const file = this.files.get(path);
      const failure = file?.failures.shift();
      if (!file || failure) {
        response.writeHead(failure ?? 404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.body.length }).end(file.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Encrypts `bytes` as WhatsApp media of `type` and serves them at `path`; returns the media fields of a message. */
  async add(path: string, bytes: Buffer, type: 'image' | 'document', failures: number[] = []) {
    const encrypted = await encryptedStream(bytes, type);
    const body = await readFile(encrypted.encFilePath);
    await rm(encrypted.encFilePath, { force: true });
    this.files.set(path, { body, failures });
    return {
      url: `${this.url}${path}`,
      mediaKey: encrypted.mediaKey,
      fileSha256: encrypted.fileSha256,
      fileEncSha256: encrypted.fileEncSha256,
      fileLength: encrypted.fileLength,
    };
  }

  /** Makes the next requests for `path` fail with these statuses. */
  failNext(path: string, ...statuses: number[]): void {
    this.files.get(path)?.failures.push(...statuses);
  }
}

/** A photo message whose file is on the media server. */
export async function photo(server: MediaServer, bytes: Buffer, options: KeyOptions & { caption?: string; path?: string; failures?: number[] } = {}): Promise<WAMessage> {
  const media = await server.add(options.path ?? `/photo-${Math.random().toString(36).slice(2)}.enc`, bytes, 'image', options.failures);
  return incoming({ imageMessage: { ...media, mimetype: 'image/jpeg', ...(options.caption ? { caption: options.caption } : {}) } }, options);
}

/** A PDF sent with a caption, which WhatsApp wraps in `documentWithCaptionMessage`. */
export async function documentWithCaption(server: MediaServer, bytes: Buffer, caption: string, options: KeyOptions = {}): Promise<WAMessage> {
  const media = await server.add(`/doc-${Math.random().toString(36).slice(2)}.enc`, bytes, 'document');
  return incoming(
    { documentWithCaptionMessage: { message: { documentMessage: { ...media, mimetype: 'application/pdf', fileName: 'surat-pengajuan.pdf', caption } } } },
    options,
  );
}

/** A view-once photo whose content did arrive (`viewOnceMessageV2` wrapper). */
export async function viewOncePhoto(server: MediaServer, bytes: Buffer, options: KeyOptions = {}): Promise<WAMessage> {
  const media = await server.add(`/once-${Math.random().toString(36).slice(2)}.enc`, bytes, 'image');
  return incoming({ viewOnceMessageV2: { message: { imageMessage: { ...media, mimetype: 'image/jpeg', viewOnce: true } } } }, options);
}
