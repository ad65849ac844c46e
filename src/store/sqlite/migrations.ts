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
  {
    id: 2,
    name: 'complaints, history, ticket counters, outbox, media, PIN failures',
    sql: `
      CREATE TABLE ticket_counters (
        year          INTEGER PRIMARY KEY,
        last_sequence INTEGER NOT NULL
      );
      CREATE TABLE complaints (
        ticket      TEXT PRIMARY KEY,
        year        INTEGER NOT NULL,
        sequence    INTEGER NOT NULL,
        status      TEXT NOT NULL,
        channel     TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        due_at      TEXT NOT NULL,
        received_at TEXT NOT NULL,
        revision    INTEGER NOT NULL,
        updated_at  TEXT NOT NULL,
        document    TEXT NOT NULL,
        UNIQUE (year, sequence)
      );
      CREATE INDEX complaints_user ON complaints (channel, user_id);
      CREATE INDEX complaints_status_due ON complaints (status, due_at);
      CREATE TABLE complaint_history (
        ticket   TEXT NOT NULL REFERENCES complaints (ticket),
        position INTEGER NOT NULL,
        at       TEXT NOT NULL,
        actor    TEXT NOT NULL,
        from_status TEXT,
        to_status   TEXT NOT NULL,
        note     TEXT,
        PRIMARY KEY (ticket, position)
      );
      CREATE TRIGGER complaint_history_no_update BEFORE UPDATE ON complaint_history
        BEGIN SELECT RAISE(ABORT, 'complaint history is append-only'); END;
      CREATE TRIGGER complaint_history_no_delete BEFORE DELETE ON complaint_history
        BEGIN SELECT RAISE(ABORT, 'complaint history is append-only'); END;
      CREATE TABLE outbox (
        id         TEXT PRIMARY KEY,
        channel    TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        ticket     TEXT,
        text       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seq        INTEGER NOT NULL
      );
      CREATE INDEX outbox_recipient ON outbox (channel, user_id, seq);
      CREATE TABLE media (
        id         TEXT PRIMARY KEY,
        mime_type  TEXT NOT NULL,
        size       INTEGER NOT NULL,
        file_name  TEXT,
        bytes      BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE pin_failures (
        ticket   TEXT NOT NULL,
        user_key TEXT NOT NULL,
        at       TEXT NOT NULL
      );
      CREATE INDEX pin_failures_ticket ON pin_failures (ticket, at);
      CREATE INDEX pin_failures_user ON pin_failures (user_key, at);
    `,
  },
  {
    id: 3,
    name: 'outbox delivery records, notice ledger, leases',
    sql: `
      ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
      ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
      ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
      ALTER TABLE outbox ADD COLUMN claim_token TEXT;
      ALTER TABLE outbox ADD COLUMN last_error TEXT;
      ALTER TABLE outbox ADD COLUMN sent_at TEXT;
      UPDATE outbox SET next_attempt_at = created_at;
      CREATE INDEX outbox_pending ON outbox (status, channel, seq);
      CREATE INDEX outbox_ticket ON outbox (ticket, seq);
      CREATE TABLE notices (
        key         TEXT PRIMARY KEY,
        ticket      TEXT,
        recorded_at TEXT NOT NULL
      );
      CREATE TABLE leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    id: 4,
    name: 'WhatsApp auth state and sent messages',
    sql: `
      CREATE TABLE whatsapp_auth (
        session TEXT NOT NULL,
        key     TEXT NOT NULL,
        value   TEXT NOT NULL,
        PRIMARY KEY (session, key)
      );
      CREATE TABLE whatsapp_sent_messages (
        session TEXT NOT NULL,
        id      TEXT NOT NULL,
        content TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (session, id)
      );
      CREATE INDEX whatsapp_sent_messages_sent_at ON whatsapp_sent_messages (session, sent_at);
    `,
  },
  {
    id: 5,
    name: 'pending questions',
    sql: `
      CREATE TABLE pending_questions (
        user_key TEXT PRIMARY KEY,
        kind     TEXT NOT NULL,
        tickets  TEXT NOT NULL,
        detail   TEXT,
        asked_at TEXT NOT NULL
      );
    `,
  },
  {
    id: 6,
    name: 'unreachable recipients',
    sql: `
      CREATE TABLE unreachable_recipients (
        channel TEXT NOT NULL,
        user_id TEXT NOT NULL,
        since   TEXT NOT NULL,
        PRIMARY KEY (channel, user_id)
      );
    `,
  },
];
