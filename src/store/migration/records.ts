import type { Complaint } from '../../complaints/complaint.js';
import type { ConversationRecord, OutboundMessage, ProcessedMessage, StoredMedia } from '../store.js';

/**
 * The seam between the adapters for copying a whole store: a source adapter exports every
 * record of every kind, a target adapter imports them. Neither side is part of the `Store`
 * interface, which the bot uses and which has no "read everything" calls.
 */

/**
 * The kinds of record, in the order `migrateStore` copies them. Media comes first because the others refer to it.
 * NOTE: pending questions are not copied; a user whose question is lost is asked again.
 */
export const recordKinds = ['media', 'complaints', 'conversations', 'processedMessages', 'outbox', 'pinFailures'] as const;
export type RecordKind = (typeof recordKinds)[number];

/** Names of the record kinds in operator output. */
export const recordKindLabels: Record<RecordKind, string> = {
  media: 'media files',
  complaints: 'complaints',
  conversations: 'conversations',
  processedMessages: 'processed message ids',
  outbox: 'outbox messages',
  pinFailures: 'PIN failures',
};

/** A stored evidence file without its bytes, which are read one file at a time. */
export type MediaHeader = Omit<StoredMedia, 'bytes'>;

/** A queued outbound message with its position in the queue. */
export interface OutboxRecord extends OutboundMessage {
  /** Queue position: messages are delivered in ascending `seq`. */
  seq: number;
}

/**
 * One wrong PIN entry. PIN failures have no id of their own, so a failure is identified by
 * its ticket, user, time and `occurrence`. The occurrence is 0 for the first failure with
 * those three values, 1 for a second one recorded in the same millisecond, and so on.
 */
export interface PinFailureRecord {
  ticket: string;
  userKey: string;
  at: Date;
  occurrence: number;
}

/** The last ticket sequence number a source issued in one year. */
export interface TicketCounter {
  year: number;
  lastSequence: number;
}

/** Reads every record of a store, in batches, from one consistent snapshot where the store has snapshots. */
export interface MigrationSource {
  /** Name of the source in operator output, without credentials. */
  readonly description: string;
  count(kind: RecordKind): Promise<number>;
  media(): AsyncIterable<MediaHeader[]>;
  /** Returns the bytes of one evidence file; throws when the file is gone. */
  mediaBytes(id: string): Promise<Buffer>;
  /** Returns every ticket number, for the conflict check before anything is written. */
  complaintTickets(): Promise<string[]>;
  complaints(): AsyncIterable<Complaint[]>;
  conversations(): AsyncIterable<ConversationRecord[]>;
  processedMessages(): AsyncIterable<ProcessedMessage[]>;
  /** Yields the queued messages in delivery order. */
  outbox(): AsyncIterable<OutboxRecord[]>;
  pinFailures(): AsyncIterable<PinFailureRecord[]>;
  ticketCounters(): Promise<TicketCounter[]>;
  close(): Promise<void>;
}

/** How many records of one import call were written now, and how many an earlier run had written. */
export interface ImportCounts {
  written: number;
  present: number;
}

/**
 * Writes records into a store. Every import is idempotent per record: a record whose natural
 * key (user key, processed id, ticket, outbox message id, old media id, PIN failure identity)
 * is already in the target is left as it is and counted as present. So a second run, or a
 * run after an interrupted one, ends with exactly one copy of each record.
 */
export interface MigrationTarget {
  /** Name of the target in operator output, without credentials. */
  readonly description: string;
  /** Returns the tickets among `tickets` that belong to target complaints this migration did not write. */
  findForeignTickets(tickets: readonly string[]): Promise<string[]>;
  /**
   * Imports evidence files. The target gives each file a new id and records the mapping from
   * the old id, so that a later run reuses the same new id.
   */
  importMedia(media: readonly MediaHeader[], readBytes: (id: string) => Promise<Buffer>): Promise<ImportCounts>;
  /** Returns the old-to-new media id mapping of every file imported so far, by this run or an earlier one. */
  mediaIdMapping(): Promise<Map<string, string>>;
  /** Imports complaints whose evidence already carries the target's media ids. */
  importComplaints(complaints: readonly Complaint[]): Promise<ImportCounts>;
  /** Imports conversations whose snapshots already carry the target's media ids. */
  importConversations(conversations: readonly ConversationRecord[]): Promise<ImportCounts>;
  importProcessedMessages(messages: readonly ProcessedMessage[]): Promise<ImportCounts>;
  /** Imports queued messages so that the target delivers them in `seq` order, before any message queued later. */
  importOutbox(messages: readonly OutboxRecord[]): Promise<ImportCounts>;
  importPinFailures(failures: readonly PinFailureRecord[]): Promise<ImportCounts>;
  close(): Promise<void>;
}

/** A migration that cannot go on until the operator acts. The message names what failed and the next step. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}
