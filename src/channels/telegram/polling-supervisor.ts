import { setTimeout as sleep } from 'node:timers/promises';
import type { Telegraf } from 'telegraf';
import type { Convenience } from 'telegraf/types';
import { PollerLease, type PollerLeaseOptions } from './poller-lease.js';

/** Interval at which `stop` repeats `bot.stop()` until the launch ends, in milliseconds. */
const stopCheckIntervalMs = 50;

/** Waits between restarts of a failed connection to the Bot API, in milliseconds. */
export interface RestartBackoff {
  /** First wait; doubles after each failure up to `maxMs`. */
  firstMs: number;
  maxMs: number;
  /** A run that lasted this long counts as healthy, so the next failure waits `firstMs` again. */
  stableMs: number;
}

/** Capped exponential backoff that starts again from the first wait after a healthy run. */
export class Backoff {
  private nextMs: number;
  private healthySince: number | undefined;

  constructor(private readonly settings: RestartBackoff) {
    this.nextMs = settings.firstMs;
  }

  /** Records that the connection works from now on. */
  markHealthy(now = Date.now()): void {
    this.healthySince = now;
  }

  /** Returns the wait before the next attempt and doubles the one after it. */
  nextDelay(now = Date.now()): number {
    if (this.healthySince !== undefined && now - this.healthySince >= this.settings.stableMs) this.nextMs = this.settings.firstMs;
    this.healthySince = undefined;
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.settings.maxMs);
    return delay;
  }
}

export interface PollingSupervisorOptions {
  bot: Telegraf;
  allowedUpdates: Convenience.UpdateType[];
  backoff: RestartBackoff;
  /** Called when getMe succeeded and polling is about to start. */
  onLaunched: () => void;
  /** Called when polling failed or could not start; it restarts after `retryInMs`. */
  onFailed: (error: unknown, retryInMs: number) => void;
  /** The store lease that lets one instance poll the token; without it polling starts at once. */
  lease?: Omit<PollerLeaseOptions, 'onAcquired' | 'onStandby' | 'onLost'>;
  /** Called when another instance holds the lease, so this one does not poll. */
  onStandby?: () => void;
  /** Maximum wait for polling to end after the lease was lost, in milliseconds. */
  stopTimeoutMs: number;
}

/**
 * Keeps telegraf's long polling running. `bot.launch()` resolves only when polling ends, so it
 * is never awaited at start-up. When it rejects (401 bad token, 409 another poller or a
 * webhook, or getMe failing at launch) the supervisor reports the error and launches again
 * after a capped exponential wait. telegraf retries network errors, 429 and 5xx of getUpdates
 * by itself and does not end polling for them. With a lease, polling runs only while this
 * instance holds it, so that two instances of the bot never poll together and get 409 in turn.
 */
export class PollingSupervisor {
  private readonly backoff: Backoff;
  private readonly lease: PollerLease | undefined;
  private running: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Whether polling should run: set by start or by taking the lease, cleared by stop or by losing it. */
  private active = false;

  constructor(private readonly options: PollingSupervisorOptions) {
    this.backoff = new Backoff(options.backoff);
    if (options.lease) {
      this.lease = new PollerLease({
        ...options.lease,
        onAcquired: () => this.startPolling(),
        onStandby: () => options.onStandby?.(),
        onLost: () => this.stopPolling(options.stopTimeoutMs),
      });
    }
  }

  /** Starts polling, or with a lease starts taking it and polls once it is taken. */
  start(): void {
    if (this.lease) this.lease.start();
    else this.startPolling();
  }

  /** Stops polling, waits at most `timeoutMs` for the current getUpdates call to end, then gives up the lease. */
  async stop(timeoutMs: number): Promise<void> {
    await this.lease?.stop();
    await this.stopPolling(timeoutMs);
    await this.lease?.release();
  }

  private startPolling(): void {
    this.active = true;
    this.launch();
  }

  private async stopPolling(timeoutMs: number): Promise<void> {
    this.active = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const running = this.running;
    if (!running) return;

    let settled = false;
    void running.then(() => {
      settled = true;
    });
    // A launch still in getMe or deleteWebhook creates its poller later, and bot.stop() before
    // that has nothing to stop, so the stop is repeated until the launch promise settles.
    const deadline = Date.now() + timeoutMs;
    while (!settled && Date.now() < deadline) {
      try {
        this.options.bot.stop('channel stopped');
      } catch {
        // telegraf throws "Bot is not running!" before its first poller exists.
      }
      await Promise.race([running, sleep(stopCheckIntervalMs)]);
    }
  }

  private launch(): void {
    if (!this.active) return;
    const launched = this.options.bot.launch({ allowedUpdates: this.options.allowedUpdates, dropPendingUpdates: false }, () => {
      this.backoff.markHealthy();
      if (this.active) this.options.onLaunched();
    });
    this.running = launched.then(
      () => this.ended(new Error('long polling ended without an error')),
      (error: unknown) => this.ended(error),
    );
  }

  private ended(error: unknown): void {
    if (!this.active) return;
    const retryInMs = this.backoff.nextDelay();
    this.options.onFailed(error, retryInMs);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch();
    }, retryInMs);
    this.restartTimer.unref();
  }
}
