import type { Complaint } from '../../complaints/complaint.js';
import { offlineChannel } from '../../complaints/complaint.js';
import { finalStatuses } from '../../complaints/lifecycle.js';
import { complaintStatuses } from '../../complaints/complaint.js';
import type { Reply } from '../../conversation/reply.js';
import { takeTicket, textOf, UsageError, type CommandRequest, type DeskDependencies, type OfficerCommand } from './command.js';
import {
  assigneeText,
  citizenText,
  classLabel,
  deadlineText,
  historyLine,
  sourceText,
  statusLabel,
  topicText,
} from './complaint-view.js';

/** Commands that only read complaints: `daftar` and `lihat`. Every officer may use them. */

/** Most complaints `daftar` shows; more are counted in a closing line. A chat message this long is still readable. */
const maxListed = 25;
/** Most complaints read for `daftar`, which also bounds the count of those not shown. */
const maxRead = 500;

const openStatuses = complaintStatuses.filter((status) => !finalStatuses.includes(status));

export const listCommand: OfficerCommand = {
  name: 'daftar',
  roles: [],
  usage: 'officerUsageDaftar',
  async run(request, deps) {
    if (request.args !== '') throw new UsageError();
    const complaints = await deps.complaints.list({ statuses: openStatuses, limit: maxRead });
    if (complaints.length === 0) return { text: deps.catalog.texts.officerListEmpty };

    const now = request.message.receivedAt;
    const lines = complaints.slice(0, maxListed).map((complaint, index) => listItem(deps, complaint, index + 1, now));
    const parts = [textOf(deps, 'officerListTitle', { count: complaints.length }), ...lines];
    if (complaints.length > maxListed) parts.push(textOf(deps, 'officerListMore', { count: complaints.length - maxListed }));
    return { text: parts.join('\n\n') };
  },
};

function listItem(deps: DeskDependencies, complaint: Complaint, index: number, now: Date): string {
  return textOf(deps, 'officerListItem', {
    index,
    ticket: complaint.ticket,
    status: statusLabel(deps, complaint),
    classLabel: classLabel(deps, complaint),
    deadline: deadlineText(deps, complaint, now),
    assignee: assigneeText(deps, complaint),
  });
}

export const showCommand: OfficerCommand = {
  name: 'lihat',
  roles: [],
  usage: 'officerUsageLihat',
  async run(request, deps) {
    const { ticket, rest } = takeTicket(request.args, deps);
    if (rest !== '') throw new UsageError();
    const complaint = await deps.complaints.show(ticket);
    return renderDetails(request, deps, complaint);
  },
};

async function renderDetails(request: CommandRequest, deps: DeskDependencies, complaint: Complaint): Promise<Reply> {
  const details = textOf(deps, 'officerDetail', {
    ticket: complaint.ticket,
    status: statusLabel(deps, complaint),
    classLabel: classLabel(deps, complaint),
    deadline: deadlineText(deps, complaint, request.message.receivedAt),
    topic: topicText(deps, complaint),
    source: sourceText(deps, complaint),
    citizen: citizenText(deps, complaint, request.officer),
    assignee: assigneeText(deps, complaint),
    evidence: complaint.evidence.length,
    description: complaint.description,
  });
  const outcome = [
    complaint.answer === undefined ? undefined : textOf(deps, 'officerDetailAnswer', { answer: complaint.answer }),
    complaint.rejectionReason === undefined ? undefined : textOf(deps, 'officerDetailRejected', { reason: complaint.rejectionReason }),
    complaint.forwardedTo === undefined ? undefined : textOf(deps, 'officerDetailForwarded', { agency: complaint.forwardedTo }),
  ].filter((line): line is string => line !== undefined);

  const history = [deps.catalog.texts.officerDetailHistoryTitle, ...complaint.history.map((entry) => historyLine(deps, entry))];
  const parts = [[details, ...outcome].join('\n'), history.join('\n'), await messagesText(deps, complaint)];
  return { text: parts.join('\n\n') };
}

/** Returns the delivery record of each message about the complaint to the citizen: waiting, sent or failed. */
async function messagesText(deps: DeskDependencies, complaint: Complaint): Promise<string> {
  if (complaint.channel === offlineChannel) return deps.catalog.texts.officerDetailMessagesOffline;
  const deliveries = await deps.store.listDeliveries({ ticket: complaint.ticket, channel: complaint.channel, userId: complaint.userId, limit: 1000 });
  if (deliveries.length === 0) return deps.catalog.texts.officerDetailMessagesNone;
  const time = (instant: Date) => deps.calendar.formatDeadline(instant);
  const lines = deliveries.map((delivery) => {
    const queuedAt = time(delivery.createdAt);
    const excerpt = excerptOf(delivery.text);
    const error = delivery.lastError ?? '-';
    if (delivery.status === 'sent') return textOf(deps, 'officerDeliverySent', { excerpt, queuedAt, sentAt: time(delivery.sentAt ?? delivery.createdAt) });
    if (delivery.status === 'dead') return textOf(deps, 'officerDeliveryFailed', { excerpt, queuedAt, error });
    if (delivery.attempts > 0) {
      return textOf(deps, 'officerDeliveryRetrying', { excerpt, queuedAt, attempts: delivery.attempts, error, retryAt: time(delivery.nextAttemptAt) });
    }
    return textOf(deps, 'officerDeliveryPending', { excerpt, queuedAt });
  });
  return [deps.catalog.texts.officerDetailMessages, ...lines].join('\n');
}

/** Longest start of a message shown in a delivery line, in characters. */
const excerptLength = 40;

/** Returns the start of a message's first line, without bold marks, to tell the messages apart. */
function excerptOf(text: string): string {
  const line = (text.split('\n').find((each) => each.trim() !== '') ?? '').replaceAll('*', '').trim();
  return line.length > excerptLength ? `${line.slice(0, excerptLength - 1).trimEnd()}…` : line;
}
