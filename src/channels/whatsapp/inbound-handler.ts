import { toNumber, type WAMessage } from '@whiskeysockets/baileys';
import type { Catalog } from '../../catalog/load.js';
import { fillText } from '../../catalog/texts-schema.js';
import { formatSize } from '../../conversation/render-complaint.js';
import type { Reply } from '../../conversation/reply.js';
import type { Logger } from '../../log/logger.js';
import type { InboundMedia, InboundMessage } from '../../pipeline/inbound-message.js';
import { PipelineClosedError, type InboundPipeline } from '../../pipeline/inbound-pipeline.js';
import type { KeyedQueue } from '../../pipeline/keyed-queue.js';
import type { WhatsAppChannelStore } from './channel-options.js';
import { resolveCitizen, toUserId, type CitizenAddress } from './identity.js';
import { downloadMedia, MediaExpiredError, MediaTooLargeError } from './media-download.js';
import type { MessageSender } from './message-sender.js';
import { renderReply } from './outbound-text.js';
import { readMessage, type MediaAttachment, type ReadMessage } from './read-message.js';
import { RecentKeys } from './recent-keys.js';
import type { WhatsAppSocket } from './socket.js';

export interface InboundHandlerOptions {
  pipeline: Pick<InboundPipeline, 'receive'>;
  catalog: Catalog;
  logger: Logger;
  clock: () => Date;
  sender: MessageSender;
  /** Runs the work of one citizen at a time; shared with outbox deliveries. */
  queue: KeyedQueue;
  /** Returns the live socket, undefined while disconnected. */
  socket: () => WhatsAppSocket | undefined;
  store: () => WhatsAppChannelStore | undefined;
  maxLateMs: number;
  downloadMaxBytes: number;
  recentMessages: number;
}

/** A citizen's message with what it means and who sent it. */
interface CitizenMessage {
  message: WAMessage;
  read: Exclude<ReadMessage, { kind: 'ignored' | 'non-conversational' }>;
  address: CitizenAddress;
  late: boolean;
}

/**
 * Handles `messages.upsert` events: decides which messages are a citizen talking, finds out
 * who the citizen is, downloads files, runs the pipeline and sends the replies. One citizen's
 * messages run one at a time in arrival order, different citizens in parallel.
 */
export class InboundHandler {
  private readonly recent: RecentKeys;
  /** LIDs whose records were merged into the phone number's in this process. */
  private readonly merged = new Set<string>();
  /** Citizens who got the late-reply notice since the connection last opened. */
  private readonly toldLate = new Set<string>();

  constructor(private readonly options: InboundHandlerOptions) {
    this.recent = new RecentKeys(options.recentMessages);
  }

  /** Forgets who was told about late replies, so that the next offline period tells them again. */
  connectionOpened(): void {
    this.toldLate.clear();
  }

  /**
   * Reads the messages of one upsert in order and queues each citizen's message. `notify`
   * is live; `append` carries messages sent while the bot was offline (answered as late)
   * and the bot's own sends (ignored as `fromMe`). Resolves once all are queued.
   */
  async receiveUpsert(event: { messages: WAMessage[]; type: 'notify' | 'append' }): Promise<void> {
    for (const message of event.messages) {
      try {
        await this.receive(message, event.type === 'append');
      } catch (error) {
        this.options.logger.error({ messageId: message.key?.id, err: error }, 'whatsapp message could not be read');
      }
    }
  }

  /** Merges the records of a LID into its phone number when WhatsApp reveals the pair. */
  async receiveMapping(mapping: { lid: string; pn: string }): Promise<void> {
    const address = { lidJid: mapping.lid, phoneJid: mapping.pn };
    const lidUserId = toUserId({ lidJid: mapping.lid });
    // Holds both citizens' queues, so no message of either runs during the merge.
    await this.options.queue.run(lidUserId, () =>
      this.options.queue.run(toUserId(address), () => this.mergeIdentity({ ...address, userId: toUserId(address), replyJid: mapping.pn })),
    );
  }

  private async receive(message: WAMessage, append: boolean): Promise<void> {
    const { logger } = this.options;
    const messageId = message.key.id ?? undefined;
    const read = readMessage(message);
    if (read.kind === 'ignored') {
      logger.debug({ messageId, reason: read.reason }, 'whatsapp message ignored');
      return;
    }
    if (read.kind === 'non-conversational') {
      // Not recorded as seen: after a decryption failure the real message follows under the same id.
      logger.debug({ messageId, reason: read.reason }, 'whatsapp message is not conversational; no reply');
      return;
    }
    const sentAt = toNumber(message.messageTimestamp) * 1000;
    if (append && sentAt > 0 && this.options.clock().getTime() - sentAt > this.options.maxLateMs) {
      logger.info({ messageId, sentAt: new Date(sentAt) }, 'whatsapp message arrived too late to be answered; ignored');
      return;
    }
    if (!this.recent.add(`${message.key.remoteJid}/${messageId}`)) {
      logger.debug({ messageId }, 'whatsapp message delivered again; ignored');
      return;
    }

    const socket = this.options.socket();
    const address = await resolveCitizen(message.key, async (lid) => (socket ? socket.signalRepository.lidMapping.getPNForLID(lid) : null));
    const citizen: CitizenMessage = { message, read, address, late: append };
    void this.options.queue.run(address.userId, () => this.handle(citizen));
  }

  /** Runs one citizen message to its replies; logs every failure instead of throwing. */
  private async handle(citizen: CitizenMessage): Promise<void> {
    const { logger, catalog } = this.options;
    const { address, read, message } = citizen;
    const ids = { userKey: `whatsapp:${address.userId}`, messageId: message.key.id, late: citizen.late };
    try {
      await this.mergeIdentity(address);
      let texts: string[];
      if (read.kind === 'view-once-unavailable') texts = [catalog.texts.whatsappViewOnceResend];
      else if (read.kind === 'unsupported') {
        logger.info({ ...ids, contentType: read.contentType }, 'whatsapp message type not supported; asked for text');
        texts = [catalog.texts.whatsappUnsupportedMessage];
      } else texts = await this.converse(citizen, read.text, read.media);

      if (texts.length === 0) return;
      if (citizen.late && !this.toldLate.has(address.userId)) {
        this.toldLate.add(address.userId);
        texts.unshift(catalog.texts.whatsappLateReply);
      }
      const result = await this.options.sender.send(address.replyJid, texts);
      if (result.status === 'failed') logger.error({ ...ids, error: result.error, retryable: result.retryable }, 'whatsapp reply could not be sent');
    } catch (error) {
      logger.error({ ...ids, err: error }, 'whatsapp message could not be handled');
    }
  }

  /** Downloads the file, runs the pipeline, and returns the texts to send: file notices first, then the replies. */
  private async converse(citizen: CitizenMessage, text: string, attachment: MediaAttachment | undefined): Promise<string[]> {
    const notices: string[] = [];
    const media: InboundMedia[] = [];
    if (attachment) {
      const received = await this.download(citizen, attachment);
      if (typeof received === 'string') notices.push(received);
      else media.push(received);
    }
    // A file that could not be received, sent without a caption, leaves nothing to converse about.
    if (media.length === 0 && notices.length > 0 && text.trim() === '') return notices;

    const message: InboundMessage = {
      channel: 'whatsapp',
      userId: citizen.address.userId,
      messageId: citizen.message.key.id!,
      text,
      receivedAt: this.options.clock(),
      ...(citizen.message.pushName ? { senderName: citizen.message.pushName } : {}),
      ...(media.length > 0 ? { media } : {}),
    };
    let replies: Reply[];
    try {
      replies = (await this.options.pipeline.receive(message)).replies;
    } catch (error) {
      const shuttingDown = error instanceof PipelineClosedError;
      this.options.logger[shuttingDown ? 'warn' : 'error'](
        { userKey: `whatsapp:${message.userId}`, messageId: message.messageId, err: error },
        shuttingDown ? 'whatsapp message arrived during shutdown; asked the citizen to send it again' : 'whatsapp message could not be processed',
      );
      replies = [{ text: this.options.catalog.texts.busyRejected }];
    }
    return [...notices, ...replies.flatMap((reply) => renderReply(reply))];
  }

  /** Returns the downloaded file, or the notice to send when it could not be received. */
  private async download(citizen: CitizenMessage, attachment: MediaAttachment): Promise<InboundMedia | string> {
    const { catalog, logger } = this.options;
    try {
      const bytes = await downloadMedia(citizen.message, attachment.declaredSize, {
        maxBytes: this.options.downloadMaxBytes,
        socket: this.options.socket,
        logger,
      });
      return {
        bytes,
        ...(attachment.declaredMimeType ? { declaredMimeType: attachment.declaredMimeType } : {}),
        ...(attachment.fileName ? { fileName: attachment.fileName } : {}),
      };
    } catch (error) {
      const ids = { userKey: `whatsapp:${citizen.address.userId}`, messageId: citizen.message.key.id, declaredSize: attachment.declaredSize };
      if (error instanceof MediaTooLargeError) {
        logger.info(ids, 'whatsapp file larger than the download limit; not received');
        return fillText(catalog.texts.whatsappMediaTooLarge, { maxSize: formatSize(error.maxBytes) });
      }
      if (error instanceof MediaExpiredError) {
        logger.warn({ ...ids, err: error }, 'whatsapp file expired and was not uploaded again; asked the citizen to resend it');
        return catalog.texts.whatsappMediaExpired;
      }
      logger.error({ ...ids, err: error }, 'whatsapp file download failed');
      return catalog.texts.whatsappMediaFailed;
    }
  }

  /**
   * Moves what was stored under the citizen's LID to the phone number once both are known,
   * at most once per LID and process. A failure is logged and tried again with the next message.
   */
  private async mergeIdentity(address: CitizenAddress): Promise<void> {
    const store = this.options.store();
    if (!address.phoneJid || !address.lidJid || !store || this.merged.has(address.lidJid)) return;
    const fromUserId = toUserId({ lidJid: address.lidJid });
    try {
      const result = await store.mergeUser({ channel: 'whatsapp', fromUserId, toUserId: address.userId });
      this.merged.add(address.lidJid);
      if (result.conversation !== 'none' || result.complaints > 0) {
        this.options.logger.info(
          { userKey: `whatsapp:${address.userId}`, conversation: result.conversation, complaints: result.complaints },
          'whatsapp citizen known by LID merged into the phone number',
        );
      }
    } catch (error) {
      this.options.logger.warn({ userKey: `whatsapp:${address.userId}`, err: error }, 'whatsapp LID could not be merged into the phone number; will retry');
    }
  }
}
