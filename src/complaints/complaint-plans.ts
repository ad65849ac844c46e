import { hasVisibleCharacter } from '../text/normalize.js';
import type { ComplaintUpdate } from '../store/store.js';
import type { Complaint, ComplaintStatus } from './complaint.js';
import { historyNote, type ComplaintSettings } from './complaint-settings.js';
import type { CitizenNotice } from './complaint-notifications.js';
import { ComplaintError } from './errors.js';
import { assertTransition, finalStatuses } from './lifecycle.js';

/**
 * Plans of complaint changes: each checks a change against one revision of a complaint and
 * returns the fields, history note and citizen message to write, without writing anything.
 */

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
export interface PlannedChange {
  to: ComplaintStatus;
  changes: ComplaintUpdate['changes'];
  /** History note, for officers. */
  note?: string;
  /** The citizen's message; undefined when the citizen gets no message, as for an internal note. */
  notice?: CitizenNotice;
}

/** Plans a status change other than to `diverifikasi`, checking the lifecycle table and the required detail. */
export function planStatusChange(settings: ComplaintSettings, complaint: Complaint, to: ComplaintStatus, details: StatusDetails): PlannedChange {
  const { ticket } = complaint;
  assertTransition(ticket, complaint.status, to);
  const notice: CitizenNotice = { ticket, status: to, statusChanged: true };
  switch (to) {
    case 'ditolak': {
      const reason = requireDetail(ticket, to, details.reason, 'reason');
      const note = joinNotes(historyNote(settings, 'rejected', { reason }), details.note);
      return { to, changes: { status: to, rejectionReason: reason }, note, notice: { ...notice, reason } };
    }
    case 'dialihkan': {
      const agency = requireDetail(ticket, to, details.agency, 'agency name');
      const note = joinNotes(historyNote(settings, 'forwarded', { agency }), details.note);
      return { to, changes: { status: to, forwardedTo: agency }, note, notice: { ...notice, agency } };
    }
    case 'dijawab': {
      const answer = requireDetail(ticket, to, details.answer, 'answer text');
      const note = joinNotes(historyNote(settings, 'answered', { answer }), details.note);
      return { to, changes: { status: to, answer }, note, notice: { ...notice, answer } };
    }
    default:
      return { to, changes: { status: to }, note: joinNotes(undefined, details.note), notice };
  }
}

/**
 * Returns the trimmed detail, or throws `missing-note` naming the missing detail when it has
 * no visible character: text of only spaces, zero-width or control characters would reach
 * the citizen as a blank message.
 */
export function requireDetail(ticket: string, status: ComplaintStatus, value: string | undefined, detail: string): string {
  const trimmed = value?.trim() ?? '';
  if (!hasVisibleCharacter(trimmed)) {
    throw new ComplaintError(
      'missing-note',
      `Missing ${detail} for ${status} on complaint ${ticket}: give it in words for the citizen, who receives it unchanged`,
      ticket,
    );
  }
  return trimmed;
}

/** Joins the change summary and the officer's optional remark into one history note. */
export function joinNotes(summary: string | undefined, remark: string | undefined): string | undefined {
  const parts = [summary, remark?.trim()].filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/**
 * Plans setting the officer who works on a complaint. A `diverifikasi` complaint moves to
 * `diproses` and the citizen gets a message. A `diproses` or `dijawab` one keeps its status, and the
 * citizen gets no message about the change of officer. The same assignee again changes nothing.
 */
export function planAssignment(settings: ComplaintSettings, complaint: Complaint, assignee: string): PlannedChange | undefined {
  const { ticket, status } = complaint;
  if (status === 'diterima') {
    throw new ComplaintError(
      'transition-not-allowed',
      `Complaint ${ticket} is diterima: classify it before assigning it, because the class sets its deadline`,
      ticket,
    );
  }
  if (finalStatuses.includes(status)) {
    throw new ComplaintError('transition-not-allowed', `Complaint ${ticket} is ${status}, a final status, so it cannot be assigned`, ticket);
  }
  if (complaint.assignee === assignee && status !== 'diverifikasi') return undefined;

  const note = complaint.assignee
    ? historyNote(settings, 'reassigned', { assignee, previous: complaint.assignee })
    : historyNote(settings, 'assigned', { assignee });
  if (status === 'diverifikasi') {
    return { to: 'diproses', changes: { status: 'diproses', assignee }, note, notice: { ticket, status: 'diproses', statusChanged: true } };
  }
  return { to: status, changes: { assignee }, note };
}

/** Plans an internal note: a history entry with the status unchanged and no message to the citizen. */
export function planNote(settings: ComplaintSettings, complaint: Complaint, text: string): PlannedChange {
  const note = requireDetail(complaint.ticket, complaint.status, text, 'note text');
  return { to: complaint.status, changes: {}, note: historyNote(settings, 'note', { note }) };
}
