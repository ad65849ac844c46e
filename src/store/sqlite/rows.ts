/**
 * Row shapes of the SQLite tables (see migrations.ts), shared by the store and the export
 * for migration. Dates are ISO 8601 text, as the store writes them.
 */

/** A row of `conversations`. */
export interface ConversationRow {
  user_key: string;
  snapshot: string;
  version: number;
  updated_at: string;
}

/** A row of `processed_messages`. */
export interface ProcessedRow {
  channel: string;
  message_id: string;
  user_key: string;
  processed_at: string;
}

/** A row of `outbox`; `seq` keeps the order of messages queued in the same millisecond. */
export interface OutboxRow {
  id: string;
  channel: string;
  user_id: string;
  ticket: string | null;
  text: string;
  created_at: string;
  seq: number;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  claim_token: string | null;
  last_error: string | null;
  sent_at: string | null;
}

/** A row of `media`. */
export interface MediaRow {
  id: string;
  mime_type: string;
  size: number;
  file_name: string | null;
  bytes: Buffer;
  created_at: string;
}
