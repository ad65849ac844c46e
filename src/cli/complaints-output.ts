import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../calendar/index.js';
import type { Complaint, ComplaintTopic, HistoryEntry } from '../complaints/complaint.js';
import type { ComplaintSettings } from '../complaints/complaint-settings.js';
import { finalStatuses } from '../complaints/lifecycle.js';
import { describeContact } from '../complaints/contact.js';

/** Text for operators of the complaints CLI: English, times in the office's zone. */

/** Formats an instant as "2026-12-07 10:30 WIB" in the calendar's zone. */
export function formatOfficeTime(instant: Date, calendar: WorkingCalendar): string {
  return `${DateTime.fromJSDate(instant, { zone: calendar.timeZone }).toFormat('yyyy-MM-dd HH:mm')} ${calendar.timeZoneLabel}`;
}

/** Describes a complaint's topic in a few words, such as "service 3". */
export function describeTopic(topic: ComplaintTopic): string {
  switch (topic.kind) {
    case 'service':
      return `service ${topic.serviceNumber}`;
    case 'general':
      return 'general';
    case 'payment':
      return 'payment asked';
  }
}

/** Formats the deadline, marked `(overdue)` when it has passed and the complaint is not final. */
function formatDue(complaint: Complaint, calendar: WorkingCalendar, now: Date): string {
  const due = formatOfficeTime(complaint.dueAt, calendar);
  const overdue = complaint.dueAt.getTime() < now.getTime() && !finalStatuses.includes(complaint.status);
  return overdue ? `${due} (overdue)` : due;
}

/** Formats complaints as a table with the columns TICKET, STATUS, CLASS, DUE and TOPIC. */
export function formatComplaintTable(complaints: readonly Complaint[], calendar: WorkingCalendar, now: Date): string {
  if (complaints.length === 0) return 'No complaints.';
  const rows = complaints.map((complaint) => [
    complaint.ticket,
    complaint.status,
    complaint.classId ?? '(unclassified)',
    formatDue(complaint, calendar, now),
    describeTopic(complaint.topic),
  ]);
  const table = [['TICKET', 'STATUS', 'CLASS', 'DUE', 'TOPIC'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/**
 * Formats the outcome of a classify or set-status command in one line. A complaint whose
 * revision did not move was left unchanged.
 */
export function formatChangeSummary(before: Complaint, after: Complaint, calendar: WorkingCalendar): string {
  if (after.revision === before.revision) {
    return `${after.ticket}: nothing changed, because it is already ${after.status} with class ${after.classId}.`;
  }
  const status = before.status === after.status ? `still ${after.status}` : `${before.status} -> ${after.status}`;
  const due = formatOfficeTime(after.dueAt, calendar);
  const complaintClass = after.classId ?? '(unclassified)';
  return `${after.ticket}: ${status}, class ${complaintClass}, due ${due}. Message to the citizen queued for ${after.channel}.`;
}

/**
 * Formats every field of a complaint, then its history, one entry per line. The citizen's
 * name and address of a confidential complaint are withheld unless `reveal` is set.
 */
export function formatComplaintDetails(
  complaint: Complaint,
  settings: ComplaintSettings,
  calendar: WorkingCalendar,
  now: Date,
  options: { reveal?: boolean } = {},
): string {
  const time = (instant: Date) => formatOfficeTime(instant, calendar);
  const hidden = complaint.identity === 'confidential' && !options.reveal;
  const withheld = '(confidential; shown with --reveal)';
  const fields: Array<[string, string | undefined]> = [
    ['Ticket', complaint.ticket],
    ['Status', `${complaint.status} (${settings.statusLabels[complaint.status]})`],
    ['Class', describeClass(complaint, settings)],
    ['Due', formatDue(complaint, calendar, now)],
    ['Received', time(complaint.receivedAt)],
    ['Updated', `${time(complaint.updatedAt)} (revision ${complaint.revision})`],
    ['Topic', describeTopic(complaint.topic)],
    ['Source', complaint.source],
    ['Identity', complaint.identity],
    ['Citizen', hidden ? withheld : complaint.citizenName],
    ['Channel', hidden ? `${complaint.channel} ${withheld}` : describeContact(complaint.channel, complaint.userId)],
    ['Assignee', complaint.assignee],
    ['Evidence', formatEvidence(complaint)],
    ['Answer', complaint.answer],
    ['Forwarded to', complaint.forwardedTo],
    ['Rejection reason', complaint.rejectionReason],
    ['Description', complaint.description],
  ];
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  const lines = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([label, value]) => `${`${label}:`.padEnd(width)} ${indentFollowingLines(value, width + 1)}`);
  return [...lines, '', 'History:', ...complaint.history.map((entry) => formatHistoryEntry(entry, calendar))].join('\n');
}

function describeClass(complaint: Complaint, settings: ComplaintSettings): string {
  if (complaint.classId === undefined) return `(unclassified, so the ${settings.unclassifiedClass} deadline applies)`;
  const complaintClass = settings.classes.find((entry) => entry.id === complaint.classId);
  return complaintClass ? `${complaintClass.id} (${complaintClass.label})` : `${complaint.classId} (no longer in complaints.yaml)`;
}

function formatEvidence(complaint: Complaint): string | undefined {
  if (complaint.evidence.length === 0) return undefined;
  return complaint.evidence
    .map((file) => `${file.fileName ?? file.mediaId} (${file.mimeType}, ${file.size} bytes, media ${file.mediaId})`)
    .join('\n');
}

/** Formats one history entry as "time  actor  from -> to", with its note on indented lines below. */
function formatHistoryEntry(entry: HistoryEntry, calendar: WorkingCalendar): string {
  const line = `  ${formatOfficeTime(entry.at, calendar)}  ${entry.actor}  ${entry.from ?? '(filed)'} -> ${entry.to}`;
  return entry.note ? `${line}\n    ${indentFollowingLines(entry.note, 4)}` : line;
}

function indentFollowingLines(text: string, indent: number): string {
  return text.replaceAll('\n', `\n${' '.repeat(indent)}`);
}
