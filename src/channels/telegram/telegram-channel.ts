import { setTimeout as sleep } from 'node:timers/promises';
import { Telegraf, TelegramError } from 'telegraf';
import type { Convenience, Update } from 'telegraf/types';
import type { Reply } from '../../conversation/reply.js';
import type { InboundMedia, InboundMessage } from '../../pipeline/inbound-message.js';
import type { OutboxSender } from '../../outbox/outbox-sender.js';
import { PipelineClosedError } from '../../pipeline/inbound-pipeline.js';
import { KeyedQueue } from '../../pipeline/keyed-queue.js';
import { settledWithin } from '../../pipeline/settled-within.js';
import { errorLogFields, type RetryPolicy } from './api-retry.js';
import {
  defaultTuning,
  type TelegramChannel,
  type TelegramChannelOptions,
  type TelegramChannelState,
  type TelegramChannelStatus,
  type TelegramChannelTuning,
} from './channel-options.js';
import { botCommands } from './commands.js';
import { createBotApiDownloader, FileTooLargeError, type FileDownloader } from './file-download.js';
import { Backoff, PollingSupervisor } from './polling-supervisor.js';
import { readUpdate, type CitizenInput } from './read-update.js';
import { RecentIds } from './recent-ids.js';
import { ReplySender, userKeyOf, type DeliveryResult } from './reply-sender.js';
import { createWebhookHandler, type TelegramWebhook } from './webhook-handler.js';

export type { TelegramChannel, TelegramChannelOptions, TelegramChannelState, TelegramChannelStatus, TelegramChannelTuning } from './channel-options.js';

/** Update types requested from Telegram; others are never delivered. */
const allowedUpdates: Convenience.UpdateType[] = ['message', 'edited_message', 'callback_query', 'my_chat_member'];

/**
 * Creates the Telegram channel from `config.telegram`: long polling, or a webhook when
 * `webhookUrl` is set. In webhook mode the web server must route `POST webhook.path` to
 * `webhook.handle`, for example with `createWebApp`'s `routes` option:
 * `routes: (app) => app.post(channel.webhook.path, (c) => channel.webhook.handle(c.req.raw))`.
 * Call `start()` once the pipeline exists, and `stop()` before closing the pipeline.
 */
export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  return new TelegramChannelRunner(options);
}

class TelegramChannelRunner implements TelegramChannel {
  readonly mode: 'polling' | 'webhook';
  readonly webhook?: TelegramWebhook;
  private readonly tuning: TelegramChannelTuning;
  private readonly bot: Telegraf;
  private readonly sender: ReplySender;
  private readonly downloadFile: FileDownloader;
  private readonly queue = new KeyedQueue();
  private readonly recentUpdates: RecentIds;
  /** Aborted at stop once the grace period is over: ends retry waits of replies and downloads. */
  private readonly sendAbort = new AbortController();
  /** Aborted at stop at once: ends the wait between two webhook registration attempts. */
  private readonly registrationAbort = new AbortController();
  private readonly polling: PollingSupervisor | undefined;
  private state: TelegramChannelState = 'stopped';
  private lastError: TelegramChannelStatus['lastError'];
  private started = false;
  private stopping = false;
  private registration: Promise<void> | undefined;
  private commandsRegistered = false;

  constructor(private readonly options: TelegramChannelOptions) {
    const { config, logger } = options;
    this.tuning = { ...defaultTuning, ...options.tuning };
    this.recentUpdates = new RecentIds(this.tuning.recentUpdates);
    // webhookReply: false makes every call a real request whose errors reach the caller.
    this.bot = new Telegraf(config.token, { telegram: { ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}), webhookReply: false } });
    this.bot.use((context) => this.receiveUpdate(context.update));
    // telegraf's default handler rethrows, which would end polling.
    this.bot.catch((error, context) => logger.error({ updateId: context.update.update_id, ...errorLogFields(error) }, 'telegram update handler failed'));

    this.sender = new ReplySender({ telegram: this.bot.telegram, logger, retry: this.tuning.sendRetry, signal: this.sendAbort.signal });
    this.downloadFile =
      options.downloadFile ??
      createBotApiDownloader(this.bot.telegram, { ...this.tuning.download, retry: this.tuning.sendRetry, signal: this.sendAbort.signal });

    if (config.webhookUrl) {
      if (!config.webhookSecret) throw new Error('TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is set');
      this.mode = 'webhook';
      this.webhook = createWebhookHandler({
        path: new URL(config.webhookUrl).pathname,
        secretToken: config.webhookSecret,
        logger,
        receive: (update) => this.receiveUpdate(update),
        isAccepting: () => !this.stopping,
      });
    } else {
      this.mode = 'polling';
      this.polling = new PollingSupervisor({
        bot: this.bot,
        allowedUpdates,
        backoff: this.tuning.restartBackoff,
        onLaunched: () => this.markRunning(),
        onFailed: (error, retryInMs) => this.markDown(error, retryInMs),
      });
    }
  }

  start(): void {
    // A stopped channel has aborted its retries for good, so it does not start again.
    if (this.started || this.stopping) return;
    this.started = true;
    this.state = 'starting';
    this.options.logger.info({ mode: this.mode }, 'telegram channel starting');
    if (this.polling) this.polling.start();
    else this.registration = this.registerWebhook();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const grace = this.tuning.stopGraceMs;
    await this.polling?.stop(grace);
    this.registrationAbort.abort();
    if (this.registration) await settledWithin(this.registration, grace);

    // Updates already taken from Telegram get their replies within the grace period, because
    // polling confirms its last batch to Telegram when it ends and that batch never comes again.
    const drained = await settledWithin(this.queue.drain(), grace);
    if (!drained) this.options.logger.warn({ pending: this.queue.size, graceMs: grace }, 'telegram channel stopped with updates still in progress');
    this.sendAbort.abort();
    this.state = 'stopped';
    this.options.logger.info({ mode: this.mode }, 'telegram channel stopped');
  }

  status(): TelegramChannelStatus {
    return { mode: this.mode, state: this.state, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  deliver(userId: string, replies: readonly Reply[], retry: Partial<RetryPolicy> = {}): Promise<DeliveryResult> {
    return this.queue.run(userId, () => this.sender.send(userId, replies, retry));
  }

  readonly outboxSender: OutboxSender = {
    channel: 'telegram',
    send: (userId, text) => this.queue.run(userId, () => this.sender.sendOnce(userId, text)),
  };

  whenIdle(): Promise<void> {
    return this.queue.drain();
  }

  /**
   * Handles one update from polling or the webhook. It drops redeliveries, then queues the
   * work per chat and returns without waiting for it, so one slow chat never holds up
   * telegraf's batch of updates, unless too many updates are already in progress.
   */
  private async receiveUpdate(update: Update): Promise<void> {
    const { logger } = this.options;
    if (!this.recentUpdates.add(update.update_id)) {
      logger.debug({ updateId: update.update_id }, 'telegram update delivered again; ignored');
      return;
    }

    const read = readUpdate(update);
    if (read.kind === 'ignored') {
      logger.debug({ updateId: update.update_id, reason: read.reason }, 'telegram update ignored');
      if (read.callbackQueryId) this.answerCallbackQuery(read.callbackQueryId);
      return;
    }
    if (read.kind === 'membership') {
      this.sender.setReachable(read.chatId, read.reachable);
      logger.info({ userKey: userKeyOf(read.chatId), reachable: read.reachable }, 'telegram citizen blocked or unblocked the bot');
      return;
    }

    if (read.callbackQueryId) this.answerCallbackQuery(read.callbackQueryId);
    const task = this.queue.run(read.chatId, () => this.handleInput(read, update.update_id));
    if (this.queue.size > this.tuning.maxPendingUpdates) await task;
  }

  /** Downloads the files, runs the pipeline and sends the replies; logs every failure instead of throwing. */
  private async handleInput(input: CitizenInput, updateId: number): Promise<void> {
    const { logger, catalog } = this.options;
    const userKey = userKeyOf(input.chatId);
    try {
      this.sender.setReachable(input.chatId, true);
      const media = await this.downloadFiles(input, userKey);
      const message: InboundMessage = {
        channel: 'telegram',
        userId: input.chatId,
        messageId: input.messageId,
        text: input.text,
        receivedAt: this.options.clock(),
        ...(input.senderName ? { senderName: input.senderName } : {}),
        ...(media.length > 0 ? { media } : {}),
      };

      let replies: Reply[];
      try {
        replies = (await this.options.pipeline.receive(message)).replies;
      } catch (error) {
        if (error instanceof PipelineClosedError) logger.warn({ userKey, updateId }, 'telegram message arrived during shutdown; asked the citizen to send it again');
        else logger.error({ userKey, updateId, err: error }, 'telegram message could not be processed');
        replies = [{ text: catalog.texts.busyRejected }];
      }
      if (replies.length > 0) await this.sender.send(input.chatId, replies);
    } catch (error) {
      logger.error({ userKey, updateId, ...errorLogFields(error) }, 'telegram update failed');
    }
  }

  private async downloadFiles(input: CitizenInput, userKey: string): Promise<InboundMedia[]> {
    const media: InboundMedia[] = [];
    for (const file of input.files) {
      try {
        const bytes = await this.downloadFile(file);
        media.push({ bytes, ...(file.mimeType ? { declaredMimeType: file.mimeType } : {}), ...(file.fileName ? { fileName: file.fileName } : {}) });
      } catch (error) {
        // TODO: tell the citizen that the file could not be received; InboundMedia has no way
        // to carry a file without its bytes, so for now the message goes on without it.
        const reason = error instanceof FileTooLargeError ? 'larger than the download limit' : 'download failed';
        this.options.logger.warn({ userKey, fileSize: file.fileSize, reason, ...errorLogFields(error) }, 'telegram file not received; message passed on without it');
      }
    }
    return media;
  }

  private answerCallbackQuery(callbackQueryId: string): void {
    this.bot.telegram.answerCbQuery(callbackQueryId).catch((error: unknown) => {
      this.options.logger.warn(errorLogFields(error), 'telegram callback query could not be answered');
    });
  }

  /** Checks the token with getMe and registers the webhook, retrying with capped backoff until it works or the channel stops. */
  private async registerWebhook(): Promise<void> {
    const { config } = this.options;
    const backoff = new Backoff(this.tuning.restartBackoff);
    while (!this.stopping) {
      try {
        this.bot.botInfo ??= await this.bot.telegram.getMe();
        await this.bot.telegram.setWebhook(config.webhookUrl!, { secret_token: config.webhookSecret!, allowed_updates: allowedUpdates, drop_pending_updates: false });
        this.markRunning();
        return;
      } catch (error) {
        if (this.stopping) return;
        const retryInMs = backoff.nextDelay();
        this.markDown(error, retryInMs);
        await sleep(retryInMs, undefined, { signal: this.registrationAbort.signal }).catch(() => undefined);
      }
    }
  }

  private markRunning(): void {
    if (this.stopping) return;
    this.state = 'running';
    this.options.logger.info({ mode: this.mode }, 'telegram channel running');
    if (!this.commandsRegistered) {
      this.commandsRegistered = true;
      void this.registerCommands();
    }
  }

  private markDown(error: unknown, retryInMs: number): void {
    if (this.stopping) return;
    this.state = 'down';
    this.lastError = { message: errorLogFields(error).error.message, at: this.options.clock() };
    // TODO: alert the officers with the `admin` role once officer notifications exist.
    this.options.logger.error({ mode: this.mode, retryInMs, hint: hintFor(error), ...errorLogFields(error) }, 'telegram channel is down; retrying');
  }

  private async registerCommands(): Promise<void> {
    try {
      await this.bot.telegram.setMyCommands(botCommands());
    } catch (error) {
      // The command menu is a convenience: typing the same words works without it. Test
      // emulators return HTTP 500 for this method, so only a 4xx (a wrong command list) is a warning.
      const clientError = error instanceof TelegramError && error.code < 500;
      this.options.logger[clientError ? 'warn' : 'debug'](errorLogFields(error), 'telegram command menu could not be registered');
    }
  }
}

/** Returns what the operator should check after a Bot API failure, when the error code identifies the cause. */
function hintFor(error: unknown): string | undefined {
  if (!(error instanceof TelegramError)) return undefined;
  if (error.code === 401 || error.code === 404) return 'TELEGRAM_BOT_TOKEN is invalid or was revoked; set a token from @BotFather';
  if (error.code === 409) return 'another process is receiving updates for this bot token (a second instance polling, or a webhook); stop it';
  return undefined;
}
