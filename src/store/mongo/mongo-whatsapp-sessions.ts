import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { AuthValueChange, SentMessageRecord, WhatsAppSessionStore } from '../whatsapp-sessions.js';

/** An auth value. `_id` is `<session>:<key>`; keys may contain `:` and `/`, session names do not. */
interface AuthDocument {
  _id: string;
  session: string;
  value: string;
}

/** A sent message. `_id` is `<session>:<message id>`. */
interface SentMessageDocument {
  _id: string;
  session: string;
  content: string;
  sentAt: Date;
}

/**
 * WhatsApp sessions in MongoDB (collections `whatsapp_auth` and `whatsapp_sent_messages`).
 * Each value is one document, so each value's write is atomic. A batch of auth writes is one
 * ordered `bulkWrite`.
 * NOTE: without transactions (FerretDB 1.24, a standalone mongo:7) a crash in the middle of
 * a batch keeps its first writes. Baileys batches writes of signal keys that it can
 * recreate, such as pre-keys and sessions, so a partial batch costs a session renegotiation.
 */
export class MongoWhatsAppSessions implements WhatsAppSessionStore {
  private readonly auth: Collection<AuthDocument>;
  private readonly sent: Collection<SentMessageDocument>;

  constructor(db: Db) {
    this.auth = db.collection<AuthDocument>('whatsapp_auth');
    this.sent = db.collection<SentMessageDocument>('whatsapp_sent_messages');
  }

  /** Creates the indexes this class relies on; existing ones are kept. */
  async ensureIndexes(): Promise<void> {
    // One index per call: FerretDB 1.24 drops the connection when one call names several existing indexes.
    await this.auth.createIndexes([{ key: { session: 1 }, name: 'session' }]);
    await this.sent.createIndexes([{ key: { session: 1, sentAt: 1 }, name: 'session_sentAt' }]);
  }

  async readAuthValues(session: string, keys: readonly string[]): Promise<Map<string, string>> {
    // One lookup by exact `_id` per key: FerretDB 1.24 answers those from its primary key,
    // while `$in` scans the whole collection.
    const found = await Promise.all(keys.map((key) => this.auth.findOne({ _id: idOf(session, key) })));
    const values = new Map<string, string>();
    keys.forEach((key, index) => {
      const document = found[index];
      if (document) values.set(key, document.value);
    });
    return values;
  }

  async writeAuthValues(session: string, changes: readonly AuthValueChange[]): Promise<void> {
    if (changes.length === 0) return;
    const operations = changes.map((change): AnyBulkWriteOperation<AuthDocument> => {
      const _id = idOf(session, change.key);
      if (change.value === null) return { deleteOne: { filter: { _id } } };
      return { replaceOne: { filter: { _id }, replacement: { session, value: change.value }, upsert: true } };
    });
    await this.auth.bulkWrite(operations, { ordered: true });
  }

  async clearAuthValues(session: string): Promise<void> {
    await this.auth.deleteMany({ session });
  }

  async saveSentMessage(session: string, message: SentMessageRecord): Promise<void> {
    const _id = idOf(session, message.id);
    await this.sent.replaceOne({ _id }, { session, content: message.content, sentAt: message.sentAt }, { upsert: true });
  }

  async findSentMessage(session: string, id: string): Promise<string | undefined> {
    const document = await this.sent.findOne({ _id: idOf(session, id) });
    return document?.content;
  }

  async deleteSentMessagesBefore(session: string, before: Date): Promise<number> {
    const result = await this.sent.deleteMany({ session, sentAt: { $lt: before } });
    return result.deletedCount;
  }
}

function idOf(session: string, key: string): string {
  return `${session}:${key}`;
}
