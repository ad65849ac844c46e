import { MongoClient, MongoServerError, type Collection, type Db, type IndexDescription, type ObjectId } from 'mongodb';
import type { Complaint } from '../../complaints/complaint.js';
import type { Logger } from '../../log/logger.js';

/**
 * Connection, collection names, document shapes and indexes of the MongoDB store. Each
 * collection's documents are described here once; the other files of this folder read and
 * write them.
 */

/** A conversation. `_id` is the user key, so it is unique without a second index. */
export interface ConversationDocument {
  _id: string;
  /**
   * The XState snapshot as JSON text, not as a BSON object: it then round-trips exactly as in
   * the SQLite store (JSON semantics), and its keys need not be valid BSON field names.
   */
  snapshot: string;
  version: number;
  updatedAt: Date;
  /** Source message keys (`<channel>:<messageId>`) of the last turns saved here; see mongo-turns.ts. */
  recentMessageKeys: string[];
}

/** One handled inbound message. `_id` is its source message key, `<channel>:<messageId>`. */
export interface ProcessedDocument {
  _id: string;
  channel: string;
  messageId: string;
  userKey: string;
  processedAt: Date;
}

/** An outbound message written by `updateComplaint` inside the complaint, not yet moved to the outbox. */
export interface PendingOutbound {
  id: string;
  seq: number;
  channel: string;
  userId: string;
  text: string;
  ticket?: string;
  createdAt: Date;
}

/** A complaint: the domain fields plus the fields only this adapter uses. */
export type ComplaintDocument = Complaint & {
  /**
   * The source message key `<channel>:<messageId>` of the inbound message that filed it.
   * Unique as the `_id`, which makes filing idempotent per message.
   */
  _id: string;
  /** Outbound messages of the last updates that are not in the outbox yet; usually empty. */
  pendingOutbound: PendingOutbound[];
};

/** A queued or delivered outbound message with its delivery record, `_id` the message id. */
export interface OutboxDocument extends Omit<PendingOutbound, 'id'> {
  _id: string;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  /** End of the current dispatcher claim; null when unclaimed. */
  claimedUntil: Date | null;
  /** Random id of the claim (or of the web chat's take) that holds the message. */
  claimToken: string | null;
  lastError?: string;
  sentAt?: Date;
}

/** A recorded notice key; `_id` is the key. */
export interface NoticeDocument {
  _id: string;
  ticket?: string;
  recordedAt: Date;
}

/** A named lease; `_id` is its name. */
export interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/** A named counter; only the outbox sequence uses one. */
export interface CounterDocument {
  _id: string;
  value: number;
}

/** One wrong PIN entry. */
export interface PinFailureDocument {
  _id?: ObjectId;
  ticket: string;
  userKey: string;
  at: Date;
}

/** The collections of one database. */
export interface MongoCollections {
  db: Db;
  conversations: Collection<ConversationDocument>;
  processed: Collection<ProcessedDocument>;
  complaints: Collection<ComplaintDocument>;
  outbox: Collection<OutboxDocument>;
  counters: Collection<CounterDocument>;
  pinFailures: Collection<PinFailureDocument>;
  notices: Collection<NoticeDocument>;
  leases: Collection<LeaseDocument>;
}

/** GridFS bucket name of evidence files (collections `media.files` and `media.chunks`). */
export const mediaBucketName = 'media';

const indexes: Record<Exclude<keyof MongoCollections, 'db'>, IndexDescription[]> = {
  conversations: [],
  processed: [{ key: { channel: 1, messageId: 1 }, name: 'channel_messageId', unique: true }],
  complaints: [
    { key: { ticket: 1 }, name: 'ticket', unique: true },
    { key: { year: 1, sequence: 1 }, name: 'year_sequence', unique: true },
    { key: { channel: 1, userId: 1 }, name: 'channel_userId' },
    { key: { status: 1, dueAt: 1 }, name: 'status_dueAt' },
    { key: { 'pendingOutbound.id': 1 }, name: 'pendingOutbound_id' },
  ],
  outbox: [
    { key: { channel: 1, userId: 1, status: 1, seq: 1 }, name: 'recipient_status_queue' },
    { key: { status: 1, nextAttemptAt: 1 }, name: 'status_nextAttemptAt' },
    { key: { ticket: 1, seq: 1 }, name: 'ticket_seq' },
  ],
  counters: [],
  pinFailures: [
    { key: { ticket: 1, at: 1 }, name: 'ticket_at' },
    { key: { userKey: 1, at: 1 }, name: 'userKey_at' },
  ],
  notices: [],
  leases: [],
};

/**
 * The source message key of an inbound message, `<channel>:<messageId>`. It is the `_id` of
 * the processed record and of the complaint the message filed: FerretDB 1.24 (SQLite backend)
 * looks up only a filter of exactly `{ _id }` without scanning the whole collection.
 */
export function sourceMessageKeyOf(message: { channel: string; messageId: string }): string {
  return `${message.channel}:${message.messageId}`;
}

/** Returns the collections of `db`. */
export function collectionsOf(db: Db): MongoCollections {
  return {
    db,
    conversations: db.collection<ConversationDocument>('conversations'),
    processed: db.collection<ProcessedDocument>('processed_messages'),
    complaints: db.collection<ComplaintDocument>('complaints'),
    outbox: db.collection<OutboxDocument>('outbox'),
    counters: db.collection<CounterDocument>('counters'),
    pinFailures: db.collection<PinFailureDocument>('pin_failures'),
    notices: db.collection<NoticeDocument>('notices'),
    leases: db.collection<LeaseDocument>('leases'),
  };
}

/** Creates every index the store relies on; existing indexes with the same definition are kept. */
export async function ensureIndexes(collections: MongoCollections, logger: Logger): Promise<void> {
  for (const [name, descriptions] of Object.entries(indexes)) {
    const collection = collections[name as keyof typeof indexes] as unknown as Collection;
    // One index per call: FerretDB 1.24 drops the connection ("slice bounds out of range")
    // when one createIndexes call names several indexes that all exist already.
    for (const description of descriptions) await collection.createIndexes([description]);
  }
  logger.debug({ collections: Object.keys(indexes) }, 'mongo indexes ensured');
}

/**
 * Opens a client for `uri`. `ignoreUndefined` drops undefined fields, as JSON does in the
 * SQLite store, instead of storing them as null.
 */
export async function connectClient(uri: string): Promise<{ client: MongoClient; databaseName: string }> {
  const databaseName = databaseNameOf(uri);
  const client = new MongoClient(uri, { ignoreUndefined: true, serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(`Could not connect to MongoDB at ${redactUri(uri)}: ${(error as Error).message}. Check MONGODB_URI and that the server runs.`, {
      cause: error,
    });
  }
  return { client, databaseName };
}

/**
 * Returns the database name from the path of a MongoDB connection string, such as
 * `sapa-layanan` from mongodb://db:27017/sapa-layanan?retryWrites=true.
 */
export function databaseNameOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/.exec(uri);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  if (!name) {
    throw new Error(
      `MONGODB_URI ${redactUri(uri)} names no database; add it as the path, such as mongodb://127.0.0.1:27017/sapa-layanan`,
    );
  }
  return name;
}

/** Replaces the user name and password of a connection string with `***`, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1***@');
}

/** Returns whether `error` is a duplicate-key error (code 11000) of any unique index. */
export function isDuplicateKeyError(error: unknown): boolean {
  // FerretDB 1.24 reports 11000 without `keyPattern` or the index name, so callers find out
  // which unique index was hit by reading, not from the error.
  return error instanceof MongoServerError && error.code === 11000;
}
