import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import type { OutboundMessage } from '../store.js';
import { isDuplicateKeyError, type MongoCollections, type OutboxDocument, type PendingOutbound } from './connection.js';

/**
 * The outbox of the MongoDB store. `updateComplaint` writes its messages into the complaint
 * document (`pendingOutbound`) in the same write as the change. This class moves them into
 * the `outbox` collection and hands them out in `seq` order.
 *
 * A message keeps its id from the complaint to the outbox, and `takeOutbound` marks it taken
 * instead of deleting it. A move that runs twice (two processes, or a crash between the
 * outbox insert and the removal from the complaint) then hits the duplicate `_id` and adds
 * nothing, so no message is delivered twice.
 *
 * NOTE: nothing deletes taken messages yet. A TTL index on `takenAt` would, on MongoDB;
 * FerretDB 1.24 rejects `expireAfterSeconds`.
 */
export class MongoOutbox {
  constructor(private readonly collections: MongoCollections) {}

  /** Gives each message an id and the next outbox sequence numbers, in the given order. */
  async reserve(messages: ReadonlyArray<Omit<OutboundMessage, 'id'>>): Promise<PendingOutbound[]> {
    if (messages.length === 0) return [];
    const last = await this.advanceSequence(messages.length);
    const first = last - messages.length + 1;
    return messages.map((message, index) => ({
      id: randomUUID(),
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
    await this.collections.outbox.insertMany(
      reserved.map(({ id, ...fields }) => ({ _id: id, ...fields, takenAt: null })),
      { ordered: true },
    );
  }

  /**
   * Copies the pending messages of one complaint (by its `_id`) to the outbox, then removes
   * them from the complaint.
   */
  async moveToOutbox(complaintId: string, pending: PendingOutbound[]): Promise<void> {
    for (const message of pending) {
      const { id, ...fields } = message;
      try {
        await this.collections.outbox.insertOne({ _id: id, ...fields, takenAt: null });
      } catch (error) {
        // Already moved by an earlier or concurrent move: keep the copy that is there.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
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

  /** Returns the queued messages of one recipient, oldest first, and marks them taken. */
  async take(channel: string, userId: string): Promise<OutboundMessage[]> {
    await this.movePending();
    const queued = await this.queued({ channel, userId, limit: 1000 });
    if (queued.length === 0) return [];
    const ids = queued.map((message) => message._id);
    const takeToken = randomUUID();
    const claimed = await this.collections.outbox.updateMany(
      { _id: { $in: ids }, takenAt: null },
      { $set: { takenAt: new Date(), takeToken } },
    );
    if (claimed.modifiedCount === ids.length) return queued.map(toOutboundMessage);
    // A concurrent take claimed some of them first: return only this call's.
    const mine = await this.collections.outbox.find({ _id: { $in: ids }, takeToken }).sort({ seq: 1, _id: 1 }).toArray();
    return mine.map(toOutboundMessage);
  }

  /** Returns queued messages without taking them, oldest first. */
  async list(query: { channel?: string; userId?: string; limit?: number }): Promise<OutboundMessage[]> {
    await this.movePending();
    return (await this.queued({ ...query, limit: query.limit ?? 100 })).map(toOutboundMessage);
  }

  private async queued(query: { channel?: string; userId?: string; limit: number }): Promise<OutboxDocument[]> {
    if (query.limit <= 0) return [];
    const filter: Filter<OutboxDocument> = { takenAt: null };
    if (query.channel !== undefined) filter.channel = query.channel;
    if (query.userId !== undefined) filter.userId = query.userId;
    return this.collections.outbox.find(filter).sort({ seq: 1, _id: 1 }).limit(query.limit).toArray();
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
