import NodeCache from '@cacheable/node-cache';
import makeWASocket, {
  Browsers,
  isJidBroadcast,
  isJidNewsletter,
  isJidStatusBroadcast,
  makeCacheableSignalKeyStore,
  type AuthenticationState,
  type BaileysEventEmitter,
  type BaileysEventMap,
  type CacheStore,
  type WAMessage,
  type WAMessageContent,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../log/logger.js';

/**
 * The part of a Baileys socket the channel uses. The real socket from `makeWASocket`
 * satisfies it as it is; tests pass a fake that emits real Baileys events.
 */
export interface WhatsAppSocket {
  readonly ev: Pick<BaileysEventEmitter, 'on' | 'off'>;
  sendMessage(jid: string, content: { text: string }): Promise<WAMessage | undefined>;
  /** Requests an 8-character code to link the device by phone number (digits with country code, no `+`). */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Asks the sender's phone to upload a media file again, after its CDN copy expired. */
  updateMediaMessage(message: WAMessage): Promise<WAMessage>;
  readonly signalRepository: { lidMapping: { getPNForLID(lid: string): Promise<string | null> } };
  /** Closes the connection; the socket then emits `connection.update` with `connection: 'close'` and is dead. */
  end(error: Error | undefined): void | Promise<void>;
}

/** Inputs the channel passes to each new socket. */
export interface SocketParams {
  auth: AuthenticationState;
  /** Returns a message the bot sent, for WhatsApp's retry requests; undefined when unknown. */
  getMessage(key: WAMessageKey): Promise<WAMessageContent | undefined>;
  /** Retry counts of failed decryptions; created once per channel so that counts survive reconnects. */
  msgRetryCounterCache: CacheStore;
  logger: Logger;
}

/** The events the channel listens to, each with its listener. */
export type SocketListeners = { [E in 'creds.update' | 'connection.update' | 'messages.upsert' | 'lid-mapping.update']: (arg: BaileysEventMap[E]) => void };

/** Attaches listeners to a socket and returns a function that detaches them all again. */
export function attachListeners(socket: WhatsAppSocket, listeners: SocketListeners): () => void {
  socket.ev.on('creds.update', listeners['creds.update']);
  socket.ev.on('connection.update', listeners['connection.update']);
  socket.ev.on('messages.upsert', listeners['messages.upsert']);
  socket.ev.on('lid-mapping.update', listeners['lid-mapping.update']);
  return () => {
    socket.ev.off('creds.update', listeners['creds.update']);
    socket.ev.off('connection.update', listeners['connection.update']);
    socket.ev.off('messages.upsert', listeners['messages.upsert']);
    socket.ev.off('lid-mapping.update', listeners['lid-mapping.update']);
  };
}

/** Builds a new socket; the channel calls it again for every reconnect, because a closed socket is dead. */
export type SocketFactory = (params: SocketParams) => WhatsAppSocket;

/** Creates the retry counter cache Baileys would otherwise create per socket (one hour, as Baileys' default). */
export function createRetryCounterCache(): CacheStore {
  const cache = new NodeCache<unknown>({ stdTTL: 60 * 60, useClones: false });
  return {
    get: <T>(key: string) => cache.get(key) as T | undefined,
    set: (key, value) => cache.set(key, value),
    del: (key) => cache.del(key),
    flushAll: () => cache.flushAll(),
  };
}

/**
 * Opens a real connection to WhatsApp with Baileys 7. The WhatsApp Web version is the one
 * bundled with Baileys, because fetching the latest needs GitHub. The device shows as
 * "Sapa Layanan (Ubuntu)" under Linked devices, and it does not mark itself online, so the
 * office phone keeps its notifications.
 */
export const createBaileysSocket: SocketFactory = (params) =>
  makeWASocket({
    auth: { creds: params.auth.creds, keys: makeCacheableSignalKeyStore(params.auth.keys, params.logger) },
    logger: params.logger,
    browser: Browsers.ubuntu('Sapa Layanan'),
    markOnlineOnConnect: false,
    syncFullHistory: false,
    msgRetryCounterCache: params.msgRetryCounterCache,
    getMessage: params.getMessage,
    // Never match `@lid` here: v7 addresses most direct chats by LID, and a match skips decryption.
    shouldIgnoreJid: (jid) => isJidBroadcast(jid) || isJidNewsletter(jid) || isJidStatusBroadcast(jid),
  });

/**
 * Returns the logger Baileys writes to: at warn or above, because Baileys logs every
 * connection attempt and stanza at info and below, which would flood the log while offline.
 */
export function baileysLogger(logger: Logger): Logger {
  const warn = logger.levels.values.warn!;
  return logger.child({ module: 'baileys' }, { level: logger.levelVal > warn ? logger.level : 'warn' });
}
