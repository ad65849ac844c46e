import { DateTime } from 'luxon';
import type { Complaint, ComplaintSource, HistoryEntry } from '../../complaints/complaint.js';
import { offlineChannel } from '../../complaints/complaint.js';
import { finalStatuses } from '../../complaints/lifecycle.js';
import { topicLabel } from '../../conversation/render-complaint.js';
import type { Officer } from '../roster.js';
import { textOf, type DeskDependencies } from './command.js';

/** How complaints read in officer replies: Indonesian labels, times in the office's zone. */

const sourceTexts = {
  'walk-in': 'officerSourceWalkIn',
  phone: 'officerSourcePhone',
  letter: 'officerSourceLetter',
} as const satisfies Record<Exclude<ComplaintSource, 'chat'>, string>;

export function statusLabel(deps: DeskDependencies, complaint: Pick<Complaint, 'status'>): string {
  return deps.catalog.complaints.statusLabels[complaint.status];
}

export function classLabel(deps: DeskDependencies, complaint: Pick<Complaint, 'classId'>): string {
  const found = deps.catalog.complaints.classes.find((entry) => entry.id === complaint.classId);
  return found?.label ?? complaint.classId ?? deps.catalog.texts.statusUnclassified;
}

/** Formats the deadline, marked as overdue when it passed before `now` and the complaint is still open. */
export function deadlineText(deps: DeskDependencies, complaint: Complaint, now: Date): string {
  const deadline = deps.calendar.formatDeadline(complaint.dueAt);
  const overdue = complaint.dueAt.getTime() < now.getTime() && !finalStatuses.includes(complaint.status);
  return overdue ? textOf(deps, 'officerDeadlineOverdue', { deadline }) : deadline;
}

/** Returns "Name (id)" of the assignee, the bare id of one no longer in the roster, or "belum ditugaskan". */
export function assigneeText(deps: DeskDependencies, complaint: Pick<Complaint, 'assignee'>): string {
  if (!complaint.assignee) return deps.catalog.texts.officerUnassigned;
  const officer = deps.roster.find(complaint.assignee);
  return officer ? `${officer.name} (${officer.id})` : complaint.assignee;
}

export function sourceText(deps: DeskDependencies, complaint: Complaint): string {
  if (complaint.source === 'chat') return textOf(deps, 'officerSourceChat', { channel: complaint.channel });
  return deps.catalog.texts[sourceTexts[complaint.source]];
}

/**
 * Returns who filed the complaint, as far as `viewer` may see it: a confidential
 * complaint's name and number only for the complaint manager.
 */
export function citizenText(deps: DeskDependencies, complaint: Complaint, viewer: Officer): string {
  if (!deps.roster.canSeeIdentity(viewer, complaint)) return deps.catalog.texts.officerCitizenHidden;
  const name = complaint.citizenName ?? deps.catalog.texts.officerCitizenUnnamed;
  return complaint.channel === offlineChannel ? name : `${name} (${complaint.channel} ${complaint.userId})`;
}

export function topicText(deps: DeskDependencies, complaint: Complaint): string {
  return topicLabel(deps.catalog, complaint.topic);
}

/** Formats one history entry: time, actor, status change and the note on the next line. */
export function historyLine(deps: DeskDependencies, entry: HistoryEntry): string {
  const time = DateTime.fromJSDate(entry.at, { zone: deps.calendar.timeZone }).toFormat('dd/MM/yyyy HH.mm');
  const actorTexts: Record<string, string> = { citizen: deps.catalog.texts.officerActorCitizen, system: deps.catalog.texts.officerActorSystem };
  const actor = actorTexts[entry.actor] ?? entry.actor;
  const change = entry.from === null || entry.from === entry.to ? entry.to : `${entry.from} → ${entry.to}`;
  const line = `• ${time} · ${actor} · ${change}`;
  return entry.note ? `${line}\n  ${entry.note.replaceAll('\n', '\n  ')}` : line;
}
