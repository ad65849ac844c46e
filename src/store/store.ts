import type { Complaint, ComplaintStatus, HistoryEntry, NewComplaint } from '../complaints/complaint.js';
import type { UserMerge, UserMergeResult, WhatsAppSessionStore } from './whatsapp-sessions.js';

/**
 * The persistence boundary. Services depend on this interface only; `app.ts` picks the
 * adapter (embedded SQLite by default).
 */

/** The persisted state of one user's conversation. */
export interface ConversationRecord {
  /** Stable user key, `<channel>:<platform user id>`. */
  userKey: string;
  /** XState persisted snapshot, as returned by `actor.getPersistedSnapshot()`. */
  snapshot: unknown;
  /** Incremented by every save; used for optimistic concurrency. */
  version: number;
  updatedAt: Date;
}

/** One inbound message that has been fully handled. */
export interface ProcessedMessage {
  channel: string;
  messageId: string;
  userKey: string;
  processedAt: Date;
}

/** The writes of one handled message, committed together or not at all. */
export interface ConversationTurn {
  message: ProcessedMessage;
  userKey: string;
  snapshot: unknown;
  /** The version read before handling, or undefined when the user had no record. */
  expectedVersion: number | undefined;
  now: Date;
  /** A complaint this turn files; the store assigns its ticket number in the same transaction. */
  newComplaint?: NewComplaint;
}

/** Result of committing a turn. */
export type TurnResult =
  | { status: 'committed'; version: number; complaint?: Complaint }
  /** The message id was already processed: nothing was written. */
  | { status: 'duplicate' }
  /** Another writer saved the conversation first: nothing was written; reload and retry. */
  | { status: 'conflict' };

/** A message for a citizen or officer that is not a direct reply, waiting to be delivered. */
export interface OutboundMessage {
  id: string;
  channel: string;
  userId: string;
  text: string;
  /** Ticket the message is about, when there is one. */
  ticket?: string;
  createdAt: Date;
}

/** Returns a key that tells recipients apart: the channel's length keeps `a:b` + `c` apart from `a` + `b:c`. */
export function recipientKeyOf(message: Pick<OutboundMessage, 'channel' | 'userId'>): string {
  return `${message.channel.length}:${message.channel}:${message.userId}`;
}

/** Delivery state of an outbound message: waiting (or waiting for a retry), delivered, or given up. */
export type DeliveryStatus = 'pending' | 'sent' | 'dead';

/** An outbound message with its delivery record, as officers see it. */
export interface Delivery extends OutboundMessage {
  status: DeliveryStatus;
  /** Failed attempts so far. */
  attempts: number;
  /** Earliest time of the next attempt while pending. */
  nextAttemptAt: Date;
  lastError?: string;
  sentAt?: Date;
}

/** A pending message handed to one dispatcher until `claimedUntil`; settle it with `claimToken`. */
export interface ClaimedOutbound extends OutboundMessage {
  attempts: number;
  claimToken: string;
}

/** What happened to one delivery attempt. */
export type DeliveryOutcome =
  | { status: 'sent'; at: Date }
  /** Failed for now: try again at `retryAt`. */
  | { status: 'retry'; retryAt: Date; error: string }
  /** Failed for good: no more attempts. */
  | { status: 'dead'; at: Date; error: string };

/**
 * Messages of a scheduled notice (a reminder, an escalation, a digest) recorded under a unique
 * key. The key is written once: a second record with the same key queues nothing.
 */
export interface KeyedNotice {
  key: string;
  ticket?: string;
  outbound: Array<Omit<OutboundMessage, 'id'>>;
  now: Date;
}

/** A change of a complaint: new field values, the history entry that records it, and messages to queue. */
export interface ComplaintUpdate {
  ticket: string;
  /** The revision read before deciding the change. */
  expectedRevision: number;
  changes: Partial<Pick<Complaint, 'status' | 'classId' | 'dueAt' | 'assignee' | 'answer' | 'forwardedTo' | 'rejectionReason'>>;
  history: HistoryEntry;
  outbound: Array<Omit<OutboundMessage, 'id'>>;
  now: Date;
}

/** A complaint an officer files for a citizen, recorded together with the officer's message. */
export interface ComplaintFiling {
  complaint: NewComplaint;
  /** The officer's message; a redelivery of it files nothing and returns `duplicate`. */
  message: ProcessedMessage;
  /** History actor of the first entry: the officer's id. */
  actor: string;
  now: Date;
}

/** Result of filing a complaint for a citizen. */
export type FilingResult = { status: 'filed'; complaint: Complaint } | { status: 'duplicate' };

/**
 * A question the bot asked a user outside the conversation machine (such as "which
 * complaint?" or "what is not settled yet?"), kept until the user's next message answers it.
 */
export interface PendingQuestion {
  userKey: string;
  /** What was asked, such as `reopen-reason`; read by the handler that asked. */
  kind: string;
  /** The tickets the question is about. */
  tickets: string[];
  /** Text the user gave before the question, such as a reason given without a ticket. */
  detail?: string;
  askedAt: Date;
}

/** Filter for listing complaints; all fields optional. */
export interface ComplaintQuery {
  statuses?: ComplaintStatus[];
  channel?: string;
  userId?: string;
  /** Most complaints returned; default 100. */
  limit?: number;
}

/** A stored evidence file. */
export interface StoredMedia {
  id: string;
  mimeType: string;
  size: number;
  fileName?: string;
  bytes: Buffer;
  createdAt: Date;
}

export interface Store {
  /** Returns the user's conversation, or undefined for a first contact. */
  findConversation(userKey: string): Promise<ConversationRecord | undefined>;
  /** Returns whether (channel, messageId) was already processed. */
  isProcessed(channel: string, messageId: string): Promise<boolean>;
  /**
   * Records the message as processed and saves the snapshot in one transaction, so a crash
   * leaves either both writes or neither.
   */
  commitTurn(turn: ConversationTurn): Promise<TurnResult>;
  /**
   * Records a message handled outside a conversation turn (an officer command, a reply to an
   * answer) as processed. Returns false when it was already recorded.
   */
  recordProcessed(message: ProcessedMessage): Promise<boolean>;
  /**
   * Files a complaint for a citizen under the next ticket number of its year and records the
   * officer's message as processed, so a redelivered message files nothing.
   */
  fileComplaint(filing: ComplaintFiling): Promise<FilingResult>;
  /** Saves the user's pending question, replacing an earlier one. */
  savePendingQuestion(question: PendingQuestion): Promise<void>;
  findPendingQuestion(userKey: string): Promise<PendingQuestion | undefined>;
  /** Deletes the user's pending question; a user without one is ignored. */
  deletePendingQuestion(userKey: string): Promise<void>;

  /** Returns the complaint with that ticket number, or undefined. */
  findComplaint(ticket: string): Promise<Complaint | undefined>;
  /** Returns complaints matching the query, soonest deadline first. */
  listComplaints(query: ComplaintQuery): Promise<Complaint[]>;
  /**
   * Applies a change, appends its history entry and queues its outbound messages in one
   * transaction. Returns the updated complaint, or `conflict` when the revision moved on.
   */
  updateComplaint(update: ComplaintUpdate): Promise<Complaint | 'conflict'>;

  /** Queues messages for later delivery, in the given order. */
  enqueueOutbound(messages: Array<Omit<OutboundMessage, 'id'>>): Promise<void>;
  /** Returns the pending messages of one recipient, oldest first, and marks them sent at `now` (the web chat's pull). */
  takeOutbound(channel: string, userId: string, now: Date): Promise<OutboundMessage[]>;
  /** Returns queued messages without removing them, oldest first. */
  listOutbound(query: { channel?: string; userId?: string; limit?: number }): Promise<OutboundMessage[]>;
  /**
   * Claims due pending messages of the given channels for `claimMs`, oldest first. A
   * recipient's message is claimed only when none of its earlier pending messages has to wait
   * (for a retry time or a live claim), so each recipient's messages keep their order. A claim
   * that expires unsettled makes the message claimable again.
   */
  claimOutbound(query: { channels: string[]; now: Date; limit: number; claimMs: number }): Promise<ClaimedOutbound[]>;
  /** Records the outcome of an attempt; returns false when the claim was lost (expired and claimed again). */
  settleOutbound(settlement: { id: string; claimToken: string; outcome: DeliveryOutcome }): Promise<boolean>;
  /** Returns messages with their delivery records, oldest first: about a ticket, or to a recipient. */
  listDeliveries(query: { ticket?: string; channel?: string; userId?: string; statuses?: DeliveryStatus[]; limit?: number }): Promise<Delivery[]>;
  /** Queues the notice's messages unless its key was recorded before; returns whether it queued them. */
  recordNotice(notice: KeyedNotice): Promise<boolean>;
  /** Returns which of the keys were recorded. */
  findNoticeKeys(keys: string[]): Promise<Set<string>>;

  /**
   * Takes or renews the named lease for `holder` until `now + ttlMs`; returns false while
   * another holder's lease has not expired.
   */
  acquireLease(lease: { name: string; holder: string; now: Date; ttlMs: number }): Promise<boolean>;
  /** Gives up the lease when `holder` holds it. */
  releaseLease(lease: { name: string; holder: string }): Promise<void>;

  /**
   * Records whether a recipient can receive messages on a channel: unreachable after the
   * platform rejected a message because the recipient blocked the bot, reachable again once
   * the recipient writes. A recipient that stays unreachable keeps the time it first became so.
   */
  setRecipientReachable(change: { channel: string; userId: string; reachable: boolean; at: Date }): Promise<void>;
  /** Returns whether the recipient is recorded unreachable. */
  isRecipientUnreachable(channel: string, userId: string): Promise<boolean>;

  /** Stores an evidence file and returns its id. */
  saveMedia(media: Omit<StoredMedia, 'id'>): Promise<string>;
  findMedia(id: string): Promise<StoredMedia | undefined>;
  /** Deletes evidence files; unknown ids are ignored. */
  deleteMedia(ids: string[]): Promise<void>;

  /** Records a wrong PIN for a ticket by a user. */
  recordPinFailure(failure: { ticket: string; userKey: string; at: Date }): Promise<void>;
  /** Counts wrong PINs since `since`, for the ticket from anyone and for the user on any ticket. */
  countPinFailures(query: { ticket: string; userKey: string; since: Date }): Promise<{ forTicket: number; forUser: number }>;

  /** WhatsApp auth state and sent messages of the office numbers. */
  readonly whatsappSessions: WhatsAppSessionStore;
  /**
   * Moves a citizen's conversation, complaints and queued messages to another id of the same
   * person on the channel. Running it again after it finished changes nothing.
   */
  mergeUser(merge: UserMerge): Promise<UserMergeResult>;

  /** Checks that the database answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
