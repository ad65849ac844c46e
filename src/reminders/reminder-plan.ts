import type { WorkingCalendar } from '../calendar/index.js';
import type { Complaint, ComplaintStatus } from '../complaints/complaint.js';
import type { EscalationRole, ReminderSettings } from './reminder-settings.js';

/** Statuses in which the deadline runs: officers are reminded, and an overdue complaint escalates. */
export const runningStatuses: readonly ComplaintStatus[] = ['diterima', 'diverifikasi', 'diproses'];

/** The recipients of a planned point. */
export type Audience =
  /** The assignee, or the pengelola_pengaduan officers while the complaint has no assignee. */
  | { kind: 'handler' }
  | { kind: 'role'; role: EscalationRole };

/** One point in time at which something is due for a complaint, under a key unique to it. */
export type PlannedPoint =
  | { kind: 'reminder'; key: string; at: Date; audience: Audience; percent: number }
  | { kind: 'deadline'; key: string; at: Date; audience: Audience }
  | { kind: 'escalation'; key: string; at: Date; audience: Audience; role: EscalationRole; afterWorkingDays: number }
  | { kind: 'auto-close'; key: string; at: Date };

/**
 * Computes every reminder, escalation and the automatic close of a complaint on the working
 * calendar, from its stored fields only. A key names the complaint, the rule and the deadline
 * (or the answer) the point belongs to: a new deadline after a change of class gives new
 * keys, and the points of the old deadline are no longer planned.
 *
 * While the deadline runs, the points before it are shares of the office time from receipt
 * to the deadline, and escalations are working days after it. Once answered, the only point
 * is the automatic close.
 */
export function planPoints(complaint: Complaint, settings: ReminderSettings, calendar: WorkingCalendar): PlannedPoint[] {
  if (runningStatuses.includes(complaint.status)) return planDeadlinePoints(complaint, settings, calendar);
  if (complaint.status === 'dijawab') {
    const answeredAt = answerTime(complaint);
    return [
      {
        kind: 'auto-close',
        key: `${complaint.ticket}|tutup-otomatis|${answeredAt.toISOString()}`,
        at: calendar.addWorkingDays(answeredAt, settings.autoCloseAfterWorkingDays),
      },
    ];
  }
  return [];
}

function planDeadlinePoints(complaint: Complaint, settings: ReminderSettings, calendar: WorkingCalendar): PlannedPoint[] {
  const { ticket, receivedAt, dueAt } = complaint;
  const keyOf = (ruleId: string) => `${ticket}|${ruleId}|${dueAt.toISOString()}`;
  const handler: Audience = { kind: 'handler' };
  const allowedHours = calendar.officeHoursBetween(receivedAt, dueAt);
  const points: PlannedPoint[] = [];
  for (const rule of settings.beforeDeadline) {
    if (rule.fraction === 1) {
      points.push({ kind: 'deadline', key: keyOf(rule.id), at: dueAt, audience: handler });
    } else if (allowedHours > 0) {
      const at = calendar.addOfficeHours(receivedAt, rule.fraction * allowedHours);
      points.push({ kind: 'reminder', key: keyOf(rule.id), at, audience: handler, percent: Math.round(rule.fraction * 100) });
    }
  }
  for (const rule of settings.escalation) {
    const at = rule.afterWorkingDays === 0 ? dueAt : calendar.addWorkingDays(dueAt, rule.afterWorkingDays);
    points.push({
      kind: 'escalation',
      key: keyOf(rule.id),
      at,
      audience: { kind: 'role', role: rule.to },
      role: rule.to,
      afterWorkingDays: rule.afterWorkingDays,
    });
  }
  return points.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Returns the time of the complaint's last change to `dijawab`, from its history. */
export function answerTime(complaint: Complaint): Date {
  const entry = complaint.history.findLast((each) => each.to === 'dijawab');
  return entry?.at ?? complaint.updatedAt;
}
