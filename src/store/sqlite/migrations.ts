/**
 * Schema migrations of the SQLite store, applied in order. Each entry is applied once and
 * recorded in `schema_migrations`; never edit an entry that has shipped, append a new one.
 */
export const migrations: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: 'conversations and processed messages',
    sql: `
      CREATE TABLE conversations (
        user_key   TEXT PRIMARY KEY,
        snapshot   TEXT NOT NULL,
        version    INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE processed_messages (
        channel      TEXT NOT NULL,
        message_id   TEXT NOT NULL,
        user_key     TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (channel, message_id)
      );
      CREATE INDEX processed_messages_processed_at ON processed_messages (processed_at);
    `,
  },
];
