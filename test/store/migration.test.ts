import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Complaint } from '../../src/complaints/complaint.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { migrateStore, type MigrationReport } from '../../src/store/migration/migrate-store.js';
import { MigrationError, recordKinds, type ImportCounts, type MigrationTarget, type RecordKind } from '../../src/store/migration/records.js';
import { mediaIdMappingCollectionName, MongoImport } from '../../src/store/mongo/mongo-import.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { SqliteExport } from '../../src/store/sqlite/sqlite-export.js';
import { databaseFileName, SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ConversationRecord, OutboundMessage, StoredMedia } from '../../src/store/store.js';
import { wib } from '../calendar/office-calendar.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';
import { ferretdbVersion, mongoTestTarget, startMongoTestServer, type MongoTestServer } from '../support/ferretdb.js';
import { BotHarness, joinReplies, repositoryRoot, TestClock } from '../support/harness.js';
import { asMedia, jpegBytes, pdfBytes } from '../support/media.js';

/**
 * `npm run migrate`: an SQLite store seeded through the bot's pipeline and store calls is
 * copied into MongoDB (MONGODB_URI when set, otherwise a FerretDB this file starts), and the
 * copy is read back through MongoStore.
 */

const target = mongoTestTarget();
if (target.kind === 'none') console.log(target.reason);
const serverName = target.kind === 'uri' ? 'MONGODB_URI' : `FerretDB ${ferretdbVersion}`;

const cli = path.join(repositoryRoot, 'src', 'cli', 'migrate.ts');
const logger = createSilentLogger();
const description = 'Tanggal 2 Desember saya mengajukan pertek kantor kas, tetapi belum ada kabar sampai sekarang.';
/** The message id of one message pelapor-3 sent, for the duplicate check after the migration. */
const knownMessageId = 'm-known-pelapor-3';

/** Runs the migrate CLI as a child process, as an operator would with npx. */
function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', cli, ...args], { cwd: repositoryRoot, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** Builds a JPEG of `size` bytes whose last byte is `marker`, so that every file differs. */
function photo(size: number, marker: number): Buffer {
  const bytes = jpegBytes(size);
  bytes[size - 1] = marker;
  return bytes;
}

/** Files a complaint through the dialogue with these evidence files; returns the reply to the submit. */
async function fileThroughDialogue(bot: BotHarness, user: string, files: Array<ReturnType<typeof asMedia>>): Promise<string> {
  await bot.send(user, 'halo');
  await bot.send(user, '2');
  await bot.send(user, '6');
  await bot.send(user, description);
  const response = await bot.post({ user, text: '', media: files });
  expect(joinReplies(response.body.replies ?? [])).toContain('Bukti diterima');
  await bot.send(user, 'lanjut');
  await bot.send(user, '2');
  return joinReplies(await bot.send(user, '1'));
}

/**
 * Seeds `dataDir`: two complaints filed with evidence through the pipeline, a conversation
 * stopped with a photo in its draft, complaints filed by store calls (one of 2025), officer
 * changes with history and queued messages, other queued messages, and PIN failures.
 */
async function seedSqlite(dataDir: string, clock: TestClock): Promise<void> {
  const store = SqliteStore.open(dataDir);
  const bot = await BotHarness.create({ store, clock });

  expect(await fileThroughDialogue(bot, 'pelapor-1', [asMedia(photo(3000, 1), 'antrean.jpg')])).toContain('ADU-2026-00001');
  // 600 kB spans three GridFS chunks of 255 KiB.
  const files = [asMedia(photo(600_000, 2), 'loket.jpg'), asMedia(pdfBytes(), 'surat.pdf')];
  expect(await fileThroughDialogue(bot, 'pelapor-2', files)).toContain('ADU-2026-00002');

  await bot.send('pelapor-3', 'halo', knownMessageId);
  await bot.send('pelapor-3', '2');
  await bot.send('pelapor-3', '6');
  await bot.send('pelapor-3', description);
  await bot.post({ user: 'pelapor-3', text: '', media: [asMedia(photo(4000, 3), 'draf.jpg')] });

  await fileComplaint(store, newComplaint({ userId: '3003', receivedAt: wib('2026-12-04T09:00'), dueAt: wib('2026-12-04T12:00') }));
  await fileComplaint(
    store,
    newComplaint({ year: 2025, userId: '2025', identity: 'confidential', receivedAt: wib('2025-12-30T10:00'), dueAt: wib('2025-12-30T13:00') }),
  );

  const changedAt = new Date('2026-12-07T04:00:00Z');
  expect(
    await store.updateComplaint({
      ticket: 'ADU-2026-00001',
      expectedRevision: 1,
      changes: { status: 'diverifikasi', classId: 'normatif', assignee: 'petugas-ani', dueAt: new Date('2026-12-21T09:00:00Z') },
      history: { at: changedAt, actor: 'operator:ani', from: 'diterima', to: 'diverifikasi', note: 'Kelas normatif' },
      outbound: [{ channel: 'web', userId: 'pelapor-1', text: 'ADU-2026-00001 diverifikasi.', ticket: 'ADU-2026-00001', createdAt: changedAt }],
      now: changedAt,
    }),
  ).not.toBe('conflict');
  expect(
    await store.updateComplaint({
      ticket: 'ADU-2026-00001',
      expectedRevision: 2,
      changes: { status: 'diproses' },
      history: { at: new Date('2026-12-07T05:00:00Z'), actor: 'operator:ani', from: 'diverifikasi', to: 'diproses' },
      outbound: [
        { channel: 'web', userId: 'pelapor-1', text: 'ADU-2026-00001 diproses.', ticket: 'ADU-2026-00001', createdAt: new Date('2026-12-07T05:00:00Z') },
      ],
      now: new Date('2026-12-07T05:00:00Z'),
    }),
  ).not.toBe('conflict');
  expect(
    await store.updateComplaint({
      ticket: 'ADU-2026-00003',
      expectedRevision: 1,
      changes: { status: 'ditolak', rejectionReason: 'Bukan kewenangan dinas.' },
      history: { at: new Date('2026-12-07T06:00:00Z'), actor: 'operator:budi', from: 'diterima', to: 'ditolak', note: 'Bukan kewenangan dinas.' },
      outbound: [{ channel: 'telegram', userId: '3003', text: 'ADU-2026-00003 ditolak.', ticket: 'ADU-2026-00003', createdAt: new Date('2026-12-07T06:00:00Z') }],
      now: new Date('2026-12-07T06:00:00Z'),
    }),
  ).not.toBe('conflict');
  // Queued in one millisecond for two recipients: only `seq` keeps their order.
  const queuedAt = new Date('2026-12-07T07:00:00Z');
  await store.enqueueOutbound([
    { channel: 'web', userId: 'pelapor-2', text: 'pertama', createdAt: queuedAt },
    { channel: 'telegram', userId: '3003', text: 'kedua', createdAt: queuedAt },
    { channel: 'web', userId: 'pelapor-2', text: 'ketiga', createdAt: queuedAt },
  ]);

  const wrongPinAt = new Date('2026-12-07T08:00:00Z');
  await store.recordPinFailure({ ticket: 'ADU-2026-00001', userKey: 'web:penebak', at: wrongPinAt });
  // The same ticket, user and millisecond twice: two failures, not one.
  await store.recordPinFailure({ ticket: 'ADU-2026-00001', userKey: 'web:penebak', at: wrongPinAt });
  await store.recordPinFailure({ ticket: 'ADU-2026-00002', userKey: 'web:penebak', at: new Date('2026-12-07T08:01:00Z') });
  await store.recordPinFailure({ ticket: 'ADU-2026-00001', userKey: 'telegram:777', at: new Date('2026-12-07T08:02:00Z') });
  await store.close();
}

/** The seeded SQLite store as the bot reads it, to compare the copy with. */
interface SourceData {
  complaints: Complaint[];
  conversations: ConversationRecord[];
  processed: Array<{ channel: string; messageId: string }>;
  outbox: OutboundMessage[];
  media: StoredMedia[];
  pinFailures: Array<{ ticket: string; userKey: string; forTicket: number; forUser: number }>;
  counts: Record<RecordKind, number>;
}

async function readSource(dataDir: string): Promise<SourceData> {
  const raw = new Database(path.join(dataDir, databaseFileName), { readonly: true });
  const column = <T>(sql: string) => raw.prepare<[], T>(sql).all();
  const userKeys = column<{ user_key: string }>('SELECT user_key FROM conversations ORDER BY user_key').map((row) => row.user_key);
  const processed = column<{ channel: string; message_id: string }>('SELECT channel, message_id FROM processed_messages').map((row) => ({
    channel: row.channel,
    messageId: row.message_id,
  }));
  const mediaIds = column<{ id: string }>('SELECT id FROM media ORDER BY id').map((row) => row.id);
  const pinPairs = column<{ ticket: string; user_key: string }>('SELECT DISTINCT ticket, user_key FROM pin_failures');
  const count = (table: string) => raw.prepare<[], { count: number }>(`SELECT COUNT(*) AS count FROM ${table}`).get()!.count;
  const counts: Record<RecordKind, number> = {
    media: count('media'),
    complaints: count('complaints'),
    conversations: count('conversations'),
    processedMessages: count('processed_messages'),
    outbox: count('outbox'),
    pinFailures: count('pin_failures'),
  };
  raw.close();

  const store = SqliteStore.open(dataDir);
  try {
    const since = new Date(0);
    return {
      complaints: await store.listComplaints({ limit: 1000 }),
      conversations: await Promise.all(userKeys.map(async (userKey) => (await store.findConversation(userKey))!)),
      processed,
      outbox: await store.listOutbound({ limit: 1000 }),
      media: await Promise.all(mediaIds.map(async (id) => (await store.findMedia(id))!)),
      pinFailures: await Promise.all(
        pinPairs.map(async ({ ticket, user_key: userKey }) => ({
          ticket,
          userKey,
          ...(await store.countPinFailures({ ticket, userKey, since })),
        })),
      ),
      counts,
    };
  } finally {
    await store.close();
  }
}

/** Returns `value` with every old media id replaced by its new one, through its JSON text (the ids are UUIDs, unique in the text). */
function withNewMediaIds<T>(value: T, mapping: ReadonlyMap<string, string>): T {
  let json = JSON.stringify(value);
  for (const [oldId, newId] of mapping) json = json.split(oldId).join(newId);
  return JSON.parse(json) as T;
}

/** Runs one migration from the seeded folder into `uri`. */
async function migrate(dataDir: string, uri: string, wrap: (target: MigrationTarget) => MigrationTarget = (t) => t): Promise<MigrationReport> {
  const source = SqliteExport.open(dataDir, { batchSize: 4 });
  const importer = await MongoImport.open(uri);
  try {
    return await migrateStore(source, wrap(importer));
  } finally {
    await importer.close();
    await source.close();
  }
}

/**
 * Wraps a target so that it stops, as a crash would, once `limit` records of this run have
 * reached it: the batch that crosses the limit is imported up to it, then the call throws.
 * Every count the real target returns is added to `tally`.
 */
function crashAfter(limit: number, real: MigrationTarget, tally: Record<RecordKind, number>): MigrationTarget {
  let seen = 0;
  const guard =
    <T>(kind: RecordKind, call: (batch: readonly T[]) => Promise<ImportCounts>) =>
    async (batch: readonly T[]): Promise<ImportCounts> => {
      const allowed = Math.max(0, limit - seen);
      seen += batch.length;
      const counts = await call(batch.slice(0, allowed));
      tally[kind] += counts.written;
      if (batch.length > allowed) throw new Error(`simulated crash after ${limit} records`);
      return counts;
    };
  return {
    description: real.description,
    findForeignTickets: (tickets) => real.findForeignTickets(tickets),
    importMedia: (media, readBytes) => guard('media', (batch: typeof media) => real.importMedia(batch, readBytes))(media),
    mediaIdMapping: () => real.mediaIdMapping(),
    importComplaints: guard('complaints', (batch) => real.importComplaints(batch)),
    importConversations: guard('conversations', (batch) => real.importConversations(batch)),
    importProcessedMessages: guard('processedMessages', (batch) => real.importProcessedMessages(batch)),
    importOutbox: guard('outbox', (batch) => real.importOutbox(batch)),
    importPinFailures: guard('pinFailures', (batch) => real.importPinFailures(batch)),
    close: () => real.close(),
  };
}

/** Counts the documents of every collection the migration writes, to show that nothing doubled. */
async function countTarget(uri: string): Promise<Record<string, number>> {
  const client = await MongoClient.connect(uri);
  try {
    const db = client.db();
    const names = ['complaints', 'conversations', 'processed_messages', 'outbox', 'pin_failures', 'media.files', 'media.chunks', mediaIdMappingCollectionName];
    return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await db.collection(name).countDocuments()])));
  } finally {
    await client.close();
  }
}

/** Returns the document counts of a complete copy of `source`. */
function expectedTargetCounts(source: SourceData): Record<string, number> {
  const chunkSize = 255 * 1024;
  return {
    complaints: source.counts.complaints,
    conversations: source.counts.conversations,
    processed_messages: source.counts.processedMessages,
    outbox: source.counts.outbox,
    pin_failures: source.counts.pinFailures,
    'media.files': source.counts.media,
    'media.chunks': source.media.reduce((sum, file) => sum + Math.ceil(file.bytes.length / chunkSize), 0),
    [mediaIdMappingCollectionName]: source.counts.media,
  };
}

async function readMediaIdMapping(uri: string): Promise<Map<string, string>> {
  const client = await MongoClient.connect(uri);
  try {
    const documents = await client.db().collection<{ _id: string; mediaId: string }>(mediaIdMappingCollectionName).find({}).toArray();
    return new Map(documents.map((document) => [document._id, document.mediaId]));
  } finally {
    await client.close();
  }
}

/** Checks every record of `source` through MongoStore's Store interface. */
async function expectCompleteCopy(uri: string, source: SourceData): Promise<void> {
  const mapping = await readMediaIdMapping(uri);
  expect(mapping.size).toBe(source.media.length);
  const store = await MongoStore.connect(uri, { logger });
  try {
    for (const file of source.media) {
      const copied = await store.findMedia(mapping.get(file.id)!);
      expect(copied, `media ${file.id}`).toEqual({ ...file, id: mapping.get(file.id) });
    }

    for (const complaint of source.complaints) {
      const copied = await store.findComplaint(complaint.ticket);
      const evidence = complaint.evidence.map((item) => ({ ...item, mediaId: mapping.get(item.mediaId)! }));
      expect(copied, complaint.ticket).toEqual({ ...complaint, evidence });
      expect(copied?.history, `${complaint.ticket} history`).toEqual(complaint.history);
      for (const item of complaint.evidence) {
        const original = source.media.find((file) => file.id === item.mediaId)!;
        const bytes = (await store.findMedia(mapping.get(item.mediaId)!))?.bytes;
        expect(bytes?.equals(original.bytes), `${complaint.ticket} evidence ${item.fileName}`).toBe(true);
      }
    }

    for (const conversation of source.conversations) {
      const copied = await store.findConversation(conversation.userKey);
      expect(copied, conversation.userKey).toEqual({ ...conversation, snapshot: withNewMediaIds(conversation.snapshot, mapping) });
    }

    for (const message of source.processed) {
      expect(await store.isProcessed(message.channel, message.messageId), `${message.channel}:${message.messageId}`).toBe(true);
    }

    expect(await store.listOutbound({ limit: 1000 })).toEqual(source.outbox);

    const since = new Date(0);
    for (const failure of source.pinFailures) {
      const counts = await store.countPinFailures({ ticket: failure.ticket, userKey: failure.userKey, since });
      expect(counts, `${failure.ticket} ${failure.userKey}`).toEqual({ forTicket: failure.forTicket, forUser: failure.forUser });
    }
  } finally {
    await store.close();
  }
  expect(await countTarget(uri)).toEqual(expectedTargetCounts(source));
}

describe('migrate CLI arguments', () => {
  const usageLine = 'Usage: npm run --silent migrate -- --from sqlite:<folder> --to <mongodb connection string>';
  let emptyDir: string;
  beforeAll(async () => {
    emptyDir = await mkdtemp(path.join(tmpdir(), 'sapa-migrate-empty-'));
    await SqliteStore.open(emptyDir).close();
  });
  afterAll(async () => {
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('missing arguments exit 2 with usage', async () => {
    const result = await runCli();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Missing --from.');
    expect(result.stderr).toContain(usageLine);
    expect(result.stderr).toContain('Example: npm run --silent migrate -- --from sqlite:./data --to mongodb://');
  });

  it('source without sqlite prefix exits 2', async () => {
    const result = await runCli('--from', './data', '--to', 'mongodb://127.0.0.1:27017/sapa');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid --from "./data"');
    expect(result.stderr).toContain(usageLine);
  });

  it('target without database exits 2, hiding credentials', async () => {
    const result = await runCli('--from', `sqlite:${emptyDir}`, '--to=mongodb://operator:s3cret-pass@127.0.0.1:27017');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('names no database');
    expect(result.stderr).toContain(usageLine);
    expect(result.stderr).not.toContain('s3cret-pass');
  });

  it('unknown argument exits 2', async () => {
    const result = await runCli('--from', `sqlite:${emptyDir}`, '--to', 'mongodb://127.0.0.1:27017/sapa', '--force');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown argument "--force"');
  });

  it('missing database file exits 1', async () => {
    const missing = path.join(emptyDir, 'nothing-here');
    const result = await runCli('--from', `sqlite:${missing}`, '--to', 'mongodb://127.0.0.1:27017/sapa');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No SQLite database found at ${path.join(missing, databaseFileName)}`);
  });

  it('unreachable server exits 1, hiding credentials', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    const result = await runCli('--from', `sqlite:${emptyDir}`, '--to', 'mongodb://operator:s3cret-pass@127.0.0.1:9/sapa');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Could not connect to MongoDB at mongodb://***@127.0.0.1:9/sapa');
    expect(result.stderr).not.toContain('s3cret-pass');
  }, 30_000);
});

describe.skipIf(target.kind === 'none')(`SQLite to MongoDB migration on ${serverName}`, () => {
  let server: MongoTestServer | undefined;
  let dataDir: string;
  let source: SourceData;
  const clock = new TestClock();
  const suffix = randomUUID().slice(0, 8);
  const databases: string[] = [];
  /** Connection string of a new database of this file, dropped at the end. */
  const newDatabase = (name: string) => {
    const database = `sapa_migration_${name}_${suffix}`;
    databases.push(database);
    return server!.uriFor(database);
  };
  let uri: string;

  beforeAll(async () => {
    // Building FerretDB takes minutes on a machine that never built it.
    server = await startMongoTestServer(target);
    dataDir = await mkdtemp(path.join(tmpdir(), 'sapa-migrate-'));
    await seedSqlite(dataDir, clock);
    source = await readSource(dataDir);
    uri = newDatabase('main');
  }, 600_000);
  afterAll(async () => {
    if (server) {
      for (const database of databases) {
        const client = await MongoClient.connect(server.uriFor(database));
        await client.db().dropDatabase();
        await client.close();
      }
    }
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('seed covers every kind of record', () => {
    for (const kind of recordKinds) expect(source.counts[kind], kind).toBeGreaterThan(0);
    expect(source.complaints.flatMap((complaint) => complaint.evidence)).toHaveLength(3);
    expect(source.complaints.find((complaint) => complaint.ticket === 'ADU-2026-00001')?.history).toHaveLength(3);
    const draft = source.conversations.find((conversation) => conversation.userKey === 'web:pelapor-3')?.snapshot as {
      context: { draft: { evidence: unknown[] } };
    };
    expect(draft.context.draft.evidence).toHaveLength(1);
  });

  it('first run copies every record', async () => {
    const report = await migrate(dataDir, uri);
    for (const kind of recordKinds) {
      expect(report.counts[kind], kind).toEqual({ read: source.counts[kind], written: source.counts[kind], present: 0 });
    }
    expect(report.warnings).toEqual([]);
    await expectCompleteCopy(uri, source);
  });

  it('second run finds everything present', async () => {
    const report = await migrate(dataDir, uri);
    for (const kind of recordKinds) {
      expect(report.counts[kind], kind).toEqual({ read: source.counts[kind], written: 0, present: source.counts[kind] });
    }
    await expectCompleteCopy(uri, source);
  });

  it('upload cut off is redone', async () => {
    // A crash during a GridFS upload leaves chunks without their media.files document.
    const mapping = await readMediaIdMapping(uri);
    const large = source.media.find((file) => file.size === 600_000)!;
    const client = await MongoClient.connect(uri);
    try {
      await client.db().collection('media.files').deleteOne({ _id: new ObjectId(mapping.get(large.id)) });
    } finally {
      await client.close();
    }

    const report = await migrate(dataDir, uri);
    expect(report.counts.media).toEqual({ read: source.counts.media, written: 1, present: source.counts.media - 1 });
    expect(await readMediaIdMapping(uri)).toEqual(mapping);
    await expectCompleteCopy(uri, source);
  });

  it('interrupted runs resume without doubles', async () => {
    const resumedUri = newDatabase('resumed');
    const total = recordKinds.reduce((sum, kind) => sum + source.counts[kind], 0);
    const tally = Object.fromEntries(recordKinds.map((kind) => [kind, 0])) as Record<RecordKind, number>;
    let report: MigrationReport | undefined;
    let crashes = 0;
    // Each run crashes a few records later than the one before, inside media, complaints,
    // conversations and so on, until one run gets through.
    for (let limit = 1; report === undefined && limit <= total + 4; limit += 4) {
      try {
        report = await migrate(dataDir, resumedUri, (real) => crashAfter(limit, real, tally));
      } catch (error) {
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as Error).message).toContain('run the same command again');
        crashes++;
      }
    }

    expect(crashes).toBeGreaterThan(5);
    expect(report).toBeDefined();
    for (const kind of recordKinds) {
      const counts = report!.counts[kind];
      expect(counts.read, kind).toBe(source.counts[kind]);
      expect(counts.written + counts.present, kind).toBe(source.counts[kind]);
      // Across all runs, every record was written exactly once.
      expect(tally[kind], kind).toBe(source.counts[kind]);
    }
    await expectCompleteCopy(resumedUri, source);
  }, 120_000);

  it('foreign ticket stops before copying', async () => {
    const liveUri = newDatabase('live');
    const live = await MongoStore.connect(liveUri, { logger });
    try {
      expect((await fileComplaint(live, newComplaint({ userId: 'sudah-di-mongo' }))).ticket).toBe('ADU-2026-00001');
    } finally {
      await live.close();
    }

    await expect(migrate(dataDir, liveUri)).rejects.toThrow(/already has complaints filed there under ticket numbers.*ADU-2026-00001/);
    const counts = await countTarget(liveUri);
    expect(counts['media.files']).toBe(0);
    expect(counts.complaints).toBe(1);
  });

  it('source problems become warnings', async () => {
    const oddDir = await mkdtemp(path.join(tmpdir(), 'sapa-migrate-odd-'));
    try {
      const store = SqliteStore.open(oddDir);
      const evidence = [{ mediaId: 'c0ffee00-0000-4000-8000-000000000000', mimeType: 'image/jpeg', size: 10, fileName: 'hilang.jpg' }];
      await fileComplaint(store, newComplaint({ evidence }));
      await store.close();
      // A counter ahead of the stored complaints, as a deleted complaint would leave it.
      const raw = new Database(path.join(oddDir, databaseFileName));
      raw.prepare('UPDATE ticket_counters SET last_sequence = 3 WHERE year = 2026').run();
      raw.close();

      const oddUri = newDatabase('odd');
      const report = await migrate(oddDir, oddUri);
      expect(report.warnings).toHaveLength(2);
      expect(report.warnings[0]).toContain('c0ffee00-0000-4000-8000-000000000000');
      expect(report.warnings[1]).toContain('up to ADU-2026-00003, but its highest stored complaint of 2026 is ADU-2026-00001');

      const copy = await MongoStore.connect(oddUri, { logger });
      try {
        expect((await copy.findComplaint('ADU-2026-00001'))?.evidence).toEqual(evidence);
      } finally {
        await copy.close();
      }
    } finally {
      await rm(oddDir, { recursive: true, force: true });
    }
  });

  it('CLI copies and reports counts', async () => {
    const cliUri = newDatabase('cli');
    const first = await runCli('--from', `sqlite:${dataDir}`, '--to', cliUri);
    expect(first.stderr).not.toContain('Migration failed');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/records\s+read\s+written\s+already present/);
    expect(first.stdout).toMatch(new RegExp(`complaints\\s+${source.counts.complaints}\\s+${source.counts.complaints}\\s+0\\n`));
    expect(first.stdout).toMatch(new RegExp(`media files\\s+${source.counts.media}\\s+${source.counts.media}\\s+0\\n`));
    // Not a terminal: plain progress lines instead of bars.
    expect(first.stderr).toContain(`complaints: ${source.counts.complaints} of ${source.counts.complaints} done`);

    const second = await runCli(`--from=sqlite:${dataDir}`, `--to=${cliUri}`);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`outbox messages\\s+${source.counts.outbox}\\s+0\\s+${source.counts.outbox}\\n`));
    expect(second.stdout).toMatch(new RegExp(`PIN failures\\s+${source.counts.pinFailures}\\s+0\\s+${source.counts.pinFailures}`));
    await expectCompleteCopy(cliUri, source);
  }, 120_000);

  it('bot continues on the copy', async () => {
    const store = await MongoStore.connect(uri, { logger });
    try {
      clock.advanceMinutes(5);
      const bot = await BotHarness.create({ store, clock });

      // A redelivered message that SQLite had processed is still a duplicate.
      const redelivered = await bot.post({ user: 'pelapor-3', text: 'halo', id: knownMessageId });
      expect(redelivered.body.duplicate).toBe(true);

      // pelapor-3 finishes the draft begun on SQLite, with the photo sent there.
      await bot.send('pelapor-3', 'lanjut');
      await bot.send('pelapor-3', '2');
      expect(joinReplies(await bot.send('pelapor-3', '1'))).toContain('Nomor tiket: *ADU-2026-00004*');
      const filed = await store.findComplaint('ADU-2026-00004');
      expect(filed?.evidence).toHaveLength(1);
      const bytes = (await store.findMedia(filed!.evidence[0]!.mediaId))?.bytes;
      expect(bytes?.equals(photo(4000, 3))).toBe(true);

      // A 2025 filing continues the migrated 2025 numbers.
      const late = await fileComplaint(store, newComplaint({ year: 2025, userId: 'telat', receivedAt: wib('2025-12-31T09:00') }));
      expect(late.ticket).toBe('ADU-2025-00002');

      // A message queued now is delivered after the migrated ones of the same recipient.
      await store.enqueueOutbound([{ channel: 'web', userId: 'pelapor-2', text: 'keempat', createdAt: new Date('2026-12-07T01:00:00Z') }]);
      const taken = await store.takeOutbound('web', 'pelapor-2', new Date('2026-12-07T01:05:00Z'));
      expect(taken.map((message) => message.text)).toEqual(['pertama', 'ketiga', 'keempat']);
    } finally {
      await store.close();
    }
  });
});
