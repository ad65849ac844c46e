import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'telegraf/types';

/** A bot token in the format @BotFather issues, for tests only. */
export const stubToken = '123456789:AAStubTokenForTestsOnly_abcdefghij';

/** One Bot API request the stub received. */
export interface StubCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

/** The stub's answer: a Bot API result, a Bot API error, a bare HTTP status, or a dropped connection. */
export type StubAnswer =
  | { result: unknown }
  | { errorCode: number; description: string; retryAfter?: number }
  | { httpStatus: number }
  | { dropConnection: true };

/** Answers a call; `count` is how many calls of this method came before it, from 0. */
export type StubHandler = (body: Record<string, unknown>, count: number) => StubAnswer | undefined;

/** How long an empty getUpdates waits before answering [], like a short long poll, in milliseconds. */
const emptyPollMs = 50;

/**
 * A small Bot API server on 127.0.0.1 for the error paths that telegram-test-api cannot
 * produce (403, 409, 429, 400 entities, 5xx) and for file downloads. Methods answer success
 * unless a test installs a handler; getUpdates serves the updates pushed with `pushUpdate`.
 */
export class BotApiStub {
  readonly calls: StubCall[] = [];
  private readonly handlers = new Map<string, StubHandler>();
  private readonly files = new Map<string, { path: string; bytes: Buffer; status?: number }>();
  private readonly updates: Update[] = [];
  /** The highest offset a getUpdates call passed: like Telegram, earlier updates are confirmed and never served again. */
  private confirmedOffset = 0;
  private server: Server | undefined;
  private messageId = 1000;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Installs the answer of a method, replacing the default success. */
  on(method: string, handler: StubHandler): void {
    this.handlers.set(method, handler);
  }

  pushUpdate(update: Update): void {
    this.updates.push(update);
  }

  /** Serves a file for getFile(`fileId`) and at its download path; `status` makes the download fail. */
  addFile(fileId: string, bytes: Buffer, status?: number): void {
    this.files.set(fileId, { path: `documents/${fileId}.bin`, bytes, ...(status ? { status } : {}) });
  }

  callsOf(method: string): StubCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Waits until `count` calls of `method` arrived, failing after `timeoutMs`. */
  async waitForCalls(method: string, count: number, timeoutMs = 5000): Promise<StubCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsOf(method).length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} ${method} calls within ${timeoutMs} ms, got ${this.callsOf(method).length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.callsOf(method);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(file[1]!, response);

    const method = /^\/bot[^/]+\/([A-Za-z]+)$/.exec(url.pathname)?.[1];
    if (!method) return this.send(response, 404, { ok: false, error_code: 404, description: 'Not Found' });

    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const count = this.callsOf(method).length;
    this.calls.push({ method, body, at: Date.now() });

    const answer = this.handlers.get(method)?.(body, count) ?? (await this.defaultAnswer(method, body));
    if ('dropConnection' in answer) return void response.socket?.destroy();
    if ('result' in answer) return this.send(response, 200, { ok: true, result: answer.result });
    if ('httpStatus' in answer) return this.send(response, answer.httpStatus, { ok: false, error_code: answer.httpStatus, description: 'Internal Server Error' });
    const parameters = answer.retryAfter === undefined ? {} : { parameters: { retry_after: answer.retryAfter } };
    return this.send(response, answer.errorCode, { ok: false, error_code: answer.errorCode, description: answer.description, ...parameters });
  }

  private async defaultAnswer(method: string, body: Record<string, unknown>): Promise<StubAnswer> {
    switch (method) {
      case 'getMe':
        return { result: { id: 42, is_bot: true, first_name: 'Sapa Layanan', username: 'SapaLayananTestBot' } };
      case 'getUpdates': {
        this.confirmedOffset = Math.max(this.confirmedOffset, Number(body.offset ?? 0));
        const offset = this.confirmedOffset;
        let pending = this.updates.filter((update) => update.update_id >= offset);
        if (pending.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, emptyPollMs));
          pending = this.updates.filter((update) => update.update_id >= offset);
        }
        return { result: pending };
      }
      case 'sendMessage':
        return { result: { message_id: this.messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } };
      case 'getFile': {
        const stored = this.files.get(String(body.file_id));
        if (!stored) return { errorCode: 400, description: 'Bad Request: invalid file_id' };
        return { result: { file_id: body.file_id, file_unique_id: `u-${String(body.file_id)}`, file_size: stored.bytes.length, file_path: stored.path } };
      }
      default:
        return { result: true };
    }
  }

  private serveFile(path: string, response: ServerResponse): void {
    const stored = [...this.files.values()].find((file) => file.path === path);
    this.calls.push({ method: 'downloadFile', body: { path }, at: Date.now() });
    if (!stored) return void response.writeHead(404).end();
    if (stored.status) return void response.writeHead(stored.status).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.bytes.length }).end(stored.bytes);
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** Builds a private-chat text message update. */
export function textUpdate(updateId: number, chatId: number, text: string, messageId = updateId): Update {
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Siti' },
      from: { id: chatId, is_bot: false, first_name: 'Siti' },
      text,
    },
  };
}

const privateChat = (chatId: number) => ({ id: chatId, type: 'private' as const, first_name: 'Siti' });
const citizen = (chatId: number) => ({ id: chatId, is_bot: false, first_name: 'Siti' });

/** Builds a private-chat message update with the given content fields, such as `{ voice: … }`. */
export function messageUpdate(updateId: number, chatId: number, fields: Record<string, unknown>): Update {
  return {
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: privateChat(chatId), from: citizen(chatId), ...fields },
  } as unknown as Update;
}

/** Builds a private-chat photo update with three sizes, the largest `largestFileId`. */
export function photoUpdate(updateId: number, chatId: number, largestFileId: string, caption?: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: privateChat(chatId),
      from: citizen(chatId),
      photo: [
        { file_id: `${largestFileId}-small`, file_unique_id: 's', width: 90, height: 90 },
        { file_id: largestFileId, file_unique_id: 'l', width: 1280, height: 1280 },
        { file_id: `${largestFileId}-medium`, file_unique_id: 'm', width: 320, height: 320 },
      ],
      ...(caption === undefined ? {} : { caption }),
    },
  };
}

/** Builds a private-chat document update. */
export function documentUpdate(updateId: number, chatId: number, document: { fileId: string; fileName: string; mimeType: string; fileSize?: number }): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: privateChat(chatId),
      from: citizen(chatId),
      document: {
        file_id: document.fileId,
        file_unique_id: `u-${document.fileId}`,
        file_name: document.fileName,
        mime_type: document.mimeType,
        ...(document.fileSize === undefined ? {} : { file_size: document.fileSize }),
      },
    },
  };
}

/** Builds a button press on the message `messageId` the bot sent to a private chat. */
export function callbackUpdate(updateId: number, chatId: number, callbackId: string, data: string, messageId = 1): Update {
  return {
    update_id: updateId,
    callback_query: {
      id: callbackId,
      from: citizen(chatId),
      chat_instance: 'instance',
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: privateChat(chatId), text: 'menu' },
    },
  };
}
