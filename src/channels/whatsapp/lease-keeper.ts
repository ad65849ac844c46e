import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/store.js';
import type { ChannelLease } from './channel-options.js';

/**
 * Creates the lease on an office number's session in the store, named `whatsapp:<session>`,
 * for a holder unique to this process. A holder that dies keeps it until `ttlMs` has passed.
 */
export function createStoreLease(
  store: Pick<Store, 'acquireLease' | 'releaseLease'>,
  options: { session: string; ttlMs: number; clock: () => Date },
): ChannelLease {
  const name = `whatsapp:${options.session}`;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return {
    acquire: () => store.acquireLease({ name, holder, now: options.clock(), ttlMs: options.ttlMs }),
    release: () => store.releaseLease({ name, holder }),
  };
}

export interface LeaseKeeperOptions {
  /** The lease; without one every `take` succeeds. */
  lease: ChannelLease | undefined;
  /** Interval of renewals while the lease is held, in milliseconds. */
  renewMs: number;
  /** Called when a renewal finds that another holder has the lease now. */
  onLost: () => void;
  logger: Logger;
}

/** Holds the session lease: takes it, renews it on an interval while held, and releases it. */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private leaseHeld = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Takes the lease, or returns true at once when it is already held. Resolves false while another holder has it. */
  async take(): Promise<boolean> {
    const { lease } = this.options;
    if (!lease || this.leaseHeld) return true;
    let acquired = false;
    try {
      acquired = await lease.acquire();
    } catch (error) {
      this.options.logger.error({ err: error }, 'whatsapp session lease could not be taken');
    }
    if (!acquired) return false;
    this.leaseHeld = true;
    this.timer = setInterval(() => void this.renew(), this.options.renewMs);
    this.timer.unref();
    return true;
  }

  /** Stops renewing and releases the lease; a failed release is logged, because the lease then expires by itself. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    if (!this.leaseHeld) return;
    this.leaseHeld = false;
    try {
      await this.options.lease!.release();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'whatsapp session lease could not be released; it expires by itself');
    }
  }

  private async renew(): Promise<void> {
    let renewed = false;
    try {
      renewed = await this.options.lease!.acquire();
    } catch (error) {
      // The lease still runs until its time to live ends; the next renewal tries again.
      this.options.logger.error({ err: error }, 'whatsapp session lease could not be renewed');
      return;
    }
    if (renewed || !this.leaseHeld) return;
    clearInterval(this.timer);
    this.leaseHeld = false;
    this.options.onLost();
  }
}
