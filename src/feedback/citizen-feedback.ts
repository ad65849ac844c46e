import type { Catalog } from '../catalog/load.js';
import { fillText, type TextKey } from '../catalog/texts-schema.js';
import type { Complaint } from '../complaints/complaint.js';
import type { ComplaintService, OfficerMessage } from '../complaints/complaint-service.js';
import { ComplaintError } from '../complaints/errors.js';
import { parseTicketNumber } from '../complaints/ticket-number.js';
import type { HandleResult } from '../conversation/conversation-service.js';
import { scopedMessageId } from '../conversation/conversation-service.js';
import type { Reply } from '../conversation/reply.js';
import { historyNote } from '../complaints/complaint-settings.js';
import type { Logger } from '../log/logger.js';
import type { Roster } from '../officers/roster.js';
import { toUserKey, type InboundMessage } from '../pipeline/inbound-message.js';
import type { MessageHandler } from '../pipeline/message-handler.js';
import type { PendingQuestion, Store } from '../store/store.js';
import { parseMenuNumber, toCommandWord } from '../text/normalize.js';
import { parseFeedback, type Feedback } from './feedback-parser.js';

/** Shortest reason accepted for `belum selesai`, in characters: enough for "izin belum terbit". */
const minReasonCharacters = 5;

/**
 * Days after its closing in which a late `selesai` or `belum selesai` about a complaint gets
 * `feedbackNoLongerAwaiting`. Past them the message goes to the conversation, so an old
 * complaint does not catch a new one. The length is a judgement, not a rule of the office.
 */
const recentlyClosedDays = 14;

/** Words that leave a pending question and go back to the conversation. */
const escapeWords = new Set(['menu', 'batal', '0', 'bantuan']);

/** Kinds of pending question this handler asks. */
type QuestionKind = 'choose-close' | 'choose-reopen' | 'reopen-reason';

/** Dependencies of CitizenFeedback. */
export interface CitizenFeedbackDependencies {
  catalog: Catalog;
  store: Store;
  roster: Roster;
  complaints: ComplaintService;
  logger: Logger;
  /** Minutes after which an unanswered question lapses and the next message goes to the conversation. */
  idleMinutes: number;
}

/**
 * Closes the loop with the citizen after an answer. A citizen with a `dijawab` complaint who
 * writes `selesai` closes it, and `belum selesai <alasan>` sends it back to `diproses` with the
 * reason in the history and a ping to the assignee (or to the complaint managers when it has
 * none). Without a ticket and with several answered complaints, or without a reason, the
 * handler asks, and keeps the question in the store until the next message. Every other
 * message goes to the conversation unchanged.
 */
export class CitizenFeedback implements MessageHandler {
  private readonly greetings: ReadonlySet<string>;

  constructor(private readonly deps: CitizenFeedbackDependencies) {
    this.greetings = new Set(deps.catalog.lexicon.greetings.map(toCommandWord));
  }

  async handle(message: InboundMessage): Promise<HandleResult | undefined> {
    // A citizen's reply comes from their own chat, never from an officers' group.
    if (message.officersOnly) return undefined;
    if (message.media?.length) return undefined;
    const { store } = this.deps;
    const userKey = toUserKey(message);
    const feedback = parseFeedback(message.text);
    const pending = await store.findPendingQuestion(userKey);
    if (!feedback && !pending) return undefined;

    if (!feedback) {
      const question = pending!;
      // A message that does not answer the question goes to the conversation, and the question lapses.
      const answers = question.kind === 'reopen-reason' ? !this.isEscape(message.text) : this.choiceOf(question, message.text) !== undefined;
      if (this.isLapsed(question, message) || !answers) {
        await store.deletePendingQuestion(userKey);
        return undefined;
      }
      return this.once(message, () => this.answerQuestion(question, message));
    }

    const awaiting = await this.awaitingReply(message);
    if (awaiting.length === 0) {
      if (pending) await store.deletePendingQuestion(userKey);
      // A late reply to a complaint closed since its answer, by the officer or automatically.
      const closed = await this.recentlyClosed(message, feedback.ticket);
      if (!closed) return undefined;
      return this.once(message, async () => [this.reply('feedbackNoLongerAwaiting', { ticket: closed.ticket })]);
    }
    return this.once(message, () => this.start(feedback, awaiting, message));
  }

  /** Runs `work` unless the message was processed before, then records it as processed. */
  private async once(message: InboundMessage, work: () => Promise<Reply[]>): Promise<HandleResult> {
    const messageId = scopedMessageId(message);
    if (await this.deps.store.isProcessed(message.channel, messageId)) return { status: 'duplicate' };
    const replies = await work();
    await this.deps.store.recordProcessed({ channel: message.channel, messageId, userKey: toUserKey(message), processedAt: message.receivedAt });
    return { status: 'replied', replies };
  }

  private async awaitingReply(message: InboundMessage): Promise<Complaint[]> {
    const { channel, userId } = message;
    const complaints = await this.deps.store.listComplaints({ channel, userId, statuses: ['dijawab'], limit: 20 });
    return complaints.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  /** Returns the citizen's complaint closed as `selesai` most recently within recentlyClosedDays, or the one named by `ticket`. */
  private async recentlyClosed(message: InboundMessage, ticket: string | undefined): Promise<Complaint | undefined> {
    const { channel, userId } = message;
    const since = message.receivedAt.getTime() - recentlyClosedDays * 24 * 60 * 60_000;
    // NOTE: the store returns at most 100 complaints, soonest deadline first, so a citizen with
    // more closed complaints than that may not get the reply for the latest one.
    const closed = await this.deps.store.listComplaints({ channel, userId, statuses: ['selesai'] });
    return closed
      .filter((complaint) => complaint.updatedAt.getTime() >= since && (ticket === undefined || complaint.ticket === ticket))
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  }

  private async start(feedback: Feedback, awaiting: Complaint[], message: InboundMessage): Promise<Reply[]> {
    const userKey = toUserKey(message);
    let tickets = awaiting.map((complaint) => complaint.ticket);
    if (feedback.ticket) {
      if (!tickets.includes(feedback.ticket)) {
        await this.deps.store.deletePendingQuestion(userKey);
        return [this.reply('feedbackNotAwaiting', { ticket: feedback.ticket, tickets: tickets.join(', ') })];
      }
      tickets = [feedback.ticket];
    }
    const reason = feedback.action === 'reopen' ? feedback.reason : undefined;
    if (tickets.length > 1) {
      const kind: QuestionKind = feedback.action === 'close' ? 'choose-close' : 'choose-reopen';
      await this.ask(message, kind, tickets, reason);
      return [this.chooseReply(tickets)];
    }
    return this.act(feedback.action, tickets[0]!, reason, message);
  }

  private async answerQuestion(question: PendingQuestion, message: InboundMessage): Promise<Reply[]> {
    if (question.kind === 'reopen-reason') return this.act('reopen', question.tickets[0]!, message.text.trim(), message);

    const action = question.kind === 'choose-close' ? 'close' : 'reopen';
    return this.act(action, this.choiceOf(question, message.text)!, question.detail, message);
  }

  /** Returns the ticket a reply to "which complaint?" picks by its number in the list or by the ticket itself. */
  private choiceOf(question: PendingQuestion, text: string): string | undefined {
    const number = parseMenuNumber(text);
    const chosen = number !== undefined ? question.tickets[number - 1] : parseTicketNumber(text);
    return chosen && question.tickets.includes(chosen) ? chosen : undefined;
  }

  /** Closes or reopens one complaint, asking for the reason first when a reopening lacks one. */
  private async act(action: 'close' | 'reopen', ticket: string, reason: string | undefined, message: InboundMessage): Promise<Reply[]> {
    const userKey = toUserKey(message);
    if (action === 'reopen' && [...(reason ?? '')].length < minReasonCharacters) {
      await this.ask(message, 'reopen-reason', [ticket]);
      const key = reason ? 'feedbackReasonTooShort' : 'feedbackAskReason';
      return [this.reply(key, { ticket, min: minReasonCharacters })];
    }

    await this.deps.store.deletePendingQuestion(userKey);
    try {
      return action === 'close' ? await this.close(ticket) : await this.reopen(ticket, reason!, message.receivedAt);
    } catch (error) {
      // Another writer (an officer, or the automatic closing) moved the complaint on since it was listed.
      if (error instanceof ComplaintError && error.code === 'transition-not-allowed') {
        return [this.reply('feedbackNoLongerAwaiting', { ticket })];
      }
      throw error;
    }
  }

  private async close(ticket: string): Promise<Reply[]> {
    await this.deps.complaints.setStatus(ticket, 'selesai', 'citizen', {}, { notifyCitizen: false });
    const replies = [this.reply('feedbackClosed', { ticket })];
    const survey = this.deps.catalog.complaints.survey;
    if (survey) replies.push(this.reply('feedbackSurvey', { url: survey.url }));
    return replies;
  }

  private async reopen(ticket: string, reason: string, at: Date): Promise<Reply[]> {
    const after = await this.deps.complaints.setStatus(
      ticket,
      'diproses',
      'citizen',
      { note: historyNote(this.deps.catalog.complaints, 'notSettled', { reason }) },
      { notifyCitizen: false, officerMessages: (complaint) => this.reopenPings(complaint, reason, at) },
    );
    this.deps.logger.info({ ticket }, 'complaint reopened by the citizen');
    return [this.reply('feedbackReopened', { ticket, status: this.deps.catalog.complaints.statusLabels[after.status] })];
  }

  /**
   * Builds the pings about a reopened complaint: to whoever acts for the assignee today, or to
   * the complaint managers when it has no assignee in the roster, and to the group chats that
   * subscribed to `complaint-reopened`.
   */
  private reopenPings(complaint: Complaint, reason: string, at: Date): OfficerMessage[] {
    const { roster, catalog } = this.deps;
    const assignee = complaint.assignee ? roster.find(complaint.assignee) : undefined;
    const officers = assignee ? [roster.actingFor(assignee, at)] : roster.officersWithRole('pengelola_pengaduan', at);
    const text = fillText(catalog.texts.feedbackReopenPing, { ticket: complaint.ticket, reason, status: catalog.complaints.statusLabels.diproses });
    const recipients = [...officers, ...roster.groupsFor('complaint-reopened')];
    return recipients.flatMap((recipient) => roster.addressesOf(recipient).map((address) => ({ ...address, text })));
  }

  private async ask(message: InboundMessage, kind: QuestionKind, tickets: string[], detail?: string): Promise<void> {
    await this.deps.store.savePendingQuestion({
      userKey: toUserKey(message),
      kind,
      tickets,
      ...(detail ? { detail } : {}),
      askedAt: message.receivedAt,
    });
  }

  private chooseReply(tickets: string[]): Reply {
    return {
      text: this.deps.catalog.texts.feedbackChooseTicket,
      options: tickets.map((ticket, index) => ({ key: String(index + 1), label: ticket })),
    };
  }

  private reply(key: TextKey, values: Record<string, string | number>): Reply {
    return { text: fillText(this.deps.catalog.texts[key], values) };
  }

  private isLapsed(question: PendingQuestion, message: InboundMessage): boolean {
    return message.receivedAt.getTime() - question.askedAt.getTime() > this.deps.idleMinutes * 60_000;
  }

  private isEscape(text: string): boolean {
    const word = toCommandWord(text);
    return escapeWords.has(word) || this.greetings.has(word);
  }
}
