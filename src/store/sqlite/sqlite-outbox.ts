import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ClaimedOutbound, Delivery, DeliveryOutcome, DeliveryStatus, OutboundMessage } from '../store.js';
import type { OutboxRow } from './rows.js';
import { prepare } from './statement-cache.js';
import { whereClause } from './where-clause.js';

/**
 * The outbox of the SQLite store: queued messages and their delivery records. A message is
 * `pending` until a channel delivered it (or the web chat took it), `sent` after, and `dead`
 * once the dispatcher gave up. Every function here runs inside the caller's transaction when
 * there is one.
 */

/** Queues one outbound message; `seq` keeps the order of messages queued in the same millisecond. */
export function enqueueOutbound(db: Database.Database, message: Omit<OutboundMessage, 'id'>): void {
  const { next } = prepare<[], { next: number }>(db, 'SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM outbox').get()!;
  const createdAt = message.createdAt.toISOString();
  prepare(
    db,
    `INSERT INTO outbox (id, channel, user_id, ticket, text, created_at, seq, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(randomUUID(), message.channel, message.userId, message.ticket ?? null, message.text, createdAt, next, createdAt);
}

/** Returns pending messages, oldest first. */
export function selectPending(db: Database.Database, query: { channel?: string; userId?: string; limit?: number }): OutboundMessage[] {
  const { where, parameters } = whereClause(
    [
      ['channel', query.channel],
      ['user_id', query.userId],
    ],
    ["status = 'pending'"],
  );
  return prepare<Array<string | number>, OutboxRow>(db, `SELECT * FROM outbox ${where} ORDER BY seq LIMIT ?`)
    .all(...parameters, query.limit ?? 100)
    .map(toOutboundMessage);
}

/** Marks the pending messages of one recipient sent and returns them, oldest first. */
export function takePending(db: Database.Database, channel: string, userId: string, now: Date): OutboundMessage[] {
  const messages = selectPending(db, { channel, userId, limit: 1000 });
  const markSent = prepare(db, "UPDATE outbox SET status = 'sent', sent_at = ?, claim_token = NULL WHERE id = ?");
  for (const message of messages) markSent.run(now.toISOString(), message.id);
  return messages;
}

/** See Store.claimOutbound. */
export function claimDue(db: Database.Database, query: { channels: string[]; now: Date; limit: number; claimMs: number }): ClaimedOutbound[] {
  if (query.channels.length === 0 || query.limit <= 0) return [];
  const now = query.now.toISOString();
  const channels = query.channels.map(() => '?').join(', ');
  // Due, unclaimed messages with no earlier pending message of the same recipient that has to
  // wait (for its retry time or for a live claim elsewhere), so each recipient keeps its order.
  const rows = prepare<Array<string | number>, OutboxRow>(
    db,
    `SELECT * FROM outbox AS o
     WHERE o.status = 'pending' AND o.channel IN (${channels})
       AND o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until <= ?)
       AND NOT EXISTS (
         SELECT 1 FROM outbox AS earlier
         WHERE earlier.status = 'pending' AND earlier.channel = o.channel
           AND earlier.user_id = o.user_id AND earlier.seq < o.seq
           AND (earlier.next_attempt_at > ? OR earlier.claimed_until > ?))
     ORDER BY o.seq LIMIT ?`,
  ).all(...query.channels, now, now, now, now, query.limit);
  const claimedUntil = new Date(query.now.getTime() + query.claimMs).toISOString();
  const claim = prepare(db, 'UPDATE outbox SET claimed_until = ?, claim_token = ? WHERE id = ?');
  return rows.map((row) => {
    const claimToken = randomUUID();
    claim.run(claimedUntil, claimToken, row.id);
    return { ...toOutboundMessage(row), attempts: row.attempts, claimToken };
  });
}

/** See Store.settleOutbound. */
export function settle(db: Database.Database, settlement: { id: string; claimToken: string; outcome: DeliveryOutcome }): boolean {
  const { id, claimToken, outcome } = settlement;
  const where = "WHERE id = @id AND claim_token = @claimToken AND status = 'pending'";
  const parameters = { id, claimToken };
  switch (outcome.status) {
    case 'sent':
      return (
        prepare(db, `UPDATE outbox SET status = 'sent', sent_at = @at, claimed_until = NULL, claim_token = NULL ${where}`).run({
          ...parameters,
          at: outcome.at.toISOString(),
        }).changes === 1
      );
    case 'retry':
      return (
        prepare(
          db,
          `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @retryAt, last_error = @error,
             claimed_until = NULL, claim_token = NULL ${where}`,
        ).run({ ...parameters, retryAt: outcome.retryAt.toISOString(), error: outcome.error }).changes === 1
      );
    case 'dead':
      return (
        prepare(
          db,
          `UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = @error,
             claimed_until = NULL, claim_token = NULL ${where}`,
        ).run({ ...parameters, error: outcome.error }).changes === 1
      );
  }
}

/** See Store.listDeliveries. */
export function selectDeliveries(
  db: Database.Database,
  query: { ticket?: string; channel?: string; userId?: string; statuses?: DeliveryStatus[]; limit?: number },
): Delivery[] {
  const statuses = query.statuses ?? [];
  const statusCondition = statuses.length > 0 ? [`status IN (${statuses.map(() => '?').join(', ')})`] : [];
  const { where, parameters } = whereClause(
    [
      ['ticket', query.ticket],
      ['channel', query.channel],
      ['user_id', query.userId],
    ],
    statusCondition,
  );
  return prepare<Array<string | number>, OutboxRow>(db, `SELECT * FROM outbox ${where} ORDER BY seq LIMIT ?`)
    .all(...statuses, ...parameters, query.limit ?? 100)
    .map((row) => ({
      ...toOutboundMessage(row),
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: new Date(row.next_attempt_at),
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
      ...(row.sent_at === null ? {} : { sentAt: new Date(row.sent_at) }),
    }));
}

function toOutboundMessage(row: OutboxRow): OutboundMessage {
  return {
    id: row.id,
    channel: row.channel,
    userId: row.user_id,
    text: row.text,
    ...(row.ticket === null ? {} : { ticket: row.ticket }),
    createdAt: new Date(row.created_at),
  };
}
