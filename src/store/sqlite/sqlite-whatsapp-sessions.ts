import type Database from 'better-sqlite3';
import type { AuthValueChange, SentMessageRecord, WhatsAppSessionStore } from '../whatsapp-sessions.js';
import { prepare } from './statement-cache.js';

/**
 * WhatsApp sessions in the SQLite file (tables `whatsapp_auth` and `whatsapp_sent_messages`).
 * A batch of auth writes runs in one transaction, so a crash keeps all of it or none.
 */
export class SqliteWhatsAppSessions implements WhatsAppSessionStore {
  constructor(private readonly db: Database.Database) {}

  async readAuthValues(session: string, keys: readonly string[]): Promise<Map<string, string>> {
    const select = prepare<[string, string], { value: string }>(this.db, 'SELECT value FROM whatsapp_auth WHERE session = ? AND key = ?');
    const values = new Map<string, string>();
    for (const key of keys) {
      const row = select.get(session, key);
      if (row) values.set(key, row.value);
    }
    return values;
  }

  async writeAuthValues(session: string, changes: readonly AuthValueChange[]): Promise<void> {
    const upsert = prepare(
      this.db,
      'INSERT INTO whatsapp_auth (session, key, value) VALUES (?, ?, ?) ON CONFLICT (session, key) DO UPDATE SET value = excluded.value',
    );
    const remove = prepare(this.db, 'DELETE FROM whatsapp_auth WHERE session = ? AND key = ?');
    this.db.transaction(() => {
      for (const change of changes) {
        if (change.value === null) remove.run(session, change.key);
        else upsert.run(session, change.key, change.value);
      }
    }).immediate();
  }

  async clearAuthValues(session: string): Promise<void> {
    prepare(this.db, 'DELETE FROM whatsapp_auth WHERE session = ?').run(session);
  }

  async saveSentMessage(session: string, message: SentMessageRecord): Promise<void> {
    prepare(
      this.db,
      `INSERT INTO whatsapp_sent_messages (session, id, content, sent_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (session, id) DO UPDATE SET content = excluded.content, sent_at = excluded.sent_at`,
    ).run(session, message.id, message.content, message.sentAt.toISOString());
  }

  async findSentMessage(session: string, id: string): Promise<string | undefined> {
    const row = prepare<[string, string], { content: string }>(this.db, 'SELECT content FROM whatsapp_sent_messages WHERE session = ? AND id = ?').get(
      session,
      id,
    );
    return row?.content;
  }

  async deleteSentMessagesBefore(session: string, before: Date): Promise<number> {
    return prepare(this.db, 'DELETE FROM whatsapp_sent_messages WHERE session = ? AND sent_at < ?').run(session, before.toISOString()).changes;
  }
}
