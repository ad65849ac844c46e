import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import { recipientKeyOf, type ClaimedOutbound, type Delivery, type DeliveryOutcome, type DeliveryStatus, type KeyedNotice, type OutboundMessage } from '../store.js';
import { isDuplicateKeyError, type MongoCollections, type OutboxDocument, type PendingOutbound } from './connection.js';

/**
 * The outbox of the MongoDB store. `updateComplaint` writes its messages into the complaint
 * document (`pendingOutbound`) in the same write as the change. This class moves them into
 * the `outbox` collection and hands them out in `seq` order.
 *
 * A message keeps its id from the complaint to the outbox, and delivery marks it `sent`
 * instead of deleting it, so the document stays as its delivery record. A move that runs
 * twice (two processes, or a crash between the outbox insert and the removal from the
 * complaint) then hits the duplicate `_id` and adds nothing, so no message is queued twice.
 *
 * TODO: delete old delivery records. A TTL index on `sentAt` would, on MongoDB; FerretDB 1.24
 * rejects `expireAfterSeconds`, so this waits for a retention job on the scheduler.
 */
export class MongoOutbox {
  constructor(private readonly collections: MongoCollections) {}

  /**
   * Gives each message the next outbox sequence numbers, in the given order, and an id: from
   * `idOf` when given, random otherwise.
   */
  async reserve(messages: ReadonlyArray<Omit<OutboundMessage, 'id'>>, idOf?: (index: number) => string): Promise<PendingOutbound[]> {
    if (messages.length === 0) return [];
    const last = await this.advanceSequence(messages.length);
    const first = last - messages.length + 1;
    return messages.map((message, index) => ({
      id: idOf ? idOf(index) : randomUUID(),
      seq: first + index,
      channel: message.channel,
      userId: message.userId,
      text: message.text,
      ...(message.ticket === undefined ? {} : { ticket: message.ticket }),
      createdAt: message.createdAt,
    }));
  }

  /**
   * Queues messages that belong to no complaint update, in the given order.
   * NOTE: the inserts are separate writes; a crash in the middle keeps the first messages
   * and loses the rest.
   */
  async enqueue(messages: ReadonlyArray<Omit<OutboundMessage, 'id'>>): Promise<void> {
    const reserved = await this.reserve(messages);
    if (reserved.length === 0) return;
    await this.collections.outbox.insertMany(reserved.map(toOutboxDocument), { ordered: true });
  }

  /**
   * Queues the notice's messages unless its key is recorded. The messages get ids derived
   * from the key, so a second run after a crash between the inserts and the key's record (or
   * a concurrent run) adds no copy; the key is recorded last.
   */
  async recordNotice(notice: KeyedNotice): Promise<boolean> {
    const { notices } = this.collections;
    if (await notices.findOne({ _id: notice.key }, { projection: { _id: 1 } })) return false;
    const reserved = await this.reserve(notice.outbound, (index) => `${notice.key}#${index}`);
    await this.insertAbsent(reserved);
    try {
      await notices.insertOne({ _id: notice.key, ...(notice.ticket === undefined ? {} : { ticket: notice.ticket }), recordedAt: notice.now });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Returns which of the keys are recorded. */
  async findNoticeKeys(keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    // One `_id` lookup per key: FerretDB 1.24 scans the collection for `$in`.
    for (const key of keys) {
      if (await this.collections.notices.findOne({ _id: key }, { projection: { _id: 1 } })) found.add(key);
    }
    return found;
  }

  /**
   * Copies the pending messages of one complaint (by its `_id`) to the outbox, then removes
   * them from the complaint.
   */
  async moveToOutbox(complaintId: string, pending: PendingOutbound[]): Promise<void> {
    await this.insertAbsent(pending);
    // `$pullAll` with the entries as read: FerretDB 1.24's `$pull` only removes equal values,
    // not ones matching a condition, and `$pullAll` behaves the same on both servers.
    await this.collections.complaints.updateOne({ _id: complaintId }, { $pullAll: { pendingOutbound: pending } });
  }

  /** Moves the messages that are still pending in any complaint, left there by a crash or a failed move. */
  async movePending(): Promise<void> {
    const complaints = await this.collections.complaints
      .find({ 'pendingOutbound.id': { $gt: '' } }, { projection: { pendingOutbound: 1 } })
      .toArray();
    for (const complaint of complaints) await this.moveToOutbox(complaint._id, complaint.pendingOutbound);
  }

  /** Returns the pending messages of one recipient, oldest first, and marks them sent. */
  async take(channel: string, userId: string, now: Date): Promise<OutboundMessage[]> {
    await this.movePending();
    const queued = await this.queued({ channel, userId, limit: 1000 });
    if (queued.length === 0) return [];
    const ids = queued.map((message) => message._id);
    const claimToken = randomUUID();
    const claimed = await this.collections.outbox.updateMany(
      { _id: { $in: ids }, status: 'pending' },
      { $set: { status: 'sent', sentAt: now, claimToken, claimedUntil: null } },
    );
    if (claimed.modifiedCount === ids.length) return queued.map(toOutboundMessage);
    // A concurrent take claimed some of them first: return only this call's.
    const mine = await this.collections.outbox.find({ _id: { $in: ids }, claimToken }).sort({ seq: 1, _id: 1 }).toArray();
    return mine.map(toOutboundMessage);
  }

  /** Returns pending messages without taking them, oldest first. */
  async list(query: { channel?: string; userId?: string; limit?: number }): Promise<OutboundMessage[]> {
    await this.movePending();
    return (await this.queued({ ...query, limit: query.limit ?? 100 })).map(toOutboundMessage);
  }

  /** See Store.claimOutbound. */
  async claim(query: { channels: string[]; now: Date; limit: number; claimMs: number }): Promise<ClaimedOutbound[]> {
    if (query.channels.length === 0 || query.limit <= 0) return [];
    await this.movePending();
    const { now } = query;
    // A recipient's messages are claimable in order up to the first one that has to wait (for
    // its retry time or for a live claim elsewhere); the later ones wait behind it.
    const pending = await this.collections.outbox
      .find({ status: 'pending', channel: { $in: query.channels } })
      .sort({ seq: 1, _id: 1 })
      .limit(claimScanLimit)
      .toArray();
    const blocked = new Set<string>();
    const candidates: OutboxDocument[] = [];
    for (const document of pending) {
      const recipient = recipientKeyOf(document);
      if (blocked.has(recipient)) continue;
      const claimable = document.nextAttemptAt <= now && (document.claimedUntil === null || document.claimedUntil <= now);
      if (!claimable) {
        blocked.add(recipient);
        continue;
      }
      candidates.push(document);
      if (candidates.length === query.limit) break;
    }
    const claimedUntil = new Date(now.getTime() + query.claimMs);
    const claimed: ClaimedOutbound[] = [];
    for (const document of candidates) {
      const claimToken = randomUUID();
      const result = await this.collections.outbox.updateOne(
        { _id: document._id, status: 'pending', claimToken: document.claimToken },
        { $set: { claimedUntil, claimToken } },
      );
      if (result.modifiedCount === 1) claimed.push({ ...toOutboundMessage(document), attempts: document.attempts, claimToken });
    }
    return claimed;
  }

  /** See Store.settleOutbound. */
  async settle(settlement: { id: string; claimToken: string; outcome: DeliveryOutcome }): Promise<boolean> {
    const { outcome } = settlement;
    const filter = { _id: settlement.id, claimToken: settlement.claimToken, status: 'pending' as const };
    const release = { claimedUntil: null, claimToken: null };
    let result;
    switch (outcome.status) {
      case 'sent':
        result = await this.collections.outbox.updateOne(filter, { $set: { ...release, status: 'sent', sentAt: outcome.at } });
        break;
      case 'retry':
        result = await this.collections.outbox.updateOne(filter, {
          $set: { ...release, nextAttemptAt: outcome.retryAt, lastError: outcome.error },
          $inc: { attempts: 1 },
        });
        break;
      case 'dead':
        result = await this.collections.outbox.updateOne(filter, {
          $set: { ...release, status: 'dead', lastError: outcome.error },
          $inc: { attempts: 1 },
        });
        break;
    }
    return result.modifiedCount === 1;
  }

  /** See Store.listDeliveries. */
  async deliveries(query: { ticket?: string; channel?: string; userId?: string; statuses?: DeliveryStatus[]; limit?: number }): Promise<Delivery[]> {
    await this.movePending();
    const filter: Filter<OutboxDocument> = {};
    if (query.ticket !== undefined) filter.ticket = query.ticket;
    if (query.channel !== undefined) filter.channel = query.channel;
    if (query.userId !== undefined) filter.userId = query.userId;
    if (query.statuses && query.statuses.length > 0) filter.status = { $in: query.statuses };
    const documents = await this.collections.outbox.find(filter).sort({ seq: 1, _id: 1 }).limit(query.limit ?? 100).toArray();
    return documents.map((document) => ({
      ...toOutboundMessage(document),
      status: document.status,
      attempts: document.attempts,
      nextAttemptAt: document.nextAttemptAt,
      ...(document.lastError === undefined ? {} : { lastError: document.lastError }),
      ...(document.sentAt === undefined ? {} : { sentAt: document.sentAt }),
    }));
  }

  private async queued(query: { channel?: string; userId?: string; limit: number }): Promise<OutboxDocument[]> {
    if (query.limit <= 0) return [];
    const filter: Filter<OutboxDocument> = { status: 'pending' };
    if (query.channel !== undefined) filter.channel = query.channel;
    if (query.userId !== undefined) filter.userId = query.userId;
    return this.collections.outbox.find(filter).sort({ seq: 1, _id: 1 }).limit(query.limit).toArray();
  }

  /** Inserts the messages one by one; a message whose id is in the outbox already is kept as it is. */
  private async insertAbsent(messages: readonly PendingOutbound[]): Promise<void> {
    for (const message of messages) {
      try {
        await this.collections.outbox.insertOne(toOutboxDocument(message));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /**
   * Adds `count` to the outbox sequence counter and returns the new value. MongoDB increments
   * atomically. FerretDB 1.24 does not (`$inc` is read, add, write back): concurrent updates
   * there can get the same numbers, and `_id` then orders messages of equal `seq`.
   */
  private async advanceSequence(count: number): Promise<number> {
    const increment = () =>
      this.collections.counters.findOneAndUpdate(
        { _id: 'outbox' },
        { $inc: { value: count } },
        { upsert: true, returnDocument: 'after' },
      );
    let counter;
    try {
      counter = await increment();
    } catch (error) {
      // Two first-ever upserts at once: one inserts, the other hits the duplicate `_id` and
      // finds the counter on its second try.
      if (!isDuplicateKeyError(error)) throw error;
      counter = await increment();
    }
    if (!counter) throw new Error('The outbox sequence counter was not returned by its upsert; check the "counters" collection');
    return counter.value;
  }
}

/** Pending messages read per claim to find each recipient's oldest one. */
const claimScanLimit = 500;

function toOutboxDocument(message: PendingOutbound): OutboxDocument {
  const { id, ...fields } = message;
  return { _id: id, ...fields, status: 'pending', attempts: 0, nextAttemptAt: message.createdAt, claimedUntil: null, claimToken: null };
}

function toOutboundMessage(document: OutboxDocument): OutboundMessage {
  return {
    id: document._id,
    channel: document.channel,
    userId: document.userId,
    text: document.text,
    ...(document.ticket === undefined || document.ticket === null ? {} : { ticket: document.ticket }),
    createdAt: document.createdAt,
  };
}
