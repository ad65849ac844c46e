import type Database from 'better-sqlite3';
import type { ComplaintFiling, FilingResult, PendingQuestion, ProcessedMessage } from '../store.js';
import { insertComplaint } from './sqlite-complaints.js';
import { prepare } from './statement-cache.js';

/**
 * Writes of the messages handled outside a conversation turn (officer commands and the
 * citizen's reply to an answer): processed ids, complaints filed for a citizen, and the
 * pending questions those handlers ask.
 */

interface PendingQuestionRow {
  user_key: string;
  kind: string;
  tickets: string;
  detail: string | null;
  asked_at: string;
}

/** Inserts the processed id; returns false when it was already there. */
export function recordProcessed(db: Database.Database, message: ProcessedMessage): boolean {
  const inserted = prepare(
    db,
    `INSERT INTO processed_messages (channel, message_id, user_key, processed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(message.channel, message.messageId, message.userKey, message.processedAt.toISOString());
  return inserted.changes > 0;
}

/** Records the message and files the complaint in one transaction, or does neither for a duplicate. */
export function fileComplaint(db: Database.Database, filing: ComplaintFiling): FilingResult {
  return db
    .transaction((): FilingResult => {
      if (!recordProcessed(db, filing.message)) return { status: 'duplicate' };
      return { status: 'filed', complaint: insertComplaint(db, filing.complaint, filing.now, filing.actor) };
    })
    .immediate();
}

export function savePendingQuestion(db: Database.Database, question: PendingQuestion): void {
  prepare(
    db,
    `INSERT INTO pending_questions (user_key, kind, tickets, detail, asked_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_key) DO UPDATE SET kind = excluded.kind, tickets = excluded.tickets, detail = excluded.detail, asked_at = excluded.asked_at`,
  ).run(question.userKey, question.kind, JSON.stringify(question.tickets), question.detail ?? null, question.askedAt.toISOString());
}

export function findPendingQuestion(db: Database.Database, userKey: string): PendingQuestion | undefined {
  const row = prepare<[string], PendingQuestionRow>(db, 'SELECT * FROM pending_questions WHERE user_key = ?').get(userKey);
  if (!row) return undefined;
  return {
    userKey: row.user_key,
    kind: row.kind,
    tickets: JSON.parse(row.tickets) as string[],
    ...(row.detail === null ? {} : { detail: row.detail }),
    askedAt: new Date(row.asked_at),
  };
}

export function deletePendingQuestion(db: Database.Database, userKey: string): void {
  prepare(db, 'DELETE FROM pending_questions WHERE user_key = ?').run(userKey);
}
