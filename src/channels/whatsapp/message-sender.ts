import { BufferJSON, proto, type WAMessageContent, type WAMessageKey } from '@whiskeysockets/baileys';
import type { Logger } from '../../log/logger.js';
import type { WhatsAppSessionStore } from '../../store/whatsapp-sessions.js';
import { statusCodeOf } from './connection-policy.js';
import type { SendPacer } from './send-pacer.js';
import type { WhatsAppSocket } from './socket.js';

/** Outcome of sending to one chat. `retryable` is true when a later attempt may work, for the outbox's retries. */
export type DeliveryResult = { status: 'sent' } | { status: 'failed'; retryable: boolean; error: string };

/** Statuses of a failed send that repeating the same send cannot fix (a bad address or a refused account). */
const permanentStatuses = new Set([400, 401, 403, 404]);

export interface MessageSenderOptions {
  session: string;
  /** Returns the socket while the connection is open, undefined otherwise. */
  socket: () => WhatsAppSocket | undefined;
  /** Returns the session store, undefined before the channel started. */
  sessions: () => WhatsAppSessionStore | undefined;
  pacer: SendPacer;
  clock: () => Date;
  logger: Logger;
}

/**
 * Sends texts through the live socket, one at a time and paced, and keeps every sent message
 * in the store so that `getMessage` can resend it on WhatsApp's retry requests, after a restart too.
 */
export class MessageSender {
  constructor(private readonly options: MessageSenderOptions) {}

  /** Sends the texts in order and stops at the first failure. Never throws. */
  async send(jid: string, texts: readonly string[]): Promise<DeliveryResult> {
    for (const text of texts) {
      const result = await this.sendOne(jid, text);
      if (result.status === 'failed') return result;
    }
    return { status: 'sent' };
  }

  /**
   * Returns the content of a message the bot sent, for a retry request. An unknown id gives
   * undefined and never a placeholder, because Baileys would send the placeholder and use up
   * the retry.
   */
  async getMessage(key: WAMessageKey): Promise<WAMessageContent | undefined> {
    const sessions = this.options.sessions();
    if (!key.id || !sessions) return undefined;
    try {
      const content = await sessions.findSentMessage(this.options.session, key.id);
      return content === undefined ? undefined : proto.Message.fromObject(JSON.parse(content, BufferJSON.reviver) as object);
    } catch (error) {
      this.options.logger.warn({ messageId: key.id, err: error }, 'whatsapp sent message could not be read for a retry request');
      return undefined;
    }
  }

  /** Deletes sent messages older than `before`; a failure is logged, and the next prune catches up. */
  async prune(before: Date): Promise<void> {
    const sessions = this.options.sessions();
    if (!sessions) return;
    try {
      const deleted = await sessions.deleteSentMessagesBefore(this.options.session, before);
      if (deleted > 0) this.options.logger.debug({ deleted }, 'whatsapp sent messages past retention deleted');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'whatsapp sent messages could not be pruned');
    }
  }

  private async sendOne(jid: string, text: string): Promise<DeliveryResult> {
    const { logger } = this.options;
    await this.options.pacer.wait(jid);
    // Taken after the wait: the socket may have been replaced in the meantime.
    const socket = this.options.socket();
    if (!socket) return { status: 'failed', retryable: true, error: 'WhatsApp is not connected' };

    let sent;
    try {
      sent = await socket.sendMessage(jid, { text });
    } catch (error) {
      const statusCode = statusCodeOf(error);
      const retryable = statusCode === undefined || !permanentStatuses.has(statusCode);
      logger.warn({ statusCode, retryable, err: error }, 'whatsapp message could not be sent');
      return { status: 'failed', retryable, error: (error as Error).message ?? String(error) };
    }
    await this.keep(sent?.key.id, sent?.message);
    return { status: 'sent' };
  }

  private async keep(id: string | null | undefined, message: WAMessageContent | null | undefined): Promise<void> {
    const sessions = this.options.sessions();
    if (!id || !message || !sessions) return;
    try {
      await sessions.saveSentMessage(this.options.session, { id, content: JSON.stringify(message, BufferJSON.replacer), sentAt: this.options.clock() });
    } catch (error) {
      // The message was delivered. Only a later retry request for it finds nothing to resend.
      this.options.logger.warn({ messageId: id, err: error }, 'whatsapp sent message could not be stored for retry requests');
    }
  }
}
