import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConversationRecord, ConversationTurn, Store, TurnResult } from '../store.js';
import { migrations } from './migrations.js';

/** File name of the database inside DATA_DIR. */
export const databaseFileName = 'sapa-layanan.sqlite';

interface ConversationRow {
  user_key: string;
  snapshot: string;
  version: number;
  updated_at: string;
}

/**
 * The embedded store: one SQLite file in WAL mode through better-sqlite3. Calls are
 * synchronous underneath, which makes each transaction atomic within this process;
 * `busy_timeout` covers a second process on the same file.
 */
export class SqliteStore implements Store {
  private constructor(private readonly db: Database.Database) {}

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
    const row = this.db
      .prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE user_key = ?')
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
    const row = this.db
      .prepare('SELECT 1 FROM processed_messages WHERE channel = ? AND message_id = ?')
      .get(channel, messageId);
    return row !== undefined;
  }

  async commitTurn(turn: ConversationTurn): Promise<TurnResult> {
    const commit = this.db.transaction((): TurnResult => {
      const inserted = this.db
        .prepare(
          `INSERT INTO processed_messages (channel, message_id, user_key, processed_at)
           VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(turn.message.channel, turn.message.messageId, turn.message.userKey, turn.message.processedAt.toISOString());
      if (inserted.changes === 0) return { status: 'duplicate' };

      const snapshot = JSON.stringify(turn.snapshot);
      const now = turn.now.toISOString();
      if (turn.expectedVersion === undefined) {
        const created = this.db
          .prepare(
            `INSERT INTO conversations (user_key, snapshot, version, updated_at) VALUES (?, ?, 1, ?)
             ON CONFLICT DO NOTHING`,
          )
          .run(turn.userKey, snapshot, now);
        if (created.changes === 0) throw new ConflictSignal();
        return { status: 'committed', version: 1 };
      }

      const updated = this.db
        .prepare(
          `UPDATE conversations SET snapshot = ?, version = version + 1, updated_at = ?
           WHERE user_key = ? AND version = ?`,
        )
        .run(snapshot, now, turn.userKey, turn.expectedVersion);
      if (updated.changes === 0) throw new ConflictSignal();
      return { status: 'committed', version: turn.expectedVersion + 1 };
    });

    try {
      return commit.immediate();
    } catch (error) {
      // Throwing inside the transaction rolls back the processed-message insert too.
      if (error instanceof ConflictSignal) return { status: 'conflict' };
      throw error;
    }
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
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
    db
      .prepare<[], { id: number }>('SELECT id FROM schema_migrations')
      .all()
      .map((row) => row.id),
  );
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        migration.id,
        migration.name,
        new Date().toISOString(),
      );
    })();
  }
}
