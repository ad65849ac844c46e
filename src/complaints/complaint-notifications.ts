import type { WorkingCalendar } from '../calendar/index.js';
import { fillText } from '../catalog/texts-schema.js';
import type { ComplaintStatus } from './complaint.js';
import type { ComplaintSettings } from './complaint-settings.js';

/** A change of a complaint, with the facts the citizen's message reports. */
export interface CitizenNotice {
  ticket: string;
  /** Status after the change. */
  status: ComplaintStatus;
  /** False when only the class changed and the status stayed the same. */
  statusChanged: boolean;
  /** Set when the class, and so the deadline, changed. */
  classification?: { classLabel: string; dueAt: Date };
  /** Answer text for `dijawab`. */
  answer?: string;
  /** Reason for `ditolak`. */
  reason?: string;
  /** Agency the complaint went to, for `dialihkan`. */
  agency?: string;
}

/**
 * Builds the Indonesian message a citizen receives about a change of their complaint, from
 * the `notifications` templates in complaints.yaml. The parts that apply are joined by blank
 * lines in a fixed order: status or class line, deadline, answer, rejection reason,
 * forwarding agency, closing, and for `dijawab` the hint on how to reply.
 */
export function composeCitizenMessage(settings: ComplaintSettings, calendar: WorkingCalendar, notice: CitizenNotice): string {
  const templates = settings.notifications;
  const status = settings.statusLabels[notice.status];
  const parts = [fillText(notice.statusChanged ? templates.statusChanged : templates.classChanged, { ticket: notice.ticket, status })];
  if (notice.classification) {
    const { classLabel, dueAt } = notice.classification;
    parts.push(fillText(templates.deadline, { classLabel, deadline: calendar.formatDeadline(dueAt) }));
  }
  if (notice.answer !== undefined) parts.push(fillText(templates.answer, { answer: notice.answer }));
  if (notice.reason !== undefined) parts.push(fillText(templates.rejectionReason, { reason: notice.reason }));
  if (notice.agency !== undefined) parts.push(fillText(templates.forwarded, { agency: notice.agency }));
  parts.push(fillText(templates.closing));
  // The citizen's reply to an answer closes the complaint or sends it back to the officers.
  if (notice.status === 'dijawab') parts.push(fillText(templates.replyHint, { ticket: notice.ticket }));
  return parts.join('\n\n');
}
