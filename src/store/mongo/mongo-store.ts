import type { MongoClient } from 'mongodb';
import type { Complaint } from '../../complaints/complaint.js';
import type { Logger } from '../../log/logger.js';
import type {
  ClaimedOutbound,
  ComplaintFiling,
  ComplaintQuery,
  Delivery,
  DeliveryOutcome,
  KeyedNotice,
  ComplaintUpdate,
  ConversationRecord,
  ConversationTurn,
  FilingResult,
  OutboundMessage,
  PendingQuestion,
  ProcessedMessage,
  Store,
  StoredMedia,
  TurnResult,
} from '../store.js';
import { collectionsOf, connectClient, ensureIndexes, type MongoCollections } from './connection.js';
import { findComplaint, listComplaints, updateComplaint } from './mongo-complaints.js';
import { acquireLease } from './mongo-leases.js';
import * as desk from './mongo-desk.js';
import { MongoMedia } from './mongo-media.js';
import { MongoOutbox } from './mongo-outbox.js';
import { countPinFailures, recordPinFailure } from './mongo-pin-failures.js';
import { isRecipientUnreachable, setRecipientReachable } from './mongo-recipients.js';
import { commitTurn, findConversation, isProcessed, recordProcessed } from './mongo-turns.js';
import type { UserMerge, UserMergeResult } from '../whatsapp-sessions.js';
import { mergeUser } from './mongo-user-merge.js';
import { MongoWhatsAppSessions } from './mongo-whatsapp-sessions.js';

/**
 * The MongoDB store, through the official driver. It uses only operations that MongoDB 7 and
 * FerretDB 1.24 (the tests' server) both support, and FerretDB 1.24 has no transactions. So
 * every write is a single-document write, and the atomic primitive that the design relies on
 * is the unique index: an insert that hits one fails with duplicate key (11000) on both servers.
 *
 * commitTurn writes, in this order:
 *   a. Duplicate check. The message is a duplicate when its (channel, messageId) is in
 *      `processed_messages`, or when the conversation lists its source message key
 *      `<channel>:<messageId>` among `recentMessageKeys` (step c ran, step d did not: the
 *      processed id is written now). A conversation whose version is not the expected one
 *      is a conflict before anything is written.
 *   b. With `newComplaint`: insert the complaint under the next sequence number of its year,
 *      with the source message key as its unique `_id`. A duplicate key on (year, sequence)
 *      means another filing took the number: try the next one. A duplicate key on the source message key
 *      means an earlier attempt of this same message filed it: that complaint is this turn's
 *      complaint (same ticket, no second complaint). A number is only taken by an insert that
 *      succeeded, so the numbers have no gaps.
 *   c. Save the conversation with the version check: insert for a first contact, otherwise
 *      update where the version is the expected one. No match is a conflict. The save also
 *      records the source message key in `recentMessageKeys`.
 *      On a replay from (b), set the complaint's PIN hash to this attempt's: the earlier
 *      attempt never replied, so the citizen never saw its PIN.
 *   d. Insert the processed id; a duplicate key here means `duplicate`.
 *
 * A crash (or lost connection) between the steps leaves:
 *   - before b: nothing. A redelivery handles the message from scratch.
 *   - between b and c: a complaint, no conversation change. The redelivery runs the same
 *     turn on the same conversation, files the same message key, gets the same complaint
 *     back, replaces its PIN hash and goes on: repaired, one complaint, one ticket.
 *   - between c and the PIN replacement of a replay, or between c and d: the conversation
 *     moved on and lists the message key. The redelivery is reported as a duplicate and step
 *     a writes the missing processed id. The reply of that turn is lost, as it is when any
 *     store crashes after its commit and before the reply is sent.
 *   NOTE: a conflict at c after b filed a complaint keeps that complaint; if the retried turn
 *   no longer files, the complaint has no reply (see mongo-turns.ts).
 *
 * updateComplaint is one `findOneAndUpdate` of the complaint document with the revision in
 * the filter: `$set` of the changes, `$push` of the history entry, `$inc` of the revision and
 * `$push` of the outbound messages into the complaint's `pendingOutbound`. One document write
 * carries the change and its messages, so a crash keeps both or neither. The messages are
 * then moved to the `outbox` collection; a crash before that leaves them pending, and the
 * next takeOutbound or listOutbound moves them (see mongo-outbox.ts).
 *
 * FerretDB 1.24 applies an update as read, change, write back, without a lock: the version
 * and revision checks and `$inc` are atomic on MongoDB only. Unique-index inserts (ticket
 * numbers, processed ids, source message keys) are atomic on both servers.
 */
export class MongoStore implements Store {
  private readonly collections: MongoCollections;
  private readonly outbox: MongoOutbox;
  private readonly media: MongoMedia;
  readonly whatsappSessions: MongoWhatsAppSessions;

  private constructor(
    private readonly client: MongoClient,
    /** Name of the database, from the connection string's path. */
    readonly databaseName: string,
    private readonly logger: Logger,
  ) {
    this.collections = collectionsOf(client.db(databaseName));
    this.outbox = new MongoOutbox(this.collections);
    this.media = new MongoMedia(this.collections.db);
    this.whatsappSessions = new MongoWhatsAppSessions(this.collections.db);
  }

  /**
   * Connects to the database named in the path of `uri` (mongodb://host:27017/<database>)
   * and creates the indexes the store needs. Throws when the server is unreachable or the
   * connection string names no database.
   */
  static async connect(uri: string, options: { logger: Logger }): Promise<MongoStore> {
    const { client, databaseName } = await connectClient(uri);
    const store = new MongoStore(client, databaseName, options.logger);
    try {
      await ensureIndexes(store.collections, options.logger);
      await store.whatsappSessions.ensureIndexes();
    } catch (error) {
      await client.close();
      throw new Error(`Could not create the indexes of MongoDB database "${databaseName}": ${(error as Error).message}`, { cause: error });
    }
    return store;
  }

  async findConversation(userKey: string): Promise<ConversationRecord | undefined> {
    return findConversation(this.collections, userKey);
  }

  async isProcessed(channel: string, messageId: string): Promise<boolean> {
    return isProcessed(this.collections, channel, messageId);
  }

  async commitTurn(turn: ConversationTurn): Promise<TurnResult> {
    return commitTurn(this.collections, turn);
  }

  async recordProcessed(message: ProcessedMessage): Promise<boolean> {
    return recordProcessed(this.collections, message);
  }

  async fileComplaint(filing: ComplaintFiling): Promise<FilingResult> {
    return desk.fileComplaint(this.collections, filing);
  }

  async savePendingQuestion(question: PendingQuestion): Promise<void> {
    await desk.savePendingQuestion(this.collections, question);
  }

  async findPendingQuestion(userKey: string): Promise<PendingQuestion | undefined> {
    return desk.findPendingQuestion(this.collections, userKey);
  }

  async deletePendingQuestion(userKey: string): Promise<void> {
    await desk.deletePendingQuestion(this.collections, userKey);
  }

  async findComplaint(ticket: string): Promise<Complaint | undefined> {
    return findComplaint(this.collections, ticket);
  }

  async listComplaints(query: ComplaintQuery): Promise<Complaint[]> {
    return listComplaints(this.collections, query);
  }

  async updateComplaint(update: ComplaintUpdate): Promise<Complaint | 'conflict'> {
    return updateComplaint(this.collections, this.outbox, update, this.logger);
  }

  async enqueueOutbound(messages: Array<Omit<OutboundMessage, 'id'>>): Promise<void> {
    await this.outbox.enqueue(messages);
  }

  async takeOutbound(channel: string, userId: string, now: Date): Promise<OutboundMessage[]> {
    return this.outbox.take(channel, userId, now);
  }

  async listOutbound(query: { channel?: string; userId?: string; limit?: number }): Promise<OutboundMessage[]> {
    return this.outbox.list(query);
  }

  async claimOutbound(query: { channels: string[]; now: Date; limit: number; claimMs: number }): Promise<ClaimedOutbound[]> {
    return this.outbox.claim(query);
  }

  async settleOutbound(settlement: { id: string; claimToken: string; outcome: DeliveryOutcome }): Promise<boolean> {
    return this.outbox.settle(settlement);
  }

  async listDeliveries(query: Parameters<Store['listDeliveries']>[0]): Promise<Delivery[]> {
    return this.outbox.deliveries(query);
  }

  async recordNotice(notice: KeyedNotice): Promise<boolean> {
    return this.outbox.recordNotice(notice);
  }

  async findNoticeKeys(keys: string[]): Promise<Set<string>> {
    return this.outbox.findNoticeKeys(keys);
  }

  async acquireLease(lease: { name: string; holder: string; now: Date; ttlMs: number }): Promise<boolean> {
    return acquireLease(this.collections, lease);
  }

  async releaseLease(lease: { name: string; holder: string }): Promise<void> {
    await this.collections.leases.deleteOne({ _id: lease.name, holder: lease.holder });
  }

  async setRecipientReachable(change: { channel: string; userId: string; reachable: boolean; at: Date }): Promise<void> {
    await setRecipientReachable(this.collections, change);
  }

  async isRecipientUnreachable(channel: string, userId: string): Promise<boolean> {
    return isRecipientUnreachable(this.collections, channel, userId);
  }

  async saveMedia(media: Omit<StoredMedia, 'id'>): Promise<string> {
    return this.media.save(media);
  }

  async findMedia(id: string): Promise<StoredMedia | undefined> {
    return this.media.find(id);
  }

  async deleteMedia(ids: string[]): Promise<void> {
    await this.media.delete(ids);
  }

  async recordPinFailure(failure: { ticket: string; userKey: string; at: Date }): Promise<void> {
    await recordPinFailure(this.collections, failure);
  }

  async countPinFailures(query: { ticket: string; userKey: string; since: Date }): Promise<{ forTicket: number; forUser: number }> {
    return countPinFailures(this.collections, query);
  }

  async mergeUser(merge: UserMerge): Promise<UserMergeResult> {
    return mergeUser(this.collections, merge);
  }

  async ping(): Promise<void> {
    await this.collections.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
