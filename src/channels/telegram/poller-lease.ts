import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/store.js';
import { errorLogFields } from './api-retry.js';

/** The store methods of a lease. */
export type LeaseStore = Pick<Store, 'acquireLease' | 'releaseLease'>;

/** Lifetime and intervals of the poller lease, in milliseconds. */
export interface PollerLeaseTiming {
  /** Lifetime of the lease: another instance may take over this long after the last renewal. */
  ttlMs: number;
  /** Interval between renewals while this instance holds the lease; keep it well under `ttlMs`. */
  renewMs: number;
  /** Interval between attempts to take the lease while another instance holds it or the store fails. */
  retryMs: number;
  /** Interval between checks for the store before it is connected, short so that polling starts soon after the connection. */
  storeWaitMs: number;
}

export interface PollerLeaseOptions {
  /** Returns the store once it is connected, undefined before. */
  store: () => LeaseStore | undefined;
  /** Lease name, the same for every instance that uses the bot token. */
  name: string;
  /** This instance's id in the lease. */
  holder: string;
  clock: () => Date;
  timing: PollerLeaseTiming;
  logger: Logger;
  /** Called when this instance took the lease: polling may start. */
  onAcquired: () => void;
  /** Called when another instance holds the lease, and after `onLost` when this instance lost it. */
  onStandby: () => void;
  /** Called when the lease was lost or may expire before the next renewal; polling must stop before this resolves. */
  onLost: () => Promise<void>;
}

/** Result of one attempt to take or renew the lease. */
type Attempt = 'taken' | 'held-by-another' | 'store-unavailable';

/**
 * Keeps the store lease that lets one instance poll a bot token, because Telegram returns 409
 * to every concurrent getUpdates caller but one. The holder renews the lease every `renewMs`.
 * A renewal that finds another holder loses the lease at once. A renewal that fails (the
 * store is unreachable) keeps polling only while the lease is certain to last until the next
 * renewal, so the holder stops before another instance can take the lease over. Without the
 * lease, the attempt repeats every `retryMs`, or every `storeWaitMs` until the store is connected.
 *
 * NOTE: each instance reads the lease times on its own clock, so this holds only while the
 * hosts' clocks differ by less than `renewMs`; keep them synchronised (NTP).
 */
export class PollerLease {
  /** End of the lease as last taken or renewed, while this instance holds it. */
  private heldUntil: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private stopped = true;
  private lastAttempt: Attempt | undefined;

  constructor(private readonly options: PollerLeaseOptions) {}

  /** Starts taking the lease, at once, then on its intervals. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the renewals and waits for an attempt in progress; the lease stays taken until `release`. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.attempt;
  }

  /** Gives up the lease when this instance holds it, so that another instance takes over without waiting for it to expire. */
  async release(): Promise<void> {
    if (this.heldUntil === undefined) return;
    this.heldUntil = undefined;
    const { store, name, holder, logger } = this.options;
    try {
      await store()?.releaseLease({ name, holder });
      logger.info({ lease: name }, 'telegram poller lease released');
    } catch (error) {
      logger.warn({ lease: name, ...errorLogFields(error) }, 'telegram poller lease not released; it expires by itself');
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const attempt = this.renew().catch((error: unknown) => {
        this.options.logger.error({ lease: this.options.name, ...errorLogFields(error) }, 'telegram poller lease attempt failed; trying again');
        this.schedule(this.options.timing.retryMs);
      });
      this.attempt = attempt;
      void attempt.finally(() => {
        if (this.attempt === attempt) this.attempt = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const { timing } = this.options;
    const now = this.options.clock().getTime();
    const attempt = await this.tryAcquire(now);
    const wasHeld = this.heldUntil !== undefined;
    // Recorded even after a stop, so that release() gives back a lease taken meanwhile.
    if (attempt === 'taken') this.heldUntil = now + timing.ttlMs;
    if (this.stopped) return;

    if (attempt === 'taken') {
      if (!wasHeld) {
        this.options.logger.info({ lease: this.options.name }, 'telegram poller lease taken; polling starts');
        this.options.onAcquired();
      }
      return this.schedule(timing.renewMs);
    }

    if (wasHeld) {
      const expiresBeforeNextRenewal = this.heldUntil! <= now + timing.renewMs;
      if (attempt === 'store-unavailable' && !expiresBeforeNextRenewal) return this.schedule(timing.renewMs);
      await this.lose(attempt);
      if (this.stopped) return;
      this.options.onStandby();
    } else if (attempt === 'held-by-another') {
      this.options.onStandby();
    }
    this.schedule(attempt === 'store-unavailable' && this.options.store() === undefined ? timing.storeWaitMs : timing.retryMs);
  }

  private async lose(attempt: Attempt): Promise<void> {
    this.heldUntil = undefined;
    const reason = attempt === 'held-by-another' ? 'another instance took it over' : 'the store could not renew it before it expires';
    this.options.logger.warn({ lease: this.options.name, reason }, 'telegram poller lease lost; polling stops');
    await this.options.onLost();
  }

  private async tryAcquire(now: number): Promise<Attempt> {
    const { store, name, holder, timing } = this.options;
    const connected = store();
    let attempt: Attempt = 'store-unavailable';
    let failure: unknown;
    try {
      if (connected) attempt = (await connected.acquireLease({ name, holder, now: new Date(now), ttlMs: timing.ttlMs })) ? 'taken' : 'held-by-another';
    } catch (error) {
      failure = error;
    }
    // Logged when the outcome changes, so that a long standby or outage is not logged every few seconds.
    if (attempt !== this.lastAttempt) this.logChange(attempt, failure);
    this.lastAttempt = attempt;
    return attempt;
  }

  private logChange(attempt: Attempt, failure: unknown): void {
    const { logger, name, timing } = this.options;
    if (attempt === 'held-by-another') {
      logger.info({ lease: name, retryInMs: timing.retryMs }, 'telegram bot token is polled by another instance; standing by');
    } else if (attempt === 'store-unavailable' && failure !== undefined) {
      logger.warn({ lease: name, ...errorLogFields(failure) }, 'telegram poller lease could not be taken or renewed; trying again');
    } else if (attempt === 'store-unavailable') {
      logger.info({ lease: name, retryInMs: timing.storeWaitMs }, 'telegram polling waits for the store to connect');
    }
  }
}
