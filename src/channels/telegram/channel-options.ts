import type { Catalog } from '../../catalog/load.js';
import type { Config } from '../../config/config.js';
import type { Reply } from '../../conversation/reply.js';
import type { Logger } from '../../log/logger.js';
import type { InboundPipeline } from '../../pipeline/inbound-pipeline.js';
import type { RetryPolicy } from './api-retry.js';
import { botApiMaxDownloadBytes, type FileDownloader } from './file-download.js';
import type { RestartBackoff } from './polling-supervisor.js';
import type { OutboxSender } from '../../outbox/outbox-sender.js';
import type { DeliveryResult } from './reply-sender.js';
import type { TelegramWebhook } from './webhook-handler.js';

/** Limits and waits of the channel; the defaults suit production, tests shorten them. */
export interface TelegramChannelTuning {
  /** Waits before launching polling or registering the webhook again after a failure. */
  restartBackoff: RestartBackoff;
  /** Retries of replies and file downloads; `maxRetryAfterMs` caps a 429's wait for a direct reply. */
  sendRetry: RetryPolicy;
  /** Largest file downloaded, in bytes, and the time limit of one download attempt, in milliseconds. */
  download: { maxBytes: number; timeoutMs: number };
  /** Number of recent update ids remembered to drop redeliveries. */
  recentUpdates: number;
  /** Updates in progress beyond which the update handler waits, which slows polling down. */
  maxPendingUpdates: number;
  /** Maximum wait at stop for updates in progress, in milliseconds. */
  stopGraceMs: number;
}

export const defaultTuning: TelegramChannelTuning = {
  restartBackoff: { firstMs: 1000, maxMs: 5 * 60_000, stableMs: 60_000 },
  sendRetry: { attempts: 5, firstDelayMs: 1000, maxDelayMs: 15_000, maxRetryAfterMs: 30_000 },
  download: { maxBytes: botApiMaxDownloadBytes, timeoutMs: 60_000 },
  recentUpdates: 10_000,
  maxPendingUpdates: 1000,
  stopGraceMs: 10_000,
};

export interface TelegramChannelOptions {
  config: NonNullable<Config['telegram']>;
  pipeline: Pick<InboundPipeline, 'receive'>;
  catalog: Catalog;
  logger: Logger;
  clock: () => Date;
  /** Replaces the Bot API file download, for tests against an emulator without files. */
  downloadFile?: FileDownloader;
  tuning?: Partial<TelegramChannelTuning>;
}

export type TelegramChannelState = 'starting' | 'running' | 'down' | 'stopped';

export interface TelegramChannelStatus {
  mode: 'polling' | 'webhook';
  state: TelegramChannelState;
  /** The last failure to reach the Bot API, kept after the channel recovers. */
  lastError?: { message: string; at: Date };
}

/** The Telegram channel: receives updates, hands them to the pipeline and sends the replies. */
export interface TelegramChannel {
  readonly mode: 'polling' | 'webhook';
  /** The endpoint to mount on the web server; present in webhook mode only. */
  readonly webhook?: TelegramWebhook;
  /** Starts long polling, or registers the webhook, in the background; never throws. */
  start(): void;
  /** Stops receiving, then waits within the grace period until the replies of updates in progress are sent. */
  stop(): Promise<void>;
  status(): TelegramChannelStatus;
  /** Sends replies to a chat outside an update (the outbox), after the chat's pending replies. */
  deliver(userId: string, replies: readonly Reply[], retry?: Partial<RetryPolicy>): Promise<DeliveryResult>;
  /** Sends outbox messages for the outbox dispatcher, one attempt each, in order per chat. */
  readonly outboxSender: OutboxSender;
  /** Resolves when no update is in progress and no reply is waiting to be sent. */
  whenIdle(): Promise<void>;
}
