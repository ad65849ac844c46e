import { formatTicketNumber } from '../../complaints/ticket-number.js';
import { rewriteEvidence, rewriteSnapshotEvidence, type MediaIdRewriter } from './media-ids.js';
import {
  MigrationError,
  recordKindLabels,
  recordKinds,
  type ImportCounts,
  type MigrationSource,
  type MigrationTarget,
  type RecordKind,
} from './records.js';

/** Records of one kind: read from the source, written to the target now, and already in the target. */
export interface KindCounts {
  read: number;
  written: number;
  present: number;
}

/** Progress events of `migrateStore`. */
export type MigrationEvent =
  /** Before anything is copied: the number of records of each kind in the source. */
  | { type: 'plan'; totals: Record<RecordKind, number> }
  /** Before the first batch of a kind (all counts zero) and after each batch. */
  | { type: 'progress'; kind: RecordKind; total: number; counts: KindCounts }
  /** After the last batch of a kind. */
  | { type: 'finished'; kind: RecordKind; total: number; counts: KindCounts };

export interface MigrationOptions {
  /** Receives progress. An error thrown here stops the migration at that point, as a crash would. */
  onEvent?: (event: MigrationEvent) => void;
}

/** The outcome of a finished migration. */
export interface MigrationReport {
  counts: Record<RecordKind, KindCounts>;
  /** Problems in the source data that the operator should know about; the migration still finished. */
  warnings: string[];
}

/**
 * Copies every record of `source` into `target`. Media goes first, because the target
 * assigns new media ids and keeps the mapping. Complaints and conversations follow with
 * their evidence rewritten to the new ids, then processed message ids, the outbox in
 * delivery order and PIN failures.
 *
 * The target imports each record idempotently by its natural key, so calling this again with
 * the same source, after a finished or an interrupted run, copies only what is missing and
 * never doubles a record. Throws MigrationError on the first failure; nothing is rolled back,
 * and the next run goes on from there.
 */
export async function migrateStore(source: MigrationSource, target: MigrationTarget, options: MigrationOptions = {}): Promise<MigrationReport> {
  const emit = options.onEvent ?? (() => {});
  const totals = Object.fromEntries(await Promise.all(recordKinds.map(async (kind) => [kind, await source.count(kind)]))) as Record<
    RecordKind,
    number
  >;
  emit({ type: 'plan', totals });

  await rejectForeignTickets(source, target);

  const counts = Object.fromEntries(recordKinds.map((kind) => [kind, { read: 0, written: 0, present: 0 }])) as Record<RecordKind, KindCounts>;
  const copy = <T>(kind: RecordKind, batches: AsyncIterable<T[]>, importBatch: (batch: T[]) => Promise<ImportCounts>) =>
    copyKind({ kind, total: totals[kind], counts: counts[kind], emit }, batches, importBatch);

  await copy('media', source.media(), (batch) => target.importMedia(batch, (id) => source.mediaBytes(id)));

  const rewriter: MediaIdRewriter = { mapping: await target.mediaIdMapping(), unmapped: new Set() };
  const highestSequences = new Map<number, number>();
  await copy('complaints', source.complaints(), (batch) => {
    for (const complaint of batch) {
      highestSequences.set(complaint.year, Math.max(highestSequences.get(complaint.year) ?? 0, complaint.sequence));
    }
    return target.importComplaints(batch.map((complaint) => ({ ...complaint, evidence: rewriteEvidence(complaint.evidence, rewriter) })));
  });
  await copy('conversations', source.conversations(), (batch) =>
    target.importConversations(batch.map((record) => ({ ...record, snapshot: rewriteSnapshotEvidence(record.snapshot, rewriter) }))),
  );
  await copy('processedMessages', source.processedMessages(), (batch) => target.importProcessedMessages(batch));
  await copy('outbox', source.outbox(), (batch) => target.importOutbox(batch));
  await copy('pinFailures', source.pinFailures(), (batch) => target.importPinFailures(batch));

  const warnings = [...unmappedWarnings(rewriter), ...(await ticketCounterWarnings(source, highestSequences))];
  return { counts, warnings };
}

/**
 * Stops before anything is written when a complaint filed in the target already has one of
 * the source's ticket numbers. Otherwise the unique ticket index would reject the source's
 * complaint halfway through the copy.
 */
async function rejectForeignTickets(source: MigrationSource, target: MigrationTarget): Promise<void> {
  const foreign = await target.findForeignTickets(await source.complaintTickets());
  if (foreign.length === 0) return;
  const listed = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
  throw new MigrationError(
    `${target.description} already has complaints filed there under ticket numbers that the source uses too: ${listed}. ` +
      'Nothing was copied. Migrate into a new, empty database, and start the bot on it only after the migration has finished.',
  );
}

/** Copies one kind batch by batch, counting and reporting as it goes. */
async function copyKind<T>(
  state: { kind: RecordKind; total: number; counts: KindCounts; emit: (event: MigrationEvent) => void },
  batches: AsyncIterable<T[]>,
  importBatch: (batch: T[]) => Promise<ImportCounts>,
): Promise<void> {
  const { kind, total, counts, emit } = state;
  emit({ type: 'progress', kind, total, counts: { ...counts } });
  try {
    for await (const batch of batches) {
      counts.read += batch.length;
      const imported = await importBatch(batch);
      counts.written += imported.written;
      counts.present += imported.present;
      emit({ type: 'progress', kind, total, counts: { ...counts } });
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    const done = counts.written + counts.present;
    throw new MigrationError(
      `Copying ${recordKindLabels[kind]} failed after ${done} of ${total}: ${(error as Error).message}. ` +
        'The records copied so far stay in the target. Fix the cause and run the same command again: it skips what is already there.',
      { cause: error },
    );
  }
  emit({ type: 'finished', kind, total, counts: { ...counts } });
}

function unmappedWarnings(rewriter: MediaIdRewriter): string[] {
  if (rewriter.unmapped.size === 0) return [];
  const ids = [...rewriter.unmapped];
  const listed = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
  return [
    `${ids.length} evidence file(s) referenced by complaints or drafts are not in the source's media (${listed}). ` +
      'The references were copied unchanged; those files could not be opened before the migration either.',
  ];
}

/**
 * Warns when the source issued ticket numbers beyond its highest stored complaint of a year.
 * SQLite keeps a counter per year, but MongoStore numbers a filing from the highest stored
 * sequence of the year, so it would issue those numbers again. With complaints never deleted
 * the two agree, and this returns nothing.
 */
async function ticketCounterWarnings(source: MigrationSource, highestSequences: ReadonlyMap<number, number>): Promise<string[]> {
  const warnings: string[] = [];
  for (const counter of await source.ticketCounters()) {
    const highest = highestSequences.get(counter.year) ?? 0;
    if (counter.lastSequence <= highest) continue;
    warnings.push(
      `The source issued ticket numbers up to ${formatTicketNumber(counter.year, counter.lastSequence)}, but its highest stored complaint of ${counter.year} is ` +
        `${highest === 0 ? 'none' : formatTicketNumber(counter.year, highest)}. MongoDB numbers new complaints from the highest stored one, ` +
        `so the numbers after it may be issued a second time.`,
    );
  }
  return warnings;
}
