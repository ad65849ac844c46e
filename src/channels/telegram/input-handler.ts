import type { Telegram } from 'telegraf';
import type { Catalog } from '../../catalog/load.js';
import type { Reply } from '../../conversation/reply.js';
import type { Logger } from '../../log/logger.js';
import type { InboundMedia, InboundMessage } from '../../pipeline/inbound-message.js';
import { PipelineClosedError, type InboundPipeline } from '../../pipeline/inbound-pipeline.js';
import { errorLogFields } from './api-retry.js';
import type { FileDownloader } from './file-download.js';
import { receiveFiles } from './inbound-files.js';
import type { LatestKeyboards } from './latest-keyboards.js';
import type { RecipientReachability } from './reachability.js';
import type { CitizenInput } from './read-update.js';
import { userKeyOf, type ReplySender } from './reply-sender.js';

/** Longest text of a callback query answer that Telegram shows, in characters. */
const maxCallbackAnswerLength = 200;

export interface InputHandlerOptions {
  telegram: Pick<Telegram, 'answerCbQuery'>;
  pipeline: Pick<InboundPipeline, 'receive'>;
  catalog: Catalog;
  logger: Logger;
  clock: () => Date;
  downloadFile: FileDownloader;
  sender: ReplySender;
  reachability: RecipientReachability;
  latestKeyboards: LatestKeyboards;
}

/** Turns a citizen's message or button press into an inbound message and sends the replies. */
export class InputHandler {
  constructor(private readonly options: InputHandlerOptions) {}

  /**
   * Answers a button press, downloads the files, runs the pipeline and sends the replies; logs
   * every failure instead of throwing. The channel runs it in the chat's queue, so a button
   * press is checked against the keyboards of the replies to the chat's earlier updates.
   */
  async handle(input: CitizenInput, updateId: number): Promise<void> {
    const { logger, catalog, reachability, sender } = this.options;
    const userKey = userKeyOf(input.chatId);
    try {
      if (this.isStalePress(input)) {
        logger.info({ userKey, updateId }, 'telegram button of an older message pressed; not handled');
        this.answerCallbackQuery(input.callbackQueryId!, catalog.texts.staleButton.slice(0, maxCallbackAnswerLength));
        return;
      }
      if (input.callbackQueryId) this.answerCallbackQuery(input.callbackQueryId);
      // Not awaited: a reply to this message needs no store read, and a later 403 is recorded after this write.
      // For an officers' group the chat is the group, which the bot evidently is in again.
      void reachability.record(input.chatId, true);

      const files = await receiveFiles(input, {
        download: this.options.downloadFile,
        texts: catalog.texts,
        evidenceMaxBytes: catalog.complaints.limits.evidenceMaxBytes,
        logger,
      });
      const notices = files.notice ? [files.notice] : [];
      // A message whose only content was a file that did not arrive gets the notice alone.
      const hasContent = input.text.trim() !== '' || files.media.length > 0 || !files.notice;
      const replies = hasContent ? await this.runPipeline(input, files.media, updateId) : [];
      if (notices.length + replies.length > 0) await sender.send(input.chatId, [...notices, ...replies]);
    } catch (error) {
      logger.error({ userKey, updateId, ...errorLogFields(error) }, 'telegram update failed');
    }
  }

  /** Answers a callback query in the background, which stops the spinner on the button; `text` is shown in a pop-up. */
  answerCallbackQuery(callbackQueryId: string, text?: string): void {
    this.options.telegram.answerCbQuery(callbackQueryId, text).catch((error: unknown) => {
      this.options.logger.warn(errorLogFields(error), 'telegram callback query could not be answered');
    });
  }

  /** Hands the message to the pipeline and returns its replies, or the busy reply when it failed. */
  private async runPipeline(input: CitizenInput, media: InboundMedia[], updateId: number): Promise<Reply[]> {
    const { logger, catalog } = this.options;
    const message: InboundMessage = {
      channel: 'telegram',
      userId: input.groupSenderId ?? input.chatId,
      ...(input.groupSenderId ? { officersOnly: true } : {}),
      messageId: input.messageId,
      text: input.text,
      receivedAt: this.options.clock(),
      ...(input.senderName ? { senderName: input.senderName } : {}),
      ...(media.length > 0 ? { media } : {}),
    };
    try {
      return (await this.options.pipeline.receive(message)).replies;
    } catch (error) {
      const userKey = userKeyOf(input.chatId);
      if (error instanceof PipelineClosedError) logger.warn({ userKey, updateId }, 'telegram message arrived during shutdown; asked the citizen to send it again');
      else logger.error({ userKey, updateId, err: error }, 'telegram message could not be processed');
      return [{ text: catalog.texts.busyRejected }];
    }
  }

  /** Returns whether the input presses a button of an older message than the chat's latest keyboard. */
  private isStalePress(input: CitizenInput): boolean {
    const { callbackQueryId, buttonMessageId } = input;
    return callbackQueryId !== undefined && buttonMessageId !== undefined && this.options.latestKeyboards.isStale(input.chatId, buttonMessageId);
  }
}
