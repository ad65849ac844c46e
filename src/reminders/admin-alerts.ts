import type { Logger } from '../log/logger.js';
import type { DeadLetter } from '../outbox/outbox-dispatcher.js';
import type { Store } from '../store/store.js';
import type { Roster } from '../officers/roster.js';
import type { OfficerNotices } from './officer-notices.js';

/**
 * Queues alerts for the officers with the `admin` role: a message the outbox gave up, and a
 * platform that requests a very long wait. Each alert is recorded under a key, so a repeated
 * problem alerts once per message, or once per channel and hour.
 */
export class AdminAlerts {
  constructor(
    private readonly deps: { store: Store; directory: Roster; notices: OfficerNotices; clock: () => Date; logger: Logger },
  ) {}

  /**
   * Alerts about a message the outbox gave up. A citizen who blocked the bot is not alerted
   * (officers see it in the delivery record), but an officer or a group chat of the roster
   * that cannot be reached is: its address in officers.yaml is wrong, or the bot was removed.
   */
  async deadLetter(dead: DeadLetter): Promise<void> {
    const { message, error } = dead;
    if (dead.unreachable && !this.isRosterAddress(message.channel, message.userId)) return;
    // An alert to an admin that could not be sent would otherwise alert again, without end.
    if (this.isAdminAddress(message.channel, message.userId)) {
      this.deps.logger.error({ channel: message.channel, messageId: message.id }, 'alert to an admin could not be sent; check the admin addresses in officers.yaml');
      return;
    }
    const text = this.deps.notices.fill('deliveryFailed', { ticket: message.ticket ?? '-', channel: message.channel, error });
    await this.queue(`gagal|${message.id}`, text, message.ticket);
  }

  /** Alerts that a platform requested a wait longer than the dispatcher honours. */
  async longWait(wait: { channel: string; retryAfterMs: number }): Promise<void> {
    const minutes = String(Math.ceil(wait.retryAfterMs / 60_000));
    const hour = this.deps.clock().toISOString().slice(0, 13);
    await this.queue(`tunggu|${wait.channel}|${hour}`, this.deps.notices.fill('longWait', { channel: wait.channel, minutes }));
  }

  /**
   * Alerts that a channel is down or misconfigured, once per channel, kind and hour; the
   * channel's English details stay in the log.
   */
  async channelProblem(alert: { channel: string; kind: string }): Promise<void> {
    const problems = this.deps.notices.settings.labels.channelProblems;
    const problem = problems[alert.kind] ?? problems['other']!;
    const hour = this.deps.clock().toISOString().slice(0, 13);
    await this.queue(`kanal|${alert.channel}|${alert.kind}|${hour}`, this.deps.notices.fill('channelProblem', { channel: alert.channel, problem }));
  }

  private async queue(key: string, text: string, ticket?: string): Promise<void> {
    const { directory, notices, store, clock } = this.deps;
    const now = clock();
    const admins = directory.officersWithRole('admin', now);
    if (admins.length === 0 && directory.groupsFor('channel-status').length === 0) {
      this.deps.logger.warn({ key }, 'no admin or group in the roster receives this alert');
    }
    const outbound = [...notices.toOutbound(admins, undefined, now, () => text), ...notices.toGroups('channel-status', undefined, now, () => text)];
    await store.recordNotice({ key, ...(ticket ? { ticket } : {}), outbound, now });
  }

  private isRosterAddress(channel: string, userId: string): boolean {
    const { directory } = this.deps;
    if (directory.findByAddress(channel, userId)) return true;
    return directory.groups.some((group) => directory.addressesOf(group).some((address) => address.channel === channel && address.userId === userId));
  }

  private isAdminAddress(channel: string, userId: string): boolean {
    const { directory, clock } = this.deps;
    return directory
      .officersWithRole('admin', clock())
      .some((admin) => directory.addressesOf(admin).some((address) => address.channel === channel && address.userId === userId));
  }
}
