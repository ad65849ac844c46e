import type { Filter, UpdateFilter } from 'mongodb';
import type { Complaint, EvidenceRef, HistoryEntry, NewComplaint } from '../../complaints/complaint.js';
import { formatTicketNumber } from '../../complaints/ticket-number.js';
import type { Logger } from '../../log/logger.js';
import type { ComplaintQuery, ComplaintUpdate } from '../store.js';
import { isDuplicateKeyError, type ComplaintDocument, type MongoCollections } from './connection.js';
import type { MongoOutbox } from './mongo-outbox.js';

/**
 * Complaint documents of the MongoDB store: one document per complaint with its history as
 * an embedded array that is only ever appended to (`$push`), so every change of a complaint
 * is one atomic single-document write.
 */

/**
 * Insert attempts for one ticket number before giving up. An attempt fails only when another
 * filing took that number, so N filings at once need at most N attempts each.
 */
const maxTicketAttempts = 100;

/** A complaint written by `insertFiledComplaint`, and whether it was already there. */
export interface FiledComplaint {
  complaint: Complaint;
  /** True when an earlier attempt of the same inbound message had already filed it. */
  replayed: boolean;
}

/**
 * Files `input` under the next ticket number of its year, or returns the complaint the same
 * inbound message already filed. `sourceMessageKey` (`<channel>:<messageId>`) becomes the
 * complaint's `_id`. `actor` is the actor of the first history entry: the citizen, or the
 * officer who files for them.
 *
 * No transactions in FerretDB 1.24, and its `$inc` is not atomic under concurrency: the
 * number comes from the unique (year, sequence) index instead of a counter. The first
 * attempt takes the highest sequence of the year plus one; each duplicate key on it tries
 * the next number. A number is taken only by an insert that succeeded, and every number up
 * to the highest is taken, so the numbers stay gap-free.
 */
export async function insertFiledComplaint(
  collections: MongoCollections,
  input: NewComplaint,
  sourceMessageKey: string,
  now: Date,
  actor = 'citizen',
): Promise<FiledComplaint> {
  const { complaints } = collections;
  const last = await complaints.findOne({ year: input.year }, { sort: { sequence: -1 }, projection: { sequence: 1 } });
  let sequence = (last?.sequence ?? 0) + 1;
  for (let attempt = 1; attempt <= maxTicketAttempts; attempt++, sequence++) {
    const complaint: Complaint = {
      ...input,
      ticket: formatTicketNumber(input.year, sequence),
      sequence,
      status: 'diterima',
      history: [{ at: input.receivedAt, actor, from: null, to: 'diterima' }],
      revision: 1,
      updatedAt: now,
    };
    try {
      await complaints.insertOne({ _id: sourceMessageKey, ...complaint, pendingOutbound: [] });
      return { complaint, replayed: false };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // The error does not say which unique index was hit (FerretDB 1.24 leaves it out), so
    // look for the source message key: present means a replay, absent means the number was taken.
    const existing = await complaints.findOne({ _id: sourceMessageKey });
    if (existing) return { complaint: toComplaint(existing), replayed: true };
  }
  throw new Error(
    `Could not take a ticket number of ${input.year} for message ${sourceMessageKey} in ${maxTicketAttempts} attempts: ` +
      'other filings kept taking the next number. Retry the message.',
  );
}

/**
 * Replaces the PIN hash of the complaint that `sourceMessageKey` filed, for a replayed turn:
 * the earlier attempt never replied, so no citizen saw the earlier PIN.
 */
export async function replacePinHash(
  collections: MongoCollections,
  sourceMessageKey: string,
  pinHash: string,
): Promise<Complaint> {
  const updated = await collections.complaints.findOneAndUpdate(
    { _id: sourceMessageKey },
    { $set: { pinHash } },
    { returnDocument: 'after' },
  );
  if (!updated) {
    throw new Error(
      `The complaint filed by message ${sourceMessageKey} disappeared before its PIN was replaced; complaints are never deleted, check the "complaints" collection`,
    );
  }
  return toComplaint(updated);
}

/** Returns the complaint with that ticket number, or undefined. */
export async function findComplaint(collections: MongoCollections, ticket: string): Promise<Complaint | undefined> {
  const document = await collections.complaints.findOne({ ticket });
  return document ? toComplaint(document) : undefined;
}

/** Returns the complaints matching `query`, soonest deadline first, then by ticket. */
export async function listComplaints(collections: MongoCollections, query: ComplaintQuery): Promise<Complaint[]> {
  const limit = query.limit ?? 100;
  if (limit <= 0) return [];
  const filter: Filter<ComplaintDocument> = {};
  if (query.statuses && query.statuses.length > 0) filter.status = { $in: query.statuses };
  if (query.channel !== undefined) filter.channel = query.channel;
  if (query.userId !== undefined) filter.userId = query.userId;
  const documents = await collections.complaints.find(filter).sort({ dueAt: 1, ticket: 1 }).limit(limit).toArray();
  return documents.map(toComplaint);
}

/**
 * Applies a change when the revision still matches. The field changes, the history entry,
 * the revision and the outbound messages go into the complaint document in one
 * `findOneAndUpdate`, which is atomic in MongoDB without a transaction: a crash leaves either
 * all of them or none. The messages wait there in `pendingOutbound` until they are moved to
 * the outbox, right after the update or by the next `takeOutbound`/`listOutbound`.
 */
export async function updateComplaint(
  collections: MongoCollections,
  outbox: MongoOutbox,
  update: ComplaintUpdate,
  logger: Logger,
): Promise<Complaint | 'conflict'> {
  const set: Record<string, unknown> = { updatedAt: update.now };
  const unset: Record<string, ''> = {};
  for (const [field, value] of Object.entries(update.changes)) {
    // A change to undefined removes the field, as in the SQLite store's JSON document.
    if (value === undefined) unset[field] = '';
    else set[field] = value;
  }
  const pending = await outbox.reserve(update.outbound);
  const push: Record<string, unknown> = { history: historyDocument(update.history) };
  if (pending.length > 0) push.pendingOutbound = { $each: pending };

  const change: UpdateFilter<ComplaintDocument> = { $set: set, $push: push, $inc: { revision: 1 } };
  if (Object.keys(unset).length > 0) change.$unset = unset;
  // FerretDB 1.24 applies this as read, change, write back, not atomically: there two
  // concurrent updates of one revision can both succeed. MongoDB checks the filter and writes
  // under one document lock, so only one does.
  const updated = await collections.complaints.findOneAndUpdate(
    { ticket: update.ticket, revision: update.expectedRevision },
    change,
    { returnDocument: 'after' },
  );
  if (!updated) return 'conflict';

  if (updated.pendingOutbound.length > 0) {
    try {
      await outbox.moveToOutbox(updated._id, updated.pendingOutbound);
    } catch (error) {
      // The change is saved and its messages wait in the complaint. The next takeOutbound or
      // listOutbound moves them.
      logger.warn({ err: error, ticket: updated.ticket }, 'outbound messages stay pending in the complaint');
    }
  }
  return toComplaint(updated);
}

/** Maps a stored complaint to the domain object, leaving out `_id` and the adapter's own fields. */
export function toComplaint(document: ComplaintDocument): Complaint {
  return {
    ticket: document.ticket,
    year: document.year,
    sequence: document.sequence,
    status: document.status,
    topic: { ...document.topic },
    description: document.description,
    evidence: document.evidence.map(toEvidence),
    identity: document.identity,
    ...optional('citizenName', document.citizenName),
    channel: document.channel,
    userId: document.userId,
    pinHash: document.pinHash,
    source: document.source,
    receivedAt: document.receivedAt,
    ...optional('classId', document.classId),
    dueAt: document.dueAt,
    ...optional('assignee', document.assignee),
    ...optional('answer', document.answer),
    ...optional('forwardedTo', document.forwardedTo),
    ...optional('rejectionReason', document.rejectionReason),
    history: document.history.map(historyDocument),
    revision: document.revision,
    updatedAt: document.updatedAt,
  };
}

function toEvidence(evidence: EvidenceRef): EvidenceRef {
  return {
    mediaId: evidence.mediaId,
    mimeType: evidence.mimeType,
    size: evidence.size,
    ...optional('fileName', evidence.fileName),
  };
}

function historyDocument(entry: HistoryEntry): HistoryEntry {
  return { at: entry.at, actor: entry.actor, from: entry.from ?? null, to: entry.to, ...optional('note', entry.note) };
}

/** `{ [key]: value }` when the value is set, `{}` when it is undefined or null. */
function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === undefined || value === null ? {} : ({ [key]: value } as { [P in K]?: V });
}
