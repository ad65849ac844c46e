import type { WorkingCalendar } from '../calendar/index.js';
import type { Logger } from '../log/logger.js';
import type { ComplaintQuery, ComplaintUpdate, Store } from '../store/store.js';
import type { Complaint, ComplaintStatus } from './complaint.js';
import { composeCitizenMessage, type CitizenNotice } from './complaint-notifications.js';
import { findComplaintClass, type ComplaintClass, type ComplaintSettings } from './complaint-settings.js';
import { ComplaintError } from './errors.js';
import { assertTransition, finalStatuses } from './lifecycle.js';

/** Attempts at one change before a run of revision conflicts is reported as `concurrent-change`. */
const maxAttempts = 5;

/** Dependencies of ComplaintService. The clock is injected so that tests control every timestamp. */
export interface ComplaintServiceDependencies {
  store: Store;
  settings: ComplaintSettings;
  calendar: WorkingCalendar;
  clock: () => Date;
  logger: Logger;
}

/**
 * Details of a status change. `reason` is required for `ditolak`, `agency` for `dialihkan`
 * and `answer` for `dijawab`; the citizen receives each of them as written. `note` is an
 * optional remark for the history only.
 */
export interface StatusDetails {
  reason?: string;
  agency?: string;
  answer?: string;
  note?: string;
}

/** A change decided against one revision of a complaint, before it is written. */
interface PlannedChange {
  to: ComplaintStatus;
  changes: ComplaintUpdate['changes'];
  /** History note, for officers. */
  note?: string;
  notice: CitizenNotice;
}

/**
 * The one place where complaints change after filing: classification and status changes by
 * officers. Each change is checked against the lifecycle table, written with its history
 * entry and the message to the citizen in one store update, and retried when another writer
 * changed the complaint in between.
 */
export class ComplaintService {
  constructor(private readonly deps: ComplaintServiceDependencies) {}

  /** Returns the complaint with that ticket number; throws ComplaintError `not-found` when there is none. */
  async show(ticket: string): Promise<Complaint> {
    const complaint = await this.deps.store.findComplaint(ticket);
    if (!complaint) {
      throw new ComplaintError('not-found', `Complaint ${ticket} not found: check the ticket number (ADU-YYYY-NNNNN)`, ticket);
    }
    return complaint;
  }

  /** Returns the complaints matching the query, soonest deadline first. */
  list(query: ComplaintQuery = {}): Promise<Complaint[]> {
    return this.deps.store.listComplaints(query);
  }

  /**
   * Sets the class of a complaint, by class id or alias, and recomputes its deadline from the
   * time of receipt. A `diterima` complaint moves to `diverifikasi`; a `diverifikasi` or
   * `diproses` one keeps its status and the history records the old and new class. Setting
   * the class a verified complaint already has changes nothing and queues no message.
   * Throws ComplaintError `unknown-class`, `not-found`, `transition-not-allowed` (on `dijawab`
   * and the final statuses) or `concurrent-change`.
   */
  async classify(ticket: string, className: string, actor: string, note?: string): Promise<Complaint> {
    const complaintClass = this.#findClass(ticket, className);
    return this.#change(ticket, actor, (complaint) => this.#planClassification(complaint, complaintClass, note));
  }

  /**
   * Moves a complaint to another status allowed by the lifecycle table and queues a message to
   * the citizen. `diverifikasi` is reached only through classify, because it sets the deadline.
   * Throws ComplaintError `missing-note` when the status needs a detail that `details` lacks
   * (see StatusDetails), and `not-found`, `transition-not-allowed` or `concurrent-change`.
   */
  async setStatus(ticket: string, to: ComplaintStatus, actor: string, details: StatusDetails = {}): Promise<Complaint> {
    if (to === 'diverifikasi') {
      const classes = this.deps.settings.classes.map((entry) => entry.id).join(', ');
      throw new ComplaintError(
        'transition-not-allowed',
        `Complaint ${ticket} becomes diverifikasi only by classifying it, which also sets its deadline: ` +
          `classify it as one of ${classes}`,
        ticket,
      );
    }
    return this.#change(ticket, actor, (complaint) => planStatusChange(complaint, to, details));
  }

  /**
   * Loads the complaint, plans the change on that revision and writes it. On a revision
   * conflict it reloads and plans again, so the checks run on the state being changed.
   * A plan that returns undefined means there is nothing to change.
   */
  async #change(ticket: string, actor: string, plan: (complaint: Complaint) => PlannedChange | undefined): Promise<Complaint> {
    const { store, logger } = this.deps;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const complaint = await this.show(ticket);
      const planned = plan(complaint);
      if (!planned) return complaint;

      const update = this.#toUpdate(complaint, actor, planned);
      const result = await store.updateComplaint(update);
      if (result !== 'conflict') {
        logger.info(
          { ticket, actor, from: complaint.status, to: planned.to, classId: result.classId, revision: result.revision },
          'complaint changed',
        );
        return result;
      }
      logger.warn({ ticket, attempt, revision: complaint.revision }, 'complaint changed by another writer, retrying');
    }
    throw new ComplaintError(
      'concurrent-change',
      `Complaint ${ticket} kept changing while this change was saved (${maxAttempts} attempts): ` +
        'show it to see its current state, then try again',
      ticket,
    );
  }

  #toUpdate(complaint: Complaint, actor: string, planned: PlannedChange): ComplaintUpdate {
    const now = this.deps.clock();
    return {
      ticket: complaint.ticket,
      expectedRevision: complaint.revision,
      changes: planned.changes,
      history: { at: now, actor, from: complaint.status, to: planned.to, ...(planned.note ? { note: planned.note } : {}) },
      outbound: [
        {
          channel: complaint.channel,
          userId: complaint.userId,
          text: composeCitizenMessage(this.deps.settings, this.deps.calendar, planned.notice),
          ticket: complaint.ticket,
          createdAt: now,
        },
      ],
      now,
    };
  }

  #planClassification(complaint: Complaint, complaintClass: ComplaintClass, note: string | undefined): PlannedChange | undefined {
    const { ticket, status } = complaint;
    if (finalStatuses.includes(status)) {
      const message = `Complaint ${ticket} is ${status}, a final status, so its class cannot change`;
      throw new ComplaintError('transition-not-allowed', message, ticket);
    }
    if (status === 'dijawab') {
      throw new ComplaintError(
        'transition-not-allowed',
        `Complaint ${ticket} is dijawab: set it back to diproses before changing its class`,
        ticket,
      );
    }
    const verifying = status === 'diterima';
    if (!verifying && complaint.classId === complaintClass.id) return undefined;

    const dueAt = this.deps.calendar.computeDeadline(complaint.receivedAt, complaintClass.deadline);
    const to: ComplaintStatus = verifying ? 'diverifikasi' : status;
    const summary = verifying
      ? `Classified as ${complaintClass.id}`
      : `Class changed from ${complaint.classId ?? 'none'} to ${complaintClass.id}`;
    return {
      to,
      changes: { status: to, classId: complaintClass.id, dueAt },
      note: joinNotes(summary, note),
      notice: { ticket, status: to, statusChanged: verifying, classification: { classLabel: complaintClass.label, dueAt } },
    };
  }

  #findClass(ticket: string, className: string): ComplaintClass {
    try {
      return findComplaintClass(this.deps.settings, className);
    } catch (error) {
      if (error instanceof ComplaintError) throw new ComplaintError(error.code, `Complaint ${ticket}: ${error.message}`, ticket);
      throw error;
    }
  }
}

/** Plans a status change other than to `diverifikasi`, checking the lifecycle table and the required detail. */
function planStatusChange(complaint: Complaint, to: ComplaintStatus, details: StatusDetails): PlannedChange {
  const { ticket } = complaint;
  assertTransition(ticket, complaint.status, to);
  const notice: CitizenNotice = { ticket, status: to, statusChanged: true };
  switch (to) {
    case 'ditolak': {
      const reason = requireDetail(ticket, to, details.reason, 'reason');
      const note = joinNotes(`Reason: ${reason}`, details.note);
      return { to, changes: { status: to, rejectionReason: reason }, note, notice: { ...notice, reason } };
    }
    case 'dialihkan': {
      const agency = requireDetail(ticket, to, details.agency, 'agency name');
      const note = joinNotes(`Forwarded to: ${agency}`, details.note);
      return { to, changes: { status: to, forwardedTo: agency }, note, notice: { ...notice, agency } };
    }
    case 'dijawab': {
      const answer = requireDetail(ticket, to, details.answer, 'answer text');
      const note = joinNotes(`Answer: ${answer}`, details.note);
      return { to, changes: { status: to, answer }, note, notice: { ...notice, answer } };
    }
    default:
      return { to, changes: { status: to }, note: joinNotes(undefined, details.note), notice };
  }
}

/** Returns the trimmed detail, or throws `missing-note` naming the missing detail. */
function requireDetail(ticket: string, status: ComplaintStatus, value: string | undefined, detail: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    throw new ComplaintError(
      'missing-note',
      `Missing ${detail} for ${status} on complaint ${ticket}: give it in words for the citizen, who receives it unchanged`,
      ticket,
    );
  }
  return trimmed;
}

/** Joins the change summary and the officer's optional remark into one history note. */
function joinNotes(summary: string | undefined, remark: string | undefined): string | undefined {
  const parts = [summary, remark?.trim()].filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join('\n') : undefined;
}
