import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../calendar/index.js';
import type { Complaint } from '../complaints/complaint.js';
import type { ComplaintService } from '../complaints/complaint-service.js';
import { historyNote, type ComplaintSettings } from '../complaints/complaint-settings.js';
import { ComplaintError } from '../complaints/errors.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { RosterEvent } from '../officers/roster-schema.js';
import type { Officer, Roster } from '../officers/roster.js';
import type { OfficerNotices } from './officer-notices.js';
import { planPoints, runningStatuses, type PlannedPoint } from './reminder-plan.js';
import type { ReminderSettings } from './reminder-settings.js';

/** Most open complaints read per scan. */
const scanLimit = 10_000;

export interface ReminderScanDeps {
  store: Store;
  complaints: ComplaintService;
  notices: OfficerNotices;
  directory: Roster;
  settings: ReminderSettings;
  /** The office's complaint settings, for the history note of an automatic close. */
  complaintSettings: Pick<ComplaintSettings, 'historyNotes'>;
  calendar: WorkingCalendar;
  logger: Logger;
}

/** The result of one scan: the notices it queued and the complaints it closed. */
export interface ScanResult {
  /** Keys of the notices queued by this scan. */
  queued: string[];
  /** Tickets closed automatically. */
  closed: string[];
}

/**
 * Finds what is due at `now` and not yet done, does it once and records it under its key:
 * the arrival ping of a new complaint, reminders, the deadline ping, escalations, the
 * automatic close of an answered complaint, and each officer's morning digest. Because it
 * looks at every point up to `now` whose key is not recorded, a scan after downtime catches
 * up on everything missed, once. A failure on one complaint is logged and the scan goes on.
 */
export class ReminderScan {
  constructor(private readonly deps: ReminderScanDeps) {}

  async run(now: Date): Promise<ScanResult> {
    const result: ScanResult = { queued: [], closed: [] };
    const open = await this.deps.store.listComplaints({ statuses: [...runningStatuses, 'dijawab'], limit: scanLimit });
    for (const complaint of open) {
      try {
        await this.scanComplaint(complaint, now, result);
      } catch (error) {
        this.deps.logger.error({ ticket: complaint.ticket, err: error }, 'reminder scan failed for a complaint; the next scan tries again');
      }
    }
    try {
      await this.sendDigests(open, now, result);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'daily digest failed; the next scan tries again');
    }
    return result;
  }

  /** Queues the arrival ping of a complaint, unless it was queued before. */
  async announce(complaint: Complaint, now: Date): Promise<boolean> {
    const { notices } = this.deps;
    const officers = notices.arrivalAudience(complaint, now);
    const text = (reader: Officer) => notices.newComplaint(complaint, reader);
    const outbound = [...notices.toOutbound(officers, complaint, now, text), ...notices.toGroups('complaint-filed', complaint, now, text)];
    return this.deps.store.recordNotice({ key: arrivalKey(complaint), ticket: complaint.ticket, outbound, now });
  }

  private async scanComplaint(complaint: Complaint, now: Date, result: ScanResult): Promise<void> {
    const { store } = this.deps;
    const due = planPoints(complaint, this.deps.settings, this.deps.calendar).filter((point) => point.at <= now);
    const awaitingArrival = complaint.status === 'diterima';
    if (due.length === 0 && !awaitingArrival) return;

    // One read of the ledger per complaint, so that points already sent cost no write.
    const keys = [...(awaitingArrival ? [arrivalKey(complaint)] : []), ...due.map((point) => point.key)];
    const recorded = await store.findNoticeKeys(keys);
    if (awaitingArrival && !recorded.has(arrivalKey(complaint)) && (await this.announce(complaint, now))) {
      result.queued.push(arrivalKey(complaint));
    }
    for (const point of due) {
      if (recorded.has(point.key)) continue;
      if (point.kind === 'auto-close') {
        if (await this.autoClose(complaint, point, now)) result.closed.push(complaint.ticket);
        continue;
      }
      const outbound = this.outboundFor(complaint, point, now);
      if (await store.recordNotice({ key: point.key, ticket: complaint.ticket, outbound, now })) {
        result.queued.push(point.key);
        this.deps.logger.info({ ticket: complaint.ticket, key: point.key, recipients: outbound.length }, `complaint ${point.kind} queued`);
      }
    }
  }

  private outboundFor(complaint: Complaint, point: Exclude<PlannedPoint, { kind: 'auto-close' }>, now: Date) {
    const { notices } = this.deps;
    const officers = notices.audience(complaint, point.audience, now);
    if (officers.length === 0) {
      this.deps.logger.warn({ ticket: complaint.ticket, key: point.key }, 'no officer in the roster receives this point; recorded without a message');
    }
    const toAll = (event: RosterEvent, text: string) => [
      ...notices.toOutbound(officers, complaint, now, () => text),
      ...notices.toGroups(event, complaint, now, () => text),
    ];
    switch (point.kind) {
      case 'reminder':
        return toAll('deadline-reminder', notices.reminder(complaint, point.percent));
      case 'deadline':
        return toAll('deadline-reminder', notices.deadlineReached(complaint));
      case 'escalation':
        return toAll('escalation', notices.escalation(complaint, point.afterWorkingDays));
    }
  }

  /** Closes an answered complaint the citizen did not reply to; the citizen gets the status message. */
  private async autoClose(complaint: Complaint, point: PlannedPoint, now: Date): Promise<boolean> {
    const { complaints, store, logger } = this.deps;
    try {
      const note = historyNote(this.deps.complaintSettings, 'autoClosed', { days: this.deps.settings.autoCloseAfterWorkingDays });
      await complaints.setStatus(complaint.ticket, 'selesai', 'system', { note });
    } catch (error) {
      // Changed in the meantime (the citizen replied, an officer closed it): nothing to close.
      if (!(error instanceof ComplaintError) || error.code !== 'transition-not-allowed') throw error;
      logger.info({ ticket: complaint.ticket }, 'automatic close skipped: the complaint changed first');
    }
    const recorded = await store.recordNotice({ key: point.key, ticket: complaint.ticket, outbound: [], now });
    if (recorded) logger.info({ ticket: complaint.ticket }, 'complaint closed automatically');
    return recorded;
  }

  /**
   * On a working day, from the first opening on, sends each officer who handles complaints the
   * list of their open ones: the assignee their own, the pengelola_pengaduan officers the
   * unassigned ones too.
   */
  private async sendDigests(open: Complaint[], now: Date, result: ScanResult): Promise<void> {
    const { calendar, directory, notices, store } = this.deps;
    if (!calendar.isWorkingDay(now)) return;
    const local = DateTime.fromJSDate(now, { zone: calendar.timeZone });
    const opening = calendar.nextOpening(local.startOf('day').toJSDate());
    if (now < opening) return;
    const date = local.toISODate()!;

    const running = open.filter((complaint) => runningStatuses.includes(complaint.status));
    const readers = new Map<string, { officer: Officer; complaints: Complaint[] }>();
    const add = (officer: Officer, complaint?: Complaint) => {
      const entry = readers.get(officer.id) ?? { officer, complaints: [] };
      if (complaint && !entry.complaints.includes(complaint)) entry.complaints.push(complaint);
      readers.set(officer.id, entry);
    };
    const managers = directory.officersWithRole('pengelola_pengaduan', now);
    for (const manager of managers) add(manager);
    for (const complaint of running) {
      const assignee = complaint.assignee ? directory.find(complaint.assignee) : undefined;
      if (assignee) add(directory.actingFor(assignee, now), complaint);
      else for (const manager of managers) add(manager, complaint);
    }
    const warnings = calendar.warnings(now).map((warning) => warning.message);
    const keyOf = (officer: Officer) => `ringkasan|${date}|${officer.id}`;
    // Every scan of the day after the opening reaches here: read the ledger before writing texts.
    const sent = await store.findNoticeKeys([...readers.values()].map(({ officer }) => keyOf(officer)));
    for (const { officer, complaints } of readers.values()) {
      const key = keyOf(officer);
      if (sent.has(key)) continue;
      const text = notices.digest(date, complaints, now, warnings);
      const outbound = notices.toOutbound([officer], undefined, now, () => text);
      if (await store.recordNotice({ key, outbound, now })) result.queued.push(key);
    }
  }
}

/** Returns the ledger key of a complaint's arrival ping. */
function arrivalKey(complaint: Complaint): string {
  return `${complaint.ticket}|baru`;
}
