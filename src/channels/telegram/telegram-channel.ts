import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Telegraf, TelegramError } from 'telegraf';
import type { Convenience, Update } from 'telegraf/types';
import type { Reply } from '../../conversation/reply.js';
import type { OutboxSender } from '../../outbox/outbox-sender.js';
import { KeyedQueue } from '../../pipeline/keyed-queue.js';
import { settledWithin } from '../../pipeline/settled-within.js';
import { errorLogFields, type RetryPolicy } from './api-retry.js';
import { ChannelAlerts, hintFor } from './channel-alerts.js';
import {
  defaultTuning,
  type TelegramChannel,
  type TelegramChannelOptions,
  type TelegramChannelState,
  type TelegramChannelStatus,
  type TelegramChannelTuning,
} from './channel-options.js';
import { botCommands } from './commands.js';
import { createBotApiDownloader } from './file-download.js';
import { InputHandler } from './input-handler.js';
import { LatestKeyboards } from './latest-keyboards.js';
import { Backoff, PollingSupervisor } from './polling-supervisor.js';
import { RecipientReachability } from './reachability.js';
import { readUpdate } from './read-update.js';
import { RecentIds } from './recent-ids.js';
import { ReplySender, userKeyOf, type DeliveryResult } from './reply-sender.js';
import { createWebhookHandler, type TelegramWebhook } from './webhook-handler.js';

export type {
  TelegramChannel,
  TelegramChannelOptions,
  TelegramChannelState,
  TelegramChannelStatus,
  TelegramChannelStore,
  TelegramChannelTuning,
} from './channel-options.js';
export type { TelegramAlert, TelegramAlertKind } from './channel-alerts.js';

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
  private readonly queue = new KeyedQueue();
  private readonly recentUpdates: RecentIds;
  private readonly reachability: RecipientReachability;
  private readonly inputs: InputHandler;
  /** Chat ids of the officers' groups in officers.yaml, where officer commands are answered. */
  private readonly officerGroups: ReadonlySet<string>;
  private readonly alerts: ChannelAlerts;
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
    this.officerGroups = new Set(
      options.catalog.officers.groups.map((group) => group.addresses.telegram).filter((chatId) => chatId !== undefined),
    );
    const { config, logger, clock } = options;
    this.tuning = { ...defaultTuning, ...options.tuning };
    this.recentUpdates = new RecentIds(this.tuning.recentUpdates);
    const store = options.store ?? (() => undefined);
    this.reachability = new RecipientReachability({ store, clock, logger });
    const latestKeyboards = new LatestKeyboards(this.tuning.keyboardChats);
    this.alerts = new ChannelAlerts({ onAlert: options.onAlert, clock, intervalMs: this.tuning.alertIntervalMs, token: config.token, logger });
    // webhookReply: false makes every call a real request whose errors reach the caller.
    this.bot = new Telegraf(config.token, { telegram: { ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}), webhookReply: false } });
    this.bot.use((context) => this.receiveUpdate(context.update));
    // telegraf's default handler rethrows, which would end polling.
    this.bot.catch((error, context) => logger.error({ updateId: context.update.update_id, ...errorLogFields(error) }, 'telegram update handler failed'));

    this.sender = new ReplySender({
      telegram: this.bot.telegram,
      logger,
      retry: this.tuning.sendRetry,
      signal: this.sendAbort.signal,
      onUnreachable: (chatId) => this.reachability.record(chatId, false),
      onKeyboardSent: (chatId, messageId) => latestKeyboards.record(chatId, messageId),
    });
    const downloadFile =
      options.downloadFile ??
      createBotApiDownloader(this.bot.telegram, { ...this.tuning.download, retry: this.tuning.sendRetry, signal: this.sendAbort.signal });
    this.inputs = new InputHandler({
      pipeline: options.pipeline,
      catalog: options.catalog,
      logger,
      clock,
      telegram: this.bot.telegram,
      downloadFile,
      sender: this.sender,
      reachability: this.reachability,
      latestKeyboards,
    });

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
        ...(options.store
          ? {
              lease: {
                store: options.store,
                // The bot id is the token's part before the colon, which is not secret.
                name: `telegram-poller:${config.token.split(':', 1)[0]}`,
                holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
                clock,
                timing: this.tuning.pollerLease,
                logger,
              },
            }
          : {}),
        onStandby: () => this.markStandby(),
        stopTimeoutMs: this.tuning.stopGraceMs,
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
    return this.queue.run(userId, async () => {
      if (await this.reachability.isUnreachable(userId)) return 'unreachable';
      return this.sender.send(userId, replies, retry);
    });
  }

  readonly outboxSender: OutboxSender = {
    channel: 'telegram',
    send: (userId, text) =>
      this.queue.run(userId, async () => {
        if (await this.reachability.isUnreachable(userId)) return { status: 'unreachable', error: 'the chat blocked the bot or no longer exists' };
        return this.sender.sendOnce(userId, text);
      }),
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

    const read = readUpdate(update, this.officerGroups);
    if (read.kind === 'ignored') {
      logger.debug({ updateId: update.update_id, reason: read.reason }, 'telegram update ignored');
      if (read.callbackQueryId) this.inputs.answerCallbackQuery(read.callbackQueryId);
      return;
    }
    if (read.kind === 'membership') {
      logger.info({ userKey: userKeyOf(read.chatId), reachable: read.reachable }, 'telegram citizen blocked or unblocked the bot');
      void this.queue.run(read.chatId, () => this.reachability.record(read.chatId, read.reachable));
      return;
    }

    const task = this.queue.run(read.chatId, () => this.inputs.handle(read, update.update_id));
    if (this.queue.size > this.tuning.maxPendingUpdates) await task;
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

  private markStandby(): void {
    if (this.stopping) return;
    this.state = 'standby';
  }

  private markDown(error: unknown, retryInMs: number): void {
    if (this.stopping) return;
    this.state = 'down';
    this.lastError = { message: errorLogFields(error).error.message, at: this.options.clock() };
    this.alerts.channelDown(error, this.mode, retryInMs);
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
