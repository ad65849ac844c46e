import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Catalog } from '../catalog/load.js';
import type { Complaint } from '../complaints/complaint.js';
import { verifyPin } from '../complaints/filing.js';
import type { Store } from '../store/store.js';
import type { ComplaintSummary } from './complaint-draft.js';
import type { ResultEvent } from './events.js';
import type { ConversationCommand } from './machine-setup.js';
import { topicLabel } from './render-complaint.js';

/** The citizen a command runs for, and the time of the message. */
export interface CommandScope {
  channel: string;
  userId: string;
  userKey: string;
  now: Date;
}

/** Most complaints listed by the status menu. */
const maxOwnComplaints = 10;

/**
 * Executes the machine's read commands (status lookups and PIN checks) against the store
 * and returns the result event to send back into the machine. Filing is not here: it is
 * committed together with the conversation turn.
 */
export class CommandRunner {
  constructor(private readonly deps: { store: Store; catalog: Catalog; calendar: WorkingCalendar }) {}

  async run(command: Exclude<ConversationCommand, { kind: 'fileComplaint' | 'discardMedia' }>, scope: CommandScope): Promise<ResultEvent> {
    switch (command.kind) {
      case 'listOwnComplaints':
        return this.listOwn(scope);
      case 'lookupTicket':
        return this.lookUp(command.ticket, scope);
      case 'checkPin':
        return this.checkPin(command.ticket, command.pin, scope);
    }
  }

  private async listOwn(scope: CommandScope): Promise<ResultEvent> {
    const complaints = await this.deps.store.listComplaints({ channel: scope.channel, userId: scope.userId, limit: 100 });
    const newestFirst = complaints.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime()).slice(0, maxOwnComplaints);
    return { type: 'OWN_COMPLAINTS', complaints: newestFirst.map((complaint) => this.toSummary(complaint)) };
  }

  /**
   * Shows the citizen's own complaint at once. Any other ticket, existing or not, needs its
   * PIN, unless wrong PINs have locked the check, which is said before a PIN is asked.
   */
  private async lookUp(ticket: string, scope: CommandScope): Promise<ResultEvent> {
    const complaint = await this.deps.store.findComplaint(ticket);
    if (complaint && complaint.channel === scope.channel && complaint.userId === scope.userId) {
      return { type: 'STATUS_FOUND', summary: this.toSummary(complaint) };
    }
    const { windowMinutes } = this.deps.catalog.complaints.pin;
    if ((await this.pinFailures(ticket, scope)) >= this.deps.catalog.complaints.pin.maxFailures) {
      return { type: 'PIN_LOCKED', minutes: windowMinutes };
    }
    return { type: 'PIN_REQUIRED', ticket };
  }

  /** Returns the larger of the wrong-PIN counts within the window: for the ticket, or by the user. */
  private async pinFailures(ticket: string, scope: CommandScope): Promise<number> {
    const since = new Date(scope.now.getTime() - this.deps.catalog.complaints.pin.windowMinutes * 60_000);
    const failures = await this.deps.store.countPinFailures({ ticket, userKey: scope.userKey, since });
    return Math.max(failures.forTicket, failures.forUser);
  }

  private async checkPin(ticket: string, pin: string, scope: CommandScope): Promise<ResultEvent> {
    const { store, catalog } = this.deps;
    const { maxFailures, windowMinutes } = catalog.complaints.pin;
    const worst = await this.pinFailures(ticket, scope);
    if (worst >= maxFailures) return { type: 'PIN_LOCKED', minutes: windowMinutes };

    const complaint = await store.findComplaint(ticket);
    if (complaint && verifyPin(complaint.pinHash, pin)) return { type: 'STATUS_FOUND', summary: this.toSummary(complaint) };

    await store.recordPinFailure({ ticket, userKey: scope.userKey, at: scope.now });
    const remaining = maxFailures - worst - 1;
    return remaining > 0 ? { type: 'PIN_WRONG', remaining } : { type: 'PIN_LOCKED', minutes: windowMinutes };
  }

  /** Returns what the citizen may see of a complaint. */
  toSummary(complaint: Complaint): ComplaintSummary {
    const { catalog, calendar } = this.deps;
    const settings = catalog.complaints;
    const complaintClass = settings.classes.find((entry) => entry.id === complaint.classId);
    let closingNote: string | undefined;
    if (complaint.status === 'ditolak') closingNote = complaint.rejectionReason;
    if (complaint.status === 'dialihkan') closingNote = complaint.forwardedTo;
    return {
      ticket: complaint.ticket,
      topicLabel: topicLabel(catalog, complaint.topic),
      statusLabel: settings.statusLabels[complaint.status],
      ...(complaintClass ? { classLabel: complaintClass.label } : {}),
      dueText: calendar.formatDeadline(complaint.dueAt),
      updatedText: calendar.formatDeadline(complaint.updatedAt),
      ...(complaint.answer ? { answer: complaint.answer } : {}),
      ...(closingNote ? { closingNote } : {}),
    };
  }
}
