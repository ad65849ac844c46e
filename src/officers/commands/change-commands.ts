import { findComplaintClass } from '../../complaints/complaint-settings.js';
import { offlineChannel, type Complaint } from '../../complaints/complaint.js';
import type { OfficerMessage } from '../../complaints/complaint-service.js';
import { ComplaintError } from '../../complaints/errors.js';
import type { TextKey } from '../../catalog/texts-schema.js';
import type { Reply } from '../../conversation/reply.js';
import { hasVisibleCharacter } from '../../text/normalize.js';
import type { Officer } from '../roster.js';
import type { OfficerRole } from '../roster-schema.js';
import { classNames, CommandRejection, takeTicket, textOf, UsageError, type DeskDependencies, type OfficerCommand } from './command.js';
import { assigneeText, deadlineText, statusLabel, topicText } from './complaint-view.js';

/** Commands that change a complaint through ComplaintService, with the officer's id as the history actor. */

const managerOnly: readonly OfficerRole[] = ['pengelola_pengaduan'];
const teamOrManager: readonly OfficerRole[] = ['tim_pengelola', 'pengelola_pengaduan'];

/** Splits `<ticket> <one word>` and rejects more words. */
function ticketAndWord(args: string, deps: DeskDependencies): { ticket: string; word: string } {
  const { ticket, rest } = takeTicket(args, deps);
  if (rest === '' || /\s/.test(rest)) throw new UsageError();
  return { ticket, word: rest };
}

/** Splits `<ticket> <free text>` and requires text with at least one visible character. */
function ticketAndText(args: string, deps: DeskDependencies): { ticket: string; text: string } {
  const { ticket, rest } = takeTicket(args, deps);
  if (!hasVisibleCharacter(rest)) throw new UsageError();
  return { ticket, text: rest };
}

/** Appends the reminder to tell the citizen directly when the complaint has no chat address. */
function withOfflineNote(deps: DeskDependencies, complaint: Complaint, text: string): Reply {
  return { text: complaint.channel === offlineChannel ? `${text}\n${deps.catalog.texts.officerCitizenOffline}` : text };
}

export const classifyCommand: OfficerCommand = {
  name: 'klasifikasi',
  roles: managerOnly,
  usage: 'officerUsageKlasifikasi',
  async run(request, deps) {
    const { ticket, word } = ticketAndWord(request.args, deps);
    let complaintClass;
    try {
      complaintClass = findComplaintClass(deps.catalog.complaints, word);
    } catch (error) {
      if (!(error instanceof ComplaintError)) throw error;
      throw new CommandRejection(textOf(deps, 'officerUnknownClass', { name: word, classes: classNames(deps) }));
    }
    const before = await deps.complaints.show(ticket);
    const after = await deps.complaints.classify(ticket, complaintClass.id, request.officer.id);
    if (after.revision === before.revision) {
      return { text: textOf(deps, 'officerClassUnchanged', { ticket, classLabel: complaintClass.label }) };
    }
    const text = textOf(deps, 'officerClassified', {
      ticket,
      classLabel: complaintClass.label,
      deadline: deadlineText(deps, after, request.message.receivedAt),
      status: statusLabel(deps, after),
    });
    return withOfflineNote(deps, after, text);
  },
};

/** Returns the complaint team as "budi (Budi Santoso), sari (…)" for replies about assignees. */
function teamList(deps: DeskDependencies): string {
  return deps.roster.officers
    .filter((officer) => deps.roster.hasRole(officer, 'tim_pengelola'))
    .map((officer) => `${officer.id} (${officer.name})`)
    .join(', ');
}

/** Builds the ping to the assignee, sent to every address of whoever acts for them today. */
function assignmentPings(deps: DeskDependencies, assignee: Officer, by: Officer, at: Date): (complaint: Complaint) => OfficerMessage[] {
  return (complaint) => {
    const recipient = deps.roster.actingFor(assignee, at);
    const text = textOf(deps, 'officerAssignedPing', {
      name: recipient.name,
      ticket: complaint.ticket,
      assignee: assignee.name,
      by: by.name,
      topic: topicText(deps, complaint),
      deadline: deps.calendar.formatDeadline(complaint.dueAt),
    });
    return deps.roster.addressesOf(recipient).map((address) => ({ ...address, text }));
  };
}

export const assignCommand: OfficerCommand = {
  name: 'tugaskan',
  roles: managerOnly,
  usage: 'officerUsageTugaskan',
  async run(request, deps) {
    const { ticket, word } = ticketAndWord(request.args, deps);
    const assignee = deps.roster.find(word);
    if (!assignee) throw new CommandRejection(textOf(deps, 'officerAssigneeUnknown', { id: word, officers: teamList(deps) }));
    if (!deps.roster.hasRole(assignee, 'tim_pengelola')) {
      throw new CommandRejection(textOf(deps, 'officerAssigneeNotTeam', { id: assignee.id, name: assignee.name, officers: teamList(deps) }));
    }

    const before = await deps.complaints.show(ticket);
    const pings = assignmentPings(deps, assignee, request.officer, request.message.receivedAt);
    const after = await deps.complaints.assign(ticket, assignee.id, request.officer.id, { officerMessages: pings });
    if (after.revision === before.revision) {
      return { text: textOf(deps, 'officerAssignUnchanged', { ticket, name: assigneeText(deps, after) }) };
    }
    return { text: textOf(deps, 'officerAssigned', { ticket, name: assignee.name, id: assignee.id, status: statusLabel(deps, after) }) };
  },
};

/** Longest template name quoted back to the officer, in characters, so a long answer is not echoed whole. */
const maxQuotedNameCharacters = 40;

/**
 * Returns the answer text: the officer's words, or the saved template named by `#name`. An
 * answer that starts with `#` must be exactly one template name (any case), because a bare
 * `#` or a mistyped name such as "#izin dalam proses" would otherwise reach the citizen as
 * the answer.
 */
function answerText(deps: DeskDependencies, text: string, ticket: string): string {
  if (!text.startsWith('#')) return text;
  const name = text.slice(1).toLowerCase();
  const found = deps.catalog.answerTemplates.find((entry) => entry.name === name);
  if (!found) {
    const names = deps.catalog.answerTemplates.map((entry) => `#${entry.name}`).join(', ');
    const typed = [...text.split('\n')[0]!].slice(0, maxQuotedNameCharacters).join('');
    throw new CommandRejection(textOf(deps, 'officerTemplateUnknown', { name: typed, names }));
  }
  return found.text.replaceAll('{ticket}', ticket);
}

export const answerCommand: OfficerCommand = {
  name: 'jawab',
  roles: teamOrManager,
  usage: 'officerUsageJawab',
  async run(request, deps) {
    const { ticket, text } = ticketAndText(request.args, deps);
    const answer = answerText(deps, text, ticket);
    const after = await deps.complaints.answer(ticket, answer, request.officer.id);
    return withOfflineNote(deps, after, textOf(deps, 'officerAnswered', { ticket, status: statusLabel(deps, after) }));
  },
};

/**
 * Builds a command that moves a complaint to a final status. `detail` names the text the
 * status needs after the ticket (the reason of `ditolak`, the agency of `dialihkan`), which
 * the citizen receives as written.
 */
function finalStatusCommand(spec: {
  name: string;
  roles: readonly OfficerRole[];
  usage: TextKey;
  status: 'selesai' | 'ditolak' | 'dialihkan';
  detail?: 'reason' | 'agency';
  reply: TextKey;
}): OfficerCommand {
  return {
    name: spec.name,
    roles: spec.roles,
    usage: spec.usage,
    async run(request, deps) {
      const { ticket, rest } = takeTicket(request.args, deps);
      if (hasVisibleCharacter(rest) !== (spec.detail !== undefined)) throw new UsageError();
      const details = spec.detail ? { [spec.detail]: rest } : {};
      const after = await deps.complaints.setStatus(ticket, spec.status, request.officer.id, details);
      const text = textOf(deps, spec.reply, { ticket, agency: rest, status: statusLabel(deps, after) });
      return withOfflineNote(deps, after, text);
    },
  };
}

export const closeCommand = finalStatusCommand({
  name: 'selesai',
  roles: teamOrManager,
  usage: 'officerUsageSelesai',
  status: 'selesai',
  reply: 'officerClosed',
});

export const rejectCommand = finalStatusCommand({
  name: 'tolak',
  roles: managerOnly,
  usage: 'officerUsageTolak',
  status: 'ditolak',
  detail: 'reason',
  reply: 'officerRejected',
});

export const forwardCommand = finalStatusCommand({
  name: 'alihkan',
  roles: managerOnly,
  usage: 'officerUsageAlihkan',
  status: 'dialihkan',
  detail: 'agency',
  reply: 'officerForwarded',
});

export const noteCommand: OfficerCommand = {
  name: 'catat',
  roles: teamOrManager,
  usage: 'officerUsageCatat',
  async run(request, deps) {
    const { ticket, text } = ticketAndText(request.args, deps);
    await deps.complaints.addNote(ticket, text, request.officer.id);
    return { text: textOf(deps, 'officerNoted', { ticket }) };
  },
};
