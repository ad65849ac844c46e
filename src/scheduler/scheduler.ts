import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log/logger.js';
import type { OutboxDispatcher } from '../outbox/outbox-dispatcher.js';
import type { ReminderScan, ScanResult } from '../reminders/reminder-scan.js';
import type { Store } from '../store/store.js';

/** Name of the store lease that lets one instance scan at a time. */
export const scanLeaseName = 'scheduler:reminder-scan';

export interface SchedulerOptions {
  store: Store;
  scan: ReminderScan;
  dispatcher: OutboxDispatcher;
  clock: () => Date;
  logger: Logger;
  /** Cron expression of the scan, in `timeZone`. */
  scanCron: string;
  /** Cron expression of the outbox rounds (six fields: with seconds). Default every 5 seconds. */
  dispatchCron?: string;
  timeZone: string;
  /** Lifetime of the scan lease; longer than a scan takes, shorter than an outage worth waiting out. */
  leaseMs?: number;
}

/**
 * Runs the timed jobs with node-cron in the office's zone: the reminder scan (by default
 * every minute) and the outbox rounds (every few seconds). node-cron never runs a tick that
 * was missed while the process was down, so the scan itself catches up: it looks at every
 * point up to now that is not recorded. Only the instance that holds the scan lease scans;
 * each job catches and logs its own errors, so a failure never stops the process or the next
 * run. Tests call `tick()` and `dispatch()` with a controlled clock instead of starting cron.
 */
export class Scheduler {
  /** This process's id as the lease holder. */
  readonly holder = randomUUID();
  private readonly tasks: ScheduledTask[] = [];
  private readonly leaseMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  /** Scans once when this instance holds (or takes) the lease; returns undefined when another instance holds it or the scan failed. */
  async tick(): Promise<ScanResult | undefined> {
    const { store, scan, clock, logger } = this.options;
    try {
      const now = clock();
      const leased = await store.acquireLease({ name: scanLeaseName, holder: this.holder, now, ttlMs: this.leaseMs });
      if (!leased) {
        logger.debug('reminder scan skipped: another instance holds the lease');
        return undefined;
      }
      const result = await scan.run(now);
      if (result.queued.length > 0 || result.closed.length > 0) {
        logger.info({ queued: result.queued.length, closed: result.closed.length }, 'reminder scan done');
      }
      return result;
    } catch (error) {
      logger.error({ err: error }, 'reminder scan failed; the next run tries again');
      return undefined;
    }
  }

  /** Runs one outbox round; errors are logged, not thrown. */
  async dispatch(): Promise<number> {
    try {
      return await this.options.dispatcher.runOnce();
    } catch (error) {
      this.options.logger.error({ err: error }, 'outbox round failed; the next run tries again');
      return 0;
    }
  }

  /** Starts the cron jobs; the first scan runs at once, to catch up after downtime. */
  start(): void {
    const { scanCron, dispatchCron = '*/5 * * * * *', timeZone } = this.options;
    const options = { timezone: timeZone, noOverlap: true, logger: this.cronLogger() };
    this.tasks.push(
      cron.schedule(scanCron, () => this.tick(), { ...options, name: 'reminder-scan' }),
      cron.schedule(dispatchCron, () => this.dispatch(), { ...options, name: 'outbox-dispatch' }),
    );
    void this.tick().then(() => this.dispatch());
  }

  /** Stops the cron jobs and gives up the lease. */
  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.destroy();
    try {
      await this.options.store.releaseLease({ name: scanLeaseName, holder: this.holder });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'scan lease not released; it expires by itself');
    }
  }

  /** node-cron's own messages, through our logger. */
  private cronLogger() {
    const { logger } = this.options;
    return {
      info: (message: string) => logger.debug({ source: 'node-cron' }, message),
      warn: (message: string) => logger.warn({ source: 'node-cron' }, message),
      error: (message: string | Error, err?: Error) => logger.error({ source: 'node-cron', err: err ?? message }, String(message)),
      debug: (message: string | Error) => logger.debug({ source: 'node-cron' }, String(message)),
    };
  }
}
