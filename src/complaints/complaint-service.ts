import type { WorkingCalendar } from '../calendar/index.js';
import type { Logger } from '../log/logger.js';
import { notifyFiled } from './filed-hook.js';
import type { ComplaintQuery, ComplaintUpdate, OutboundMessage, ProcessedMessage, Store } from '../store/store.js';
import { offlineChannel, type Complaint, type ComplaintStatus, type NewComplaint } from './complaint.js';
import { composeCitizenMessage } from './complaint-notifications.js';
import { joinNotes, planAssignment, planNote, planStatusChange, requireDetail, type PlannedChange, type StatusDetails } from './complaint-plans.js';
import { findComplaintClass, historyNote, type ComplaintClass, type ComplaintSettings } from './complaint-settings.js';
import { ComplaintError } from './errors.js';
import { finalStatuses } from './lifecycle.js';

export type { StatusDetails } from './complaint-plans.js';

/** Attempts at one change before a run of revision conflicts is reported as `concurrent-change`. */
const maxAttempts = 5;

/** Dependencies of ComplaintService. The clock is injected so that tests control every timestamp. */
export interface ComplaintServiceDependencies {
  store: Store;
  settings: ComplaintSettings;
  calendar: WorkingCalendar;
  clock: () => Date;
  logger: Logger;
  /** Called after an officer filed a complaint for a citizen, to ping the officers; errors are logged. */
  onComplaintFiled?: (complaint: Complaint) => Promise<unknown>;
}

/** A message to an officer or group queued with a change, such as the ping to a new assignee. */
export type OfficerMessage = Pick<OutboundMessage, 'channel' | 'userId' | 'text'>;

/** Options of a change besides its details. */
export interface ChangeOptions {
  /**
   * Queue the citizen's message about the change. Default true; false when the citizen made
   * the change and gets a direct reply instead.
   */
  notifyCitizen?: boolean;
  /**
   * Builds messages to officers from the complaint as read before the change. They are
   * queued in the same write as the change, so neither is saved without the other.
   */
  officerMessages?: (complaint: Complaint) => OfficerMessage[];
}

/**
 * The one place where complaints change after filing: classification, assignment, notes and
 * status changes by officers and by the citizen's reply to an answer. Each change is checked
 * against the lifecycle table, written with its history entry and its messages in one store
 * update, and retried when another writer changed the complaint in between.
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
  async setStatus(
    ticket: string,
    to: ComplaintStatus,
    actor: string,
    details: StatusDetails = {},
    options: ChangeOptions = {},
  ): Promise<Complaint> {
    if (to === 'diverifikasi') {
      const classes = this.deps.settings.classes.map((entry) => entry.id).join(', ');
      throw new ComplaintError(
        'transition-not-allowed',
        `Complaint ${ticket} becomes diverifikasi only by classifying it, which also sets its deadline: ` +
          `classify it as one of ${classes}`,
        ticket,
      );
    }
    return this.#change(ticket, actor, (complaint) => planStatusChange(this.deps.settings, complaint, to, details), options);
  }

  /**
   * Sets the officer who works on the complaint; see planAssignment for the statuses. The
   * caller checks that `assignee` is an officer of the complaint team. Throws ComplaintError
   * `not-found`, `transition-not-allowed` or `concurrent-change`.
   */
  async assign(ticket: string, assignee: string, actor: string, options: ChangeOptions = {}): Promise<Complaint> {
    return this.#change(ticket, actor, (complaint) => planAssignment(this.deps.settings, complaint, assignee), options);
  }

  /**
   * Sends the answer to the citizen and sets `dijawab`. A `diverifikasi` complaint first
   * moves to `diproses` in a change of its own, without a message to the citizen, because the
   * answer follows at once. Throws as setStatus does.
   */
  async answer(ticket: string, answer: string, actor: string): Promise<Complaint> {
    const current = await this.show(ticket);
    requireDetail(ticket, 'dijawab', answer, 'answer text');
    if (current.status === 'diverifikasi') {
      await this.#change(ticket, actor, (complaint) => {
        const planned = planStatusChange(this.deps.settings, complaint, 'diproses', {});
        return { ...planned, note: historyNote(this.deps.settings, 'processingForAnswer'), notice: undefined };
      });
    }
    return this.setStatus(ticket, 'dijawab', actor, { answer });
  }

  /**
   * Adds an internal note to the history. The status stays and the citizen gets no message.
   * Throws ComplaintError `missing-note` on an empty note.
   */
  async addNote(ticket: string, note: string, actor: string): Promise<Complaint> {
    return this.#change(ticket, actor, (complaint) => planNote(this.deps.settings, complaint, note));
  }

  /**
   * Files a complaint that an officer received in person, by phone or by letter, with the
   * officer as the actor of its first history entry. `message` is the officer's message, so
   * a redelivery of it files nothing and returns undefined.
   */
  async fileOnBehalf(complaint: NewComplaint, actor: string, message: ProcessedMessage): Promise<Complaint | undefined> {
    const result = await this.deps.store.fileComplaint({ complaint, message, actor, now: this.deps.clock() });
    if (result.status === 'duplicate') return undefined;
    this.deps.logger.info({ ticket: result.complaint.ticket, actor, source: complaint.source }, 'complaint filed by an officer');
    await notifyFiled(this.deps, result.complaint);
    return result.complaint;
  }

  /**
   * Loads the complaint, plans the change on that revision and writes it. On a revision
   * conflict it reloads and plans again, so the checks run on the state being changed.
   * A plan that returns undefined means there is nothing to change.
   */
  async #change(
    ticket: string,
    actor: string,
    plan: (complaint: Complaint) => PlannedChange | undefined,
    options: ChangeOptions = {},
  ): Promise<Complaint> {
    const { store, logger } = this.deps;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const complaint = await this.show(ticket);
      const planned = plan(complaint);
      if (!planned) return complaint;

      const update = this.#toUpdate(complaint, actor, planned, options);
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

  #toUpdate(complaint: Complaint, actor: string, planned: PlannedChange, options: ChangeOptions): ComplaintUpdate {
    const now = this.deps.clock();
    const outbound: ComplaintUpdate['outbound'] = [];
    // A complaint filed for a citizen without a chat address has nowhere to send the message,
    // so the officer informs the citizen.
    const reachable = complaint.channel !== offlineChannel;
    if (planned.notice && options.notifyCitizen !== false && reachable) {
      const text = composeCitizenMessage(this.deps.settings, this.deps.calendar, planned.notice);
      outbound.push({ channel: complaint.channel, userId: complaint.userId, text, ticket: complaint.ticket, createdAt: now });
    }
    for (const message of options.officerMessages?.(complaint) ?? []) {
      outbound.push({ ...message, ticket: complaint.ticket, createdAt: now });
    }
    return {
      ticket: complaint.ticket,
      expectedRevision: complaint.revision,
      changes: planned.changes,
      history: { at: now, actor, from: complaint.status, to: planned.to, ...(planned.note ? { note: planned.note } : {}) },
      outbound,
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
      ? historyNote(this.deps.settings, 'classified', { class: complaintClass.id })
      : historyNote(this.deps.settings, 'classChanged', { from: complaint.classId ?? '-', to: complaintClass.id });
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
