import type { Logger } from '../log/logger.js';
import { recipientKeyOf, type ClaimedOutbound, type DeliveryOutcome, type Store } from '../store/store.js';
import type { OutboxSender, SendOutcome } from './outbox-sender.js';

/** Settings of the dispatcher; the defaults suit one office. */
export interface DispatcherTuning {
  /** Messages claimed per round. */
  batchSize: number;
  /** How long a claim lasts; a dispatcher that dies mid-send frees its messages after this. */
  claimMs: number;
  /** Attempts before a message is given up (`dead`). */
  maxAttempts: number;
  /** Wait before the second attempt; doubles per attempt up to `maxBackoffMs`. */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** Maximum wait honoured for a platform's "retry after"; a longer one is cut to it and reported. */
  maxRetryAfterMs: number;
  /** Minimum time between two sends on one channel (per-channel pacing). */
  minIntervalMs: Record<string, number>;
}

export const defaultDispatcherTuning: DispatcherTuning = {
  batchSize: 20,
  claimMs: 120_000,
  maxAttempts: 8,
  firstBackoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  maxRetryAfterMs: 3_600_000,
  minIntervalMs: { telegram: 40, whatsapp: 1000 },
};

/** A message that was given up, for the admin alert. */
export interface DeadLetter {
  message: ClaimedOutbound;
  error: string;
  /** The recipient cannot receive messages on the channel (blocked the bot), rather than a failing channel. */
  unreachable: boolean;
}

export interface DispatcherOptions {
  store: Store;
  senders: OutboxSender[];
  clock: () => Date;
  logger: Logger;
  tuning?: Partial<DispatcherTuning>;
  /** Waits between two sends of a channel; injected so that tests do not sleep. */
  pause?: (ms: number) => Promise<void>;
  /** Called once per message given up; errors it throws are logged. */
  onDeadLetter?: (dead: DeadLetter) => Promise<void>;
  /** Called when a platform requests a wait longer than `maxRetryAfterMs`. */
  onLongWait?: (wait: { channel: string; retryAfterMs: number }) => Promise<void>;
}

/**
 * Delivers the outbox: claims due messages of the channels that have a sender, sends each
 * once, and records the outcome. A failed message waits with capped exponential backoff (or
 * the platform's "retry after") and is given up after `maxAttempts`; an unreachable recipient
 * gives it up at once. Claims expire, so several dispatchers on one store share the work and
 * a crashed one's messages go out later. A round never throws.
 */
export class OutboxDispatcher {
  private readonly tuning: DispatcherTuning;
  private readonly senders: Map<string, OutboxSender>;
  private readonly lastSendAt = new Map<string, number>();
  private running: Promise<number> | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.tuning = { ...defaultDispatcherTuning, ...options.tuning };
    this.senders = new Map(options.senders.map((sender) => [sender.channel, sender]));
  }

  /** Channels this dispatcher delivers. */
  get channels(): string[] {
    return [...this.senders.keys()];
  }

  /**
   * Runs one round unless one is running, and returns the number of messages attempted.
   * Rounds do not overlap: a call during a round waits for it.
   */
  runOnce(): Promise<number> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<number> {
    const { store, logger, clock } = this.options;
    if (this.senders.size === 0) return 0;
    let claimed: ClaimedOutbound[];
    try {
      claimed = await store.claimOutbound({ channels: this.channels, now: clock(), limit: this.tuning.batchSize, claimMs: this.tuning.claimMs });
    } catch (error) {
      logger.error({ err: error }, 'outbox claim failed; the next round tries again');
      return 0;
    }
    // A recipient whose message waits for a retry keeps its later messages of this round: their
    // claims expire and they follow once the earlier one is sent or given up.
    const held = new Set<string>();
    let attempted = 0;
    for (const message of claimed) {
      const recipient = recipientKeyOf(message);
      if (held.has(recipient)) continue;
      attempted += 1;
      if (!(await this.deliver(message))) held.add(recipient);
    }
    return attempted;
  }

  /** Sends one message and records the outcome; returns false when the recipient's later messages must wait. */
  private async deliver(message: ClaimedOutbound): Promise<boolean> {
    const { store, logger } = this.options;
    const sender = this.senders.get(message.channel)!;
    await this.pace(message.channel);
    let result: SendOutcome;
    try {
      result = await sender.send(message.userId, message.text);
    } catch (error) {
      // A sender must not throw; treat it as a failure a retry may fix.
      result = { status: 'retry', error: `sender threw: ${(error as Error).message}` };
    }
    const outcome = this.decide(message, result);
    const fields = { messageId: message.id, channel: message.channel, ticket: message.ticket, attempt: message.attempts + 1 };
    try {
      const settled = await store.settleOutbound({ id: message.id, claimToken: message.claimToken, outcome });
      if (!settled) logger.warn(fields, 'outbox claim expired before the outcome was recorded; the message may be sent again');
    } catch (error) {
      logger.error({ ...fields, err: error }, 'outbox outcome could not be recorded; the message is retried after its claim expires');
      return false;
    }
    if (outcome.status === 'sent') {
      logger.debug(fields, 'outbox message sent');
    } else if (outcome.status === 'retry') {
      logger.warn({ ...fields, retryAt: outcome.retryAt, error: outcome.error }, 'outbox message failed; retrying later');
    } else {
      logger.error({ ...fields, error: outcome.error }, 'outbox message given up');
      await this.report(() => this.options.onDeadLetter?.({ message, error: outcome.error, unreachable: result.status === 'unreachable' }));
    }
    return outcome.status !== 'retry';
  }

  /** Turns a send's outcome into the delivery record: sent, a later retry, or given up. */
  private decide(message: ClaimedOutbound, result: SendOutcome): DeliveryOutcome {
    const now = this.options.clock();
    switch (result.status) {
      case 'sent':
        return { status: 'sent', at: now };
      case 'unreachable':
      case 'failed':
        return { status: 'dead', at: now, error: result.error };
      case 'retry': {
        const attempt = message.attempts + 1;
        if (attempt >= this.tuning.maxAttempts) return { status: 'dead', at: now, error: `${result.error} (after ${attempt} attempts)` };
        const backoffMs = Math.min(this.tuning.firstBackoffMs * 2 ** (attempt - 1), this.tuning.maxBackoffMs);
        let waitMs = result.retryAfterMs ?? backoffMs;
        if (waitMs > this.tuning.maxRetryAfterMs) {
          const retryAfterMs = waitMs;
          void this.report(() => this.options.onLongWait?.({ channel: message.channel, retryAfterMs }));
          waitMs = this.tuning.maxRetryAfterMs;
        }
        return { status: 'retry', retryAt: new Date(now.getTime() + waitMs), error: result.error };
      }
    }
  }

  /** Keeps at least the channel's minimum interval between two sends. */
  private async pace(channel: string): Promise<void> {
    const interval = this.tuning.minIntervalMs[channel] ?? 0;
    const last = this.lastSendAt.get(channel);
    const now = this.options.clock().getTime();
    if (last !== undefined && interval > 0 && now - last < interval) {
      await (this.options.pause ?? defaultPause)(interval - (now - last));
    }
    this.lastSendAt.set(channel, this.options.clock().getTime());
  }

  private async report(call: () => Promise<void> | undefined): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.options.logger.error({ err: error }, 'outbox alert could not be queued');
    }
  }
}

function defaultPause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
