import type Database from 'better-sqlite3';
import { formatTicketNumber } from '../../complaints/ticket-number.js';
import type { Complaint, HistoryEntry, NewComplaint } from '../../complaints/complaint.js';
import type { ComplaintQuery, ComplaintUpdate } from '../store.js';
import { prepare } from './statement-cache.js';
import { enqueueOutbound } from './sqlite-outbox.js';
import { whereClause } from './where-clause.js';

/**
 * Complaint rows of the SQLite store. The complaint itself is a JSON document with the
 * queried fields copied into columns; its history lives in `complaint_history`, whose
 * triggers make it append-only. Every function here runs inside the caller's transaction.
 */

interface ComplaintRow {
  ticket: string;
  revision: number;
  document: string;
}

interface HistoryRow {
  at: string;
  actor: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

/** Allocates the next ticket number of `input.year` and inserts the complaint with its first history entry. */
export function insertComplaint(db: Database.Database, input: NewComplaint, now: Date): Complaint {
  const { year } = input;
  prepare(db, 
    `INSERT INTO ticket_counters (year, last_sequence) VALUES (?, 1)
     ON CONFLICT (year) DO UPDATE SET last_sequence = last_sequence + 1`,
  ).run(year);
  const { last_sequence: sequence } = prepare<[number], { last_sequence: number }>(db, 'SELECT last_sequence FROM ticket_counters WHERE year = ?')
    .get(year)!;

  const complaint: Complaint = {
    ...input,
    ticket: formatTicketNumber(year, sequence),
    sequence,
    status: 'diterima',
    history: [{ at: input.receivedAt, actor: 'citizen', from: null, to: 'diterima' }],
    revision: 1,
    updatedAt: now,
  };
  prepare(db, 
    `INSERT INTO complaints (ticket, year, sequence, status, channel, user_id, due_at, received_at, revision, updated_at, document)
     VALUES (@ticket, @year, @sequence, @status, @channel, @userId, @dueAt, @receivedAt, @revision, @updatedAt, @document)`,
  ).run(toRow(complaint));
  appendHistory(db, complaint.ticket, 0, complaint.history[0]!);
  return complaint;
}

export function findComplaint(db: Database.Database, ticket: string): Complaint | undefined {
  const row = prepare<[string], ComplaintRow>(db, 'SELECT ticket, revision, document FROM complaints WHERE ticket = ?').get(ticket);
  return row ? fromRow(db, row) : undefined;
}

export function listComplaints(db: Database.Database, query: ComplaintQuery): Complaint[] {
  const statuses = query.statuses ?? [];
  const statusCondition = statuses.length > 0 ? [`status IN (${statuses.map(() => '?').join(', ')})`] : [];
  const { where, parameters } = whereClause(
    [
      ['channel', query.channel],
      ['user_id', query.userId],
    ],
    statusCondition,
  );
  const rows = prepare<Array<string | number>, ComplaintRow>(db, 
      `SELECT ticket, revision, document FROM complaints ${where} ORDER BY due_at, ticket LIMIT ?`,
    )
    .all(...statuses, ...parameters, query.limit ?? 100);
  return rows.map((row) => fromRow(db, row));
}

/** Applies an update when the revision still matches; returns `conflict` otherwise. */
export function updateComplaint(db: Database.Database, update: ComplaintUpdate): Complaint | 'conflict' {
  const current = findComplaint(db, update.ticket);
  if (!current || current.revision !== update.expectedRevision) return 'conflict';

  const next: Complaint = {
    ...current,
    ...update.changes,
    history: [...current.history, update.history],
    revision: current.revision + 1,
    updatedAt: update.now,
  };
  const changed = prepare(db, 
      `UPDATE complaints SET status = @status, due_at = @dueAt, revision = @revision, updated_at = @updatedAt, document = @document
       WHERE ticket = @ticket AND revision = @expectedRevision`,
    )
    .run({ ...toRow(next), expectedRevision: update.expectedRevision });
  if (changed.changes === 0) return 'conflict';

  appendHistory(db, next.ticket, current.history.length, update.history);
  for (const message of update.outbound) enqueueOutbound(db, message);
  return next;
}

function appendHistory(db: Database.Database, ticket: string, position: number, entry: HistoryEntry): void {
  prepare(db, 
    `INSERT INTO complaint_history (ticket, position, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(ticket, position, entry.at.toISOString(), entry.actor, entry.from, entry.to, entry.note ?? null);
}

function toRow(complaint: Complaint) {
  const { history: _history, ...document } = complaint;
  return {
    ticket: complaint.ticket,
    year: complaint.year,
    sequence: complaint.sequence,
    status: complaint.status,
    channel: complaint.channel,
    userId: complaint.userId,
    dueAt: complaint.dueAt.toISOString(),
    receivedAt: complaint.receivedAt.toISOString(),
    revision: complaint.revision,
    updatedAt: complaint.updatedAt.toISOString(),
    document: JSON.stringify(document),
  };
}

function fromRow(db: Database.Database, row: ComplaintRow): Complaint {
  const document = JSON.parse(row.document) as Omit<Complaint, 'history' | 'receivedAt' | 'dueAt' | 'updatedAt'> & {
    receivedAt: string;
    dueAt: string;
    updatedAt: string;
  };
  const history = prepare<[string], HistoryRow>(db, 
      'SELECT at, actor, from_status, to_status, note FROM complaint_history WHERE ticket = ? ORDER BY position',
    )
    .all(row.ticket)
    .map(
      (entry): HistoryEntry => ({
        at: new Date(entry.at),
        actor: entry.actor,
        from: entry.from_status as HistoryEntry['from'],
        to: entry.to_status as HistoryEntry['to'],
        ...(entry.note === null ? {} : { note: entry.note }),
      }),
    );
  return {
    ...document,
    receivedAt: new Date(document.receivedAt),
    dueAt: new Date(document.dueAt),
    updatedAt: new Date(document.updatedAt),
    history,
  };
}
