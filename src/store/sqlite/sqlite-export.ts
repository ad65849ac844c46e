import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Complaint } from '../../complaints/complaint.js';
import {
  MigrationError,
  type MediaHeader,
  type MigrationSource,
  type OutboxRecord,
  type PinFailureRecord,
  type RecordKind,
  type TicketCounter,
} from '../migration/records.js';
import type { ConversationRecord, ProcessedMessage } from '../store.js';
import { migrations } from './migrations.js';
import { findComplaint } from './sqlite-complaints.js';
import { databaseFileName } from './sqlite-store.js';
import type { ConversationRow, MediaRow, OutboxRow, ProcessedRow } from './rows.js';

/** Rows read per query; the media query reads no bytes, so its rows are small too. */
const defaultBatchSize = 200;

const tableOf: Record<RecordKind, string> = {
  media: 'media',
  complaints: 'complaints',
  conversations: 'conversations',
  processedMessages: 'processed_messages',
  outbox: 'outbox',
  pinFailures: 'pin_failures',
};

/**
 * Reads every record of the SQLite store for a migration. The file is opened read-only and
 * all reads run in one read transaction, so in WAL mode they see one consistent snapshot even
 * when the bot still writes to the file. Each kind is read in pages by its primary key
 * (keyset pagination), so memory stays bounded by one page, and media bytes are read one file
 * at a time.
 */
export class SqliteExport implements MigrationSource {
  readonly description: string;

  private constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly batchSize: number,
  ) {
    this.description = `SQLite database ${file}`;
  }

  /**
   * Opens `<dataDir>/sapa-layanan.sqlite` read-only. Throws MigrationError when the file is
   * missing or its schema is not the one this version of the bot writes.
   */
  static open(dataDir: string, options: { batchSize?: number } = {}): SqliteExport {
    const file = path.resolve(dataDir, databaseFileName);
    if (!existsSync(file)) {
      throw new MigrationError(
        `No SQLite database found at ${file}. Pass the bot's DATA_DIR folder, the one that contains ${databaseFileName}, as --from sqlite:<folder>.`,
      );
    }
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new MigrationError(`Could not open the SQLite database ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      db.pragma('busy_timeout = 5000');
      checkSchema(db, file);
      // The first SELECT inside BEGIN fixes the snapshot that every later read sees.
      db.exec('BEGIN');
      db.prepare('SELECT COUNT(*) FROM schema_migrations').get();
    } catch (error) {
      db.close();
      if (error instanceof MigrationError) throw error;
      throw new MigrationError(
        `Could not read the SQLite database ${file}: ${(error as Error).message}. Check that --from names the bot's DATA_DIR folder.`,
        { cause: error },
      );
    }
    return new SqliteExport(db, file, options.batchSize ?? defaultBatchSize);
  }

  async count(kind: RecordKind): Promise<number> {
    return this.db.prepare<[], { count: number }>(`SELECT COUNT(*) AS count FROM ${tableOf[kind]}`).get()!.count;
  }

  async *media(): AsyncIterable<MediaHeader[]> {
    const page = this.db.prepare<[string, number], Omit<MediaRow, 'bytes'>>(
      'SELECT id, mime_type, size, file_name, created_at FROM media WHERE id > ? ORDER BY id LIMIT ?',
    );
    let after = '';
    for (;;) {
      const rows = page.all(after, this.batchSize);
      if (rows.length === 0) return;
      after = rows.at(-1)!.id;
      // One file per batch: each is an upload of up to several MB, so progress counts files.
      for (const row of rows) {
        yield [
          {
            id: row.id,
            mimeType: row.mime_type,
            size: row.size,
            ...(row.file_name === null ? {} : { fileName: row.file_name }),
            createdAt: new Date(row.created_at),
          },
        ];
      }
    }
  }

  async mediaBytes(id: string): Promise<Buffer> {
    const row = this.db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM media WHERE id = ?').get(id);
    if (!row) throw new MigrationError(`Media file ${id} is missing from the SQLite database although it was listed a moment ago.`);
    return row.bytes;
  }

  async complaintTickets(): Promise<string[]> {
    return this.db
      .prepare<[], { ticket: string }>('SELECT ticket FROM complaints ORDER BY ticket')
      .all()
      .map((row) => row.ticket);
  }

  async *complaints(): AsyncIterable<Complaint[]> {
    const page = this.db.prepare<[string, number], { ticket: string }>(
      'SELECT ticket FROM complaints WHERE ticket > ? ORDER BY ticket LIMIT ?',
    );
    let after = '';
    for (;;) {
      const tickets = page.all(after, this.batchSize).map((row) => row.ticket);
      if (tickets.length === 0) return;
      after = tickets.at(-1)!;
      // findComplaint is the store's own reader: the same document parsing and history order.
      yield tickets.map((ticket) => findComplaint(this.db, ticket)!);
    }
  }

  async *conversations(): AsyncIterable<ConversationRecord[]> {
    const page = this.db.prepare<[string, number], ConversationRow>(
      'SELECT user_key, snapshot, version, updated_at FROM conversations WHERE user_key > ? ORDER BY user_key LIMIT ?',
    );
    let after = '';
    for (;;) {
      const rows = page.all(after, this.batchSize);
      if (rows.length === 0) return;
      after = rows.at(-1)!.user_key;
      yield rows.map((row) => ({
        userKey: row.user_key,
        snapshot: JSON.parse(row.snapshot) as unknown,
        version: row.version,
        updatedAt: new Date(row.updated_at),
      }));
    }
  }

  async *processedMessages(): AsyncIterable<ProcessedMessage[]> {
    const page = this.db.prepare<[string, string, number], ProcessedRow>(
      `SELECT channel, message_id, user_key, processed_at FROM processed_messages
       WHERE (channel, message_id) > (?, ?) ORDER BY channel, message_id LIMIT ?`,
    );
    let after = { channel: '', messageId: '' };
    for (;;) {
      const rows = page.all(after.channel, after.messageId, this.batchSize);
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      after = { channel: last.channel, messageId: last.message_id };
      yield rows.map((row) => ({
        channel: row.channel,
        messageId: row.message_id,
        userKey: row.user_key,
        processedAt: new Date(row.processed_at),
      }));
    }
  }

  async *outbox(): AsyncIterable<OutboxRecord[]> {
    // Delivery order is `seq`, as in SqliteStore.listOutbound; `id` only makes the page key unique.
    // Only messages still waiting move: delivery records of sent and dead ones stay behind.
    const page = this.db.prepare<[number, string, number], Pick<OutboxRow, 'id' | 'channel' | 'user_id' | 'ticket' | 'text' | 'created_at' | 'seq'>>(
      `SELECT id, channel, user_id, ticket, text, created_at, seq FROM outbox
       WHERE status = 'pending' AND (seq, id) > (?, ?) ORDER BY seq, id LIMIT ?`,
    );
    let after = { seq: Number.MIN_SAFE_INTEGER, id: '' };
    for (;;) {
      const rows = page.all(after.seq, after.id, this.batchSize);
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      after = { seq: last.seq, id: last.id };
      yield rows.map((row) => ({
        id: row.id,
        seq: row.seq,
        channel: row.channel,
        userId: row.user_id,
        text: row.text,
        ...(row.ticket === null ? {} : { ticket: row.ticket }),
        createdAt: new Date(row.created_at),
      }));
    }
  }

  async *pinFailures(): AsyncIterable<PinFailureRecord[]> {
    // `rowid` pages through the table and orders equal failures. It can change on VACUUM, so
    // the identity uses the occurrence among equal (ticket, user, time) rows instead, which
    // stays the same.
    const page = this.db.prepare<[number, number], PinFailureRow>(
      `SELECT rowid, ticket, user_key, at,
         (SELECT COUNT(*) FROM pin_failures earlier
          WHERE earlier.ticket = p.ticket AND earlier.at = p.at AND earlier.user_key = p.user_key AND earlier.rowid < p.rowid) AS occurrence
       FROM pin_failures p WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(after, this.batchSize);
      if (rows.length === 0) return;
      after = rows.at(-1)!.rowid;
      yield rows.map((row) => ({ ticket: row.ticket, userKey: row.user_key, at: new Date(row.at), occurrence: row.occurrence }));
    }
  }

  async ticketCounters(): Promise<TicketCounter[]> {
    return this.db
      .prepare<[], { year: number; last_sequence: number }>('SELECT year, last_sequence FROM ticket_counters ORDER BY year')
      .all()
      .map((row) => ({ year: row.year, lastSequence: row.last_sequence }));
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}





interface PinFailureRow {
  rowid: number;
  ticket: string;
  user_key: string;
  at: string;
  occurrence: number;
}

/**
 * Checks that the file has exactly the schema migrations of migrations.ts. A read-only
 * export cannot apply missing ones, and a newer file may have tables this code would skip.
 */
function checkSchema(db: Database.Database, file: string): void {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied = hasTable
    ? db
        .prepare<[], { id: number }>('SELECT id FROM schema_migrations ORDER BY id')
        .all()
        .map((row) => row.id)
    : [];
  const known = migrations.map((migration) => migration.id);
  const unknown = applied.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new MigrationError(
      `The SQLite database ${file} has schema migrations ${unknown.join(', ')}, which this version of sapa-layanan does not know. Run the migration with the version of sapa-layanan that wrote the file.`,
    );
  }
  const missing = known.filter((id) => !applied.includes(id));
  if (missing.length > 0) {
    throw new MigrationError(
      `The SQLite database ${file} lacks schema migrations ${missing.join(', ')}. Start the bot once on it with DATA_DIR pointing to that folder (it upgrades the schema), stop it, then run the migration again.`,
    );
  }
}
