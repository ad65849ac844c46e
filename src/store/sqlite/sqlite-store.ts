import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Complaint } from '../../complaints/complaint.js';
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
import { findComplaint, insertComplaint, listComplaints, updateComplaint } from './sqlite-complaints.js';
import { claimDue, enqueueOutbound, selectDeliveries, selectPending, settle, takePending } from './sqlite-outbox.js';
import { migrations } from './migrations.js';
import * as desk from './sqlite-desk.js';
import { prepare } from './statement-cache.js';
import type { ConversationRow, MediaRow } from './rows.js';
import type { UserMerge, UserMergeResult } from '../whatsapp-sessions.js';
import { mergeUser } from './sqlite-user-merge.js';
import { SqliteWhatsAppSessions } from './sqlite-whatsapp-sessions.js';

/** File name of the database inside DATA_DIR. */
export const databaseFileName = 'sapa-layanan.sqlite';

/**
 * The embedded store: one SQLite file in WAL mode through better-sqlite3. Calls are
 * synchronous underneath, which makes each transaction atomic within this process;
 * `busy_timeout` covers a second process on the same file.
 */
export class SqliteStore implements Store {
  readonly whatsappSessions: SqliteWhatsAppSessions;

  private constructor(private readonly db: Database.Database) {
    this.whatsappSessions = new SqliteWhatsAppSessions(db);
  }

  /** Opens (creating when missing) the database in `dataDir`, or in memory for `':memory:'`. */
  static open(dataDir: string): SqliteStore {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = path.join(dataDir, databaseFileName);
    }
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteStore(db);
  }

  async findConversation(userKey: string): Promise<ConversationRecord | undefined> {
    const row = prepare<[string], ConversationRow>(this.db, 'SELECT * FROM conversations WHERE user_key = ?')
      .get(userKey);
    if (!row) return undefined;
    return {
      userKey: row.user_key,
      snapshot: JSON.parse(row.snapshot) as unknown,
      version: row.version,
      updatedAt: new Date(row.updated_at),
    };
  }

  async isProcessed(channel: string, messageId: string): Promise<boolean> {
    const row = prepare(this.db, 'SELECT 1 FROM processed_messages WHERE channel = ? AND message_id = ?')
      .get(channel, messageId);
    return row !== undefined;
  }

  async commitTurn(turn: ConversationTurn): Promise<TurnResult> {
    const commit = this.db.transaction((): TurnResult => {
      const inserted = prepare(this.db, 
          `INSERT INTO processed_messages (channel, message_id, user_key, processed_at)
           VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(turn.message.channel, turn.message.messageId, turn.message.userKey, turn.message.processedAt.toISOString());
      if (inserted.changes === 0) return { status: 'duplicate' };

      const snapshot = JSON.stringify(turn.snapshot);
      const now = turn.now.toISOString();
      if (turn.expectedVersion === undefined) {
        const created = prepare(this.db, 
            `INSERT INTO conversations (user_key, snapshot, version, updated_at) VALUES (?, ?, 1, ?)
             ON CONFLICT DO NOTHING`,
          )
          .run(turn.userKey, snapshot, now);
        if (created.changes === 0) throw new ConflictSignal();
        return { status: 'committed', version: 1, ...this.fileTurnComplaint(turn) };
      }

      const updated = prepare(this.db, 
          `UPDATE conversations SET snapshot = ?, version = version + 1, updated_at = ?
           WHERE user_key = ? AND version = ?`,
        )
        .run(snapshot, now, turn.userKey, turn.expectedVersion);
      if (updated.changes === 0) throw new ConflictSignal();
      return { status: 'committed', version: turn.expectedVersion + 1, ...this.fileTurnComplaint(turn) };
    });

    try {
      return commit.immediate();
    } catch (error) {
      // Throwing inside the transaction rolls back the processed-message insert too.
      if (error instanceof ConflictSignal) return { status: 'conflict' };
      throw error;
    }
  }

  private fileTurnComplaint(turn: ConversationTurn): { complaint?: Complaint } {
    return turn.newComplaint ? { complaint: insertComplaint(this.db, turn.newComplaint, turn.now) } : {};
  }

  async recordProcessed(message: ProcessedMessage): Promise<boolean> {
    return desk.recordProcessed(this.db, message);
  }

  async fileComplaint(filing: ComplaintFiling): Promise<FilingResult> {
    return desk.fileComplaint(this.db, filing);
  }

  async savePendingQuestion(question: PendingQuestion): Promise<void> {
    desk.savePendingQuestion(this.db, question);
  }

  async findPendingQuestion(userKey: string): Promise<PendingQuestion | undefined> {
    return desk.findPendingQuestion(this.db, userKey);
  }

  async deletePendingQuestion(userKey: string): Promise<void> {
    desk.deletePendingQuestion(this.db, userKey);
  }

  async findComplaint(ticket: string): Promise<Complaint | undefined> {
    return findComplaint(this.db, ticket);
  }

  async listComplaints(query: ComplaintQuery): Promise<Complaint[]> {
    return listComplaints(this.db, query);
  }

  async updateComplaint(update: ComplaintUpdate): Promise<Complaint | 'conflict'> {
    return this.db.transaction(() => updateComplaint(this.db, update)).immediate();
  }

  async enqueueOutbound(messages: Array<Omit<OutboundMessage, 'id'>>): Promise<void> {
    this.db.transaction(() => {
      for (const message of messages) enqueueOutbound(this.db, message);
    })();
  }

  async takeOutbound(channel: string, userId: string, now: Date): Promise<OutboundMessage[]> {
    return this.db.transaction(() => takePending(this.db, channel, userId, now)).immediate();
  }

  async listOutbound(query: { channel?: string; userId?: string; limit?: number }): Promise<OutboundMessage[]> {
    return selectPending(this.db, query);
  }

  async claimOutbound(query: { channels: string[]; now: Date; limit: number; claimMs: number }): Promise<ClaimedOutbound[]> {
    return this.db.transaction(() => claimDue(this.db, query)).immediate();
  }

  async settleOutbound(settlement: { id: string; claimToken: string; outcome: DeliveryOutcome }): Promise<boolean> {
    return settle(this.db, settlement);
  }

  async listDeliveries(query: Parameters<Store['listDeliveries']>[0]): Promise<Delivery[]> {
    return selectDeliveries(this.db, query);
  }

  async recordNotice(notice: KeyedNotice): Promise<boolean> {
    return this.db
      .transaction(() => {
        const recorded = prepare(this.db, 'INSERT INTO notices (key, ticket, recorded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
          notice.key,
          notice.ticket ?? null,
          notice.now.toISOString(),
        );
        if (recorded.changes === 0) return false;
        for (const message of notice.outbound) enqueueOutbound(this.db, message);
        return true;
      })
      .immediate();
  }

  async findNoticeKeys(keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const select = prepare<[string], { key: string }>(this.db, 'SELECT key FROM notices WHERE key = ?');
    for (const key of keys) if (select.get(key)) found.add(key);
    return found;
  }

  async acquireLease(lease: { name: string; holder: string; now: Date; ttlMs: number }): Promise<boolean> {
    const now = lease.now.toISOString();
    const expiresAt = new Date(lease.now.getTime() + lease.ttlMs).toISOString();
    const taken = prepare(
      this.db,
      `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
    ).run({ name: lease.name, holder: lease.holder, expiresAt, now });
    return taken.changes === 1;
  }

  async releaseLease(lease: { name: string; holder: string }): Promise<void> {
    prepare(this.db, 'DELETE FROM leases WHERE name = ? AND holder = ?').run(lease.name, lease.holder);
  }

  async setRecipientReachable(change: { channel: string; userId: string; reachable: boolean; at: Date }): Promise<void> {
    if (change.reachable) {
      prepare(this.db, 'DELETE FROM unreachable_recipients WHERE channel = ? AND user_id = ?').run(change.channel, change.userId);
      return;
    }
    prepare(this.db, 'INSERT INTO unreachable_recipients (channel, user_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(change.channel, change.userId, change.at.toISOString());
  }

  async isRecipientUnreachable(channel: string, userId: string): Promise<boolean> {
    return prepare(this.db, 'SELECT 1 FROM unreachable_recipients WHERE channel = ? AND user_id = ?').get(channel, userId) !== undefined;
  }

  async saveMedia(media: Omit<StoredMedia, 'id'>): Promise<string> {
    const id = randomUUID();
    prepare(this.db, 'INSERT INTO media (id, mime_type, size, file_name, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, media.mimeType, media.size, media.fileName ?? null, media.bytes, media.createdAt.toISOString());
    return id;
  }

  async findMedia(id: string): Promise<StoredMedia | undefined> {
    const row = prepare<[string], MediaRow>(this.db, 'SELECT * FROM media WHERE id = ?').get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      mimeType: row.mime_type,
      size: row.size,
      ...(row.file_name === null ? {} : { fileName: row.file_name }),
      bytes: row.bytes,
      createdAt: new Date(row.created_at),
    };
  }

  async deleteMedia(ids: string[]): Promise<void> {
    const remove = prepare(this.db, 'DELETE FROM media WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) remove.run(id);
    })();
  }

  async recordPinFailure(failure: { ticket: string; userKey: string; at: Date }): Promise<void> {
    prepare(this.db, 'INSERT INTO pin_failures (ticket, user_key, at) VALUES (?, ?, ?)')
      .run(failure.ticket, failure.userKey, failure.at.toISOString());
  }

  async countPinFailures(query: { ticket: string; userKey: string; since: Date }): Promise<{ forTicket: number; forUser: number }> {
    const since = query.since.toISOString();
    const count = (column: 'ticket' | 'user_key', value: string) =>
      prepare<[string, string], { count: number }>(this.db, `SELECT COUNT(*) AS count FROM pin_failures WHERE ${column} = ? AND at >= ?`)
        .get(value, since)!.count;
    return { forTicket: count('ticket', query.ticket), forUser: count('user_key', query.userKey) };
  }

  async mergeUser(merge: UserMerge): Promise<UserMergeResult> {
    return mergeUser(this.db, merge);
  }

  async ping(): Promise<void> {
    prepare(this.db, 'SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}



/** Thrown inside a transaction to roll it back on a version conflict. */
class ConflictSignal extends Error {}

function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    prepare<[], { id: number }>(db, 'SELECT id FROM schema_migrations')
      .all()
      .map((row) => row.id),
  );
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      prepare(db, 'INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        migration.id,
        migration.name,
        new Date().toISOString(),
      );
    })();
  }
}
