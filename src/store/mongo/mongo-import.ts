import { GridFSBucket, MongoBulkWriteError, ObjectId, type Collection, type MongoClient, type OptionalUnlessRequiredId } from 'mongodb';
import type { Complaint } from '../../complaints/complaint.js';
import { createSilentLogger } from '../../log/logger.js';
import {
  MigrationError,
  type ImportCounts,
  type MediaHeader,
  type MigrationTarget,
  type OutboxRecord,
  type PinFailureRecord,
} from '../migration/records.js';
import type { ConversationRecord, ProcessedMessage } from '../store.js';
import {
  collectionsOf,
  connectClient,
  ensureIndexes,
  isDuplicateKeyError,
  mediaBucketName,
  redactUri,
  sourceMessageKeyOf,
  type ComplaintDocument,
  type ConversationDocument,
  type MongoCollections,
  type OutboxDocument,
  type ProcessedDocument,
} from './connection.js';

/**
 * Writes records exported from another store into the MongoDB store's collections, in the
 * layout of connection.ts, so that MongoStore reads them like its own.
 *
 * FerretDB 1.24 has no transactions, and its conditional updates are not atomic under
 * concurrency. So every record is one insert under a unique key (`_id`), which is atomic on
 * both servers: a duplicate key means that an earlier run wrote the record, and it is counted
 * as present and left alone. Nothing is overwritten, so a record the bot changed after an
 * earlier run keeps the change. A run cut off at any point leaves whole records only, apart
 * from a GridFS upload in progress, which the next run redoes (see `importMedia`).
 */

/** Collection that maps the id of each imported evidence file in the source to its GridFS id. */
export const mediaIdMappingCollectionName = 'migration_media_ids';

/** Prefix of the `_id` of imported complaints. Live filings use `<channel>:<messageId>`, and no channel is named `migrated`. */
const migratedIdPrefix = 'migrated:';

/** Documents per insertMany; a few hundred keeps each request small. */
const insertBatchSize = 500;

/** A mapping from a source media id (`_id`) to the GridFS file id, as ObjectId hex. */
interface MediaIdMappingDocument {
  _id: string;
  mediaId: string;
  mappedAt: Date;
}

/** The GridFS `metadata` MongoMedia writes and reads (mongo-media.ts); the two must stay equal. */
interface MediaMetadata {
  mimeType: string;
  size: number;
  fileName?: string;
  createdAt: Date;
}

/**
 * An imported PIN failure. Live failures get an ObjectId; an imported one gets a string id
 * made from its identity, so that importing it twice hits the duplicate `_id`.
 */
interface ImportedPinFailureDocument {
  _id: string;
  ticket: string;
  userKey: string;
  at: Date;
}

/** Returns the `_id` of an imported complaint. */
export function migratedComplaintId(ticket: string): string {
  return `${migratedIdPrefix}${ticket}`;
}

/** Returns the `_id` of an imported PIN failure, made from its identity. */
export function migratedPinFailureId(failure: PinFailureRecord): string {
  return `${migratedIdPrefix}${failure.ticket}|${failure.userKey}|${failure.at.toISOString()}|${failure.occurrence}`;
}

/** The import side of a migration into MongoDB (or FerretDB). */
export class MongoImport implements MigrationTarget {
  readonly description: string;
  private readonly collections: MongoCollections;
  private readonly mediaIds: Collection<MediaIdMappingDocument>;
  private readonly bucket: GridFSBucket;

  private constructor(
    private readonly client: MongoClient,
    databaseName: string,
    uri: string,
  ) {
    this.description = `MongoDB database "${databaseName}" at ${redactUri(uri)}`;
    this.collections = collectionsOf(client.db(databaseName));
    this.mediaIds = this.collections.db.collection<MediaIdMappingDocument>(mediaIdMappingCollectionName);
    this.bucket = new GridFSBucket(this.collections.db, { bucketName: mediaBucketName });
  }

  /**
   * Connects to the database named in the path of `uri` and creates the store's indexes, so
   * that the unique indexes guard the imported records as they guard live ones.
   */
  static async open(uri: string): Promise<MongoImport> {
    let connection: Awaited<ReturnType<typeof connectClient>>;
    try {
      connection = await connectClient(uri);
    } catch (error) {
      // connectClient's own message names MONGODB_URI, which the migration does not read.
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new MigrationError(
        `Could not connect to MongoDB at ${redactUri(uri)}: ${reason}. Check the connection string and that the server is running.`,
        { cause: error },
      );
    }
    const { client, databaseName } = connection;
    const target = new MongoImport(client, databaseName, uri);
    try {
      await ensureIndexes(target.collections, createSilentLogger());
    } catch (error) {
      await client.close();
      throw new MigrationError(
        `Could not create the indexes of MongoDB database "${databaseName}": ${(error as Error).message}. Check that the user may create indexes there.`,
        { cause: error },
      );
    }
    return target;
  }

  async findForeignTickets(tickets: readonly string[]): Promise<string[]> {
    const foreign: string[] = [];
    for (let start = 0; start < tickets.length; start += insertBatchSize) {
      const batch = tickets.slice(start, start + insertBatchSize);
      const taken = await this.collections.complaints
        .find({ ticket: { $in: batch } }, { projection: { _id: 1, ticket: 1 } })
        .toArray();
      for (const document of taken) {
        if (document._id !== migratedComplaintId(document.ticket)) foreign.push(document.ticket);
      }
    }
    return foreign.sort();
  }

  /**
   * Uploads each file to GridFS under the id that `migration_media_ids` maps its source id to,
   * creating the mapping first when there is none. The GridFS driver writes the chunks first
   * and the `media.files` document last, so that document marks a finished upload. Chunks
   * without it are left by an upload that was cut off: they are deleted and the file is
   * uploaded again under the same id.
   */
  async importMedia(media: readonly MediaHeader[], readBytes: (id: string) => Promise<Buffer>): Promise<ImportCounts> {
    const counts: ImportCounts = { written: 0, present: 0 };
    const files = this.collections.db.collection(`${mediaBucketName}.files`);
    const chunks = this.collections.db.collection(`${mediaBucketName}.chunks`);
    for (const header of media) {
      const mediaId = new ObjectId(await this.mapMediaId(header.id));
      if (await files.findOne({ _id: mediaId }, { projection: { _id: 1 } })) {
        counts.present++;
        continue;
      }
      await chunks.deleteMany({ files_id: mediaId });
      await this.upload(mediaId, header, await readBytes(header.id));
      counts.written++;
    }
    return counts;
  }

  async mediaIdMapping(): Promise<Map<string, string>> {
    const mapping = new Map<string, string>();
    for await (const document of this.mediaIds.find({})) mapping.set(document._id, document.mediaId);
    return mapping;
  }

  /**
   * Inserts each complaint under `_id` `migrated:<ticket>`. A duplicate key is either that
   * `_id` (an earlier run imported it) or the unique ticket or (year, sequence) index, which
   * means a complaint filed in this database has the number. FerretDB 1.24 does not say
   * which index was hit, so the `_id` is looked up.
   */
  async importComplaints(complaints: readonly Complaint[]): Promise<ImportCounts> {
    const counts: ImportCounts = { written: 0, present: 0 };
    for (const complaint of complaints) {
      const _id = migratedComplaintId(complaint.ticket);
      const document: ComplaintDocument = { _id, ...complaint, pendingOutbound: [] };
      try {
        await this.collections.complaints.insertOne(document);
        counts.written++;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        if (!(await this.collections.complaints.findOne({ _id }, { projection: { _id: 1 } }))) {
          throw new MigrationError(
            `Complaint ${complaint.ticket} cannot be imported: a complaint filed in the target database already has that ticket number. ` +
              'Import into a new, empty database, and start the bot on it only after the migration has finished.',
          );
        }
        counts.present++;
      }
    }
    return counts;
  }

  async importConversations(conversations: readonly ConversationRecord[]): Promise<ImportCounts> {
    const documents = conversations.map(
      (conversation): ConversationDocument => ({
        _id: conversation.userKey,
        snapshot: JSON.stringify(conversation.snapshot),
        version: conversation.version,
        updatedAt: conversation.updatedAt,
        // Duplicate detection of these users' earlier messages works through processed_messages.
        recentMessageKeys: [],
      }),
    );
    return insertAbsent(this.collections.conversations, documents);
  }

  async importProcessedMessages(messages: readonly ProcessedMessage[]): Promise<ImportCounts> {
    const documents = messages.map(
      (message): ProcessedDocument => ({
        _id: sourceMessageKeyOf(message),
        channel: message.channel,
        messageId: message.messageId,
        userKey: message.userKey,
        processedAt: message.processedAt,
      }),
    );
    return insertAbsent(this.collections.processed, documents);
  }

  /**
   * Inserts the messages with their source `seq` and ids, then raises the outbox sequence
   * counter to at least the highest `seq` imported, so that messages the bot queues later
   * sort after them. The raise is a `$max` upsert: idempotent, so it runs again after an
   * interrupted run. It is not atomic against a concurrent `$inc` on FerretDB 1.24, so the
   * bot must not run on the target during the migration.
   */
  async importOutbox(messages: readonly OutboxRecord[]): Promise<ImportCounts> {
    if (messages.length === 0) return { written: 0, present: 0 };
    const documents = messages.map(
      (message): OutboxDocument => ({
        _id: message.id,
        seq: message.seq,
        channel: message.channel,
        userId: message.userId,
        text: message.text,
        ...(message.ticket === undefined ? {} : { ticket: message.ticket }),
        createdAt: message.createdAt,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: message.createdAt,
        claimedUntil: null,
        claimToken: null,
      }),
    );
    const counts = await insertAbsent(this.collections.outbox, documents);
    const highest = Math.max(...messages.map((message) => message.seq));
    await this.collections.counters.updateOne({ _id: 'outbox' }, { $max: { value: highest } }, { upsert: true });
    return counts;
  }

  async importPinFailures(failures: readonly PinFailureRecord[]): Promise<ImportCounts> {
    const pinFailures = this.collections.db.collection<ImportedPinFailureDocument>(this.collections.pinFailures.collectionName);
    const documents = failures.map(
      (failure): ImportedPinFailureDocument => ({
        _id: migratedPinFailureId(failure),
        ticket: failure.ticket,
        userKey: failure.userKey,
        at: failure.at,
      }),
    );
    return insertAbsent(pinFailures, documents);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Returns the GridFS id mapped to `sourceId`, recording a new one first when there is none.
   * The mapping is a unique-`_id` insert: when two runs race, one insert wins and both read
   * its id.
   */
  private async mapMediaId(sourceId: string): Promise<string> {
    const existing = await this.mediaIds.findOne({ _id: sourceId });
    if (existing) return existing.mediaId;
    const mapping: MediaIdMappingDocument = { _id: sourceId, mediaId: new ObjectId().toHexString(), mappedAt: new Date() };
    try {
      await this.mediaIds.insertOne(mapping);
      return mapping.mediaId;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const winner = await this.mediaIds.findOne({ _id: sourceId });
    if (!winner) throw new Error(`The media id mapping of ${sourceId} was neither inserted nor found; check the "${mediaIdMappingCollectionName}" collection`);
    return winner.mediaId;
  }

  /** Uploads one file as MongoMedia.save does, but under the given id. */
  private async upload(id: ObjectId, header: MediaHeader, bytes: Buffer): Promise<void> {
    const metadata: MediaMetadata = {
      mimeType: header.mimeType,
      size: header.size,
      ...(header.fileName === undefined ? {} : { fileName: header.fileName }),
      createdAt: header.createdAt,
    };
    const upload = this.bucket.openUploadStreamWithId(id, header.fileName ?? id.toHexString(), { metadata });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(bytes);
    });
  }
}

/**
 * Inserts the documents whose `_id` is not in the collection yet and counts the others as
 * present. Unordered insertMany goes on past duplicate keys and reports each one (MongoDB 7
 * and FerretDB 1.24 alike); any other write error is thrown.
 */
async function insertAbsent<T extends { _id: string }>(collection: Collection<T>, documents: readonly T[]): Promise<ImportCounts> {
  const counts: ImportCounts = { written: 0, present: 0 };
  for (let start = 0; start < documents.length; start += insertBatchSize) {
    const batch = documents.slice(start, start + insertBatchSize) as Array<OptionalUnlessRequiredId<T>>;
    try {
      const result = await collection.insertMany(batch, { ordered: false });
      counts.written += result.insertedCount;
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      const other = writeErrors.find((writeError) => writeError.code !== 11000);
      if (other) throw new Error(`Inserting into "${collection.collectionName}" failed: ${other.errmsg ?? `code ${other.code}`}`, { cause: error });
      // A write concern error, for one, reports no write errors: then not every document is accounted for.
      if (error.insertedCount + writeErrors.length !== batch.length) throw error;
      counts.written += error.insertedCount;
      counts.present += writeErrors.length;
    }
  }
  return counts;
}
