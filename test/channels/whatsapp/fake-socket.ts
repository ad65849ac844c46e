import { EventEmitter } from 'node:events';
import { Boom } from '@hapi/boom';
import {
  addTransactionCapability,
  DisconnectReason,
  generateWAMessageFromContent,
  type BaileysEventMap,
  type SignalKeyStoreWithTransaction,
  type WAMessage,
} from '@whiskeysockets/baileys';
import { LIDMappingStore } from '@whiskeysockets/baileys/lib/Signal/lid-mapping.js';
import type { SocketFactory, SocketParams, WhatsAppSocket } from '../../../src/channels/whatsapp/socket.js';
import { createSilentLogger } from '../../../src/log/logger.js';

/** The office number the fake sockets are linked to. */
export const officeJid = '6285600000001@s.whatsapp.net';

/** One message a fake socket sent. */
export interface SentText {
  jid: string;
  text: string;
  message: WAMessage;
}

/**
 * A socket that implements the channel's narrow socket interface without any network. Tests
 * drive it by emitting the events a Baileys socket emits (with real Baileys message objects),
 * and read what the channel sent. Its LID mapping is Baileys' own LIDMappingStore on the
 * channel's key store, as in a real socket.
 */
export class FakeSocket implements WhatsAppSocket {
  private readonly emitter = new EventEmitter();
  readonly ev = {
    on: <T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void) => void this.emitter.on(event, listener),
    off: <T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void) => void this.emitter.off(event, listener),
  };
  readonly signalRepository: { lidMapping: LIDMappingStore };
  readonly sent: SentText[] = [];
  readonly pairingCodeRequests: string[] = [];
  /** Replaces `updateMediaMessage`; the default rejects as a phone that cannot upload again. */
  onMediaReupload: (message: WAMessage) => Promise<WAMessage> = async () => {
    throw new Boom('Failed to re-upload media (3)', { statusCode: 412 });
  };
  /** Makes `sendMessage` throw this error, once per entry. */
  readonly sendFailures: Error[] = [];
  ended = false;
  readonly keys: SignalKeyStoreWithTransaction;

  constructor(readonly params: SocketParams) {
    this.keys = addTransactionCapability(params.auth.keys, createSilentLogger(), { maxCommitRetries: 1, delayBetweenTriesMs: 0 });
    this.signalRepository = { lidMapping: new LIDMappingStore(this.keys, createSilentLogger()) };
  }

  emit<T extends keyof BaileysEventMap>(event: T, arg: BaileysEventMap[T]): void {
    this.emitter.emit(event, arg);
  }

  /** Number of listeners the channel has on this socket. */
  listenerCount(): number {
    return this.emitter.eventNames().reduce((sum, name) => sum + this.emitter.listenerCount(name), 0);
  }

  async sendMessage(jid: string, content: { text: string }): Promise<WAMessage | undefined> {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    if (this.ended) throw new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    const message = generateWAMessageFromContent(jid, { extendedTextMessage: { text: content.text } }, { userJid: officeJid });
    this.sent.push({ jid, text: content.text, message });
    return message;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingCodeRequests.push(phoneNumber);
    return 'SAPA2026';
  }

  updateMediaMessage(message: WAMessage): Promise<WAMessage> {
    return this.onMediaReupload(message);
  }

  end(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  /** Opens the connection as a paired device does. */
  open(): void {
    this.params.auth.creds.registered = true;
    this.params.auth.creds.me = { id: officeJid, name: 'Diskop UKM Kalbar' };
    this.emit('creds.update', { registered: true, me: this.params.auth.creds.me });
    this.emit('connection.update', { connection: 'open' });
  }

  /** Closes the connection as Baileys does, with a Boom of `statusCode`. */
  close(statusCode: number, message = `closed with ${statusCode}`): void {
    this.end(new Boom(message, { statusCode }));
  }

  /** Emits a pairing QR code. */
  showQr(qr = '2@fake-qr-reference,fake-noise-key,fake-identity-key,fake-adv'): void {
    this.emit('connection.update', { qr });
  }
}

/** Builds fake sockets for a channel and keeps every one it built. */
export class FakeWhatsApp {
  readonly sockets: FakeSocket[] = [];

  readonly factory: SocketFactory = (params) => {
    const socket = new FakeSocket(params);
    this.sockets.push(socket);
    return socket;
  };

  /** The socket built last. */
  get current(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('The channel has not built a socket yet');
    return socket;
  }
}
