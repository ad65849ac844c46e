import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log/logger.js';
import { collectionsOf, databaseNameOf, redactUri, sourceMessageKeyOf, type MongoCollections } from '../../src/store/mongo/connection.js';
import { insertFiledComplaint } from '../../src/store/mongo/mongo-complaints.js';
import { MongoOutbox } from '../../src/store/mongo/mongo-outbox.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { ConversationTurn } from '../../src/store/store.js';
import { newComplaint } from '../complaints/complaint-fixtures.js';
import { ferretdbVersion, mongoTestTarget, startMongoTestServer, type MongoTestServer } from '../support/ferretdb.js';
import { describeStoreContract } from './store-contract.js';
import { describeWhatsAppSessionContract } from './whatsapp-session-contract.js';

/**
 * The store contract and the MongoDB adapter's own crash repairs, against MONGODB_URI when
 * it is set, otherwise against a FerretDB this file builds and starts.
 */

const target = mongoTestTarget();
if (target.kind === 'none') console.log(target.reason);

// A database of this file's own, dropped at the end, so that a shared MONGODB_URI server keeps nothing.
const database = `sapa_store_test_${randomUUID().slice(0, 8)}`;
const serverName = target.kind === 'uri' ? 'MONGODB_URI' : `FerretDB ${ferretdbVersion}`;

describe.skipIf(target.kind === 'none')(`MongoStore on ${serverName}`, () => {
  let server: MongoTestServer | undefined;
  let raw: MongoClient | undefined;
  let collections: MongoCollections;
  const uri = () => server!.uriFor(database);
  const logger = createSilentLogger();

  beforeAll(async () => {
    // Building FerretDB takes minutes on a machine that never built it.
    server = await startMongoTestServer(target);
    raw = await MongoClient.connect(uri(), { ignoreUndefined: true });
    collections = collectionsOf(raw.db());
  }, 600_000);
  afterAll(async () => {
    await raw?.db().dropDatabase();
    await raw?.close();
    await server?.close();
  });

  describeStoreContract(
    'MongoStore',
    () => MongoStore.connect(uri(), { logger }),
    (store) => store.close(),
    {
      // Step b of commitTurn alone, as a crash right after it leaves the database.
      crashAfterFiling: async (turn) => {
        await insertFiledComplaint(collections, turn.newComplaint!, sourceMessageKeyOf(turn.message), turn.now);
      },
    },
  );

  describeWhatsAppSessionContract(
    'MongoStore',
    () => MongoStore.connect(uri(), { logger }),
    (store) => store.close(),
  );

  describe('MongoStore repairs without transactions', () => {
    let store: MongoStore;
    beforeAll(async () => {
      store = await MongoStore.connect(uri(), { logger });
    });
    afterAll(async () => {
      await store?.close();
    });

    it('repairs a crash before the processed id', async () => {
      const userKey = `telegram:crash-${randomUUID()}`;
      const turn: ConversationTurn = {
        message: { channel: 'telegram', messageId: randomUUID(), userKey, processedAt: new Date('2026-12-04T03:00:00Z') },
        userKey,
        snapshot: { value: 'menu' },
        expectedVersion: undefined,
        now: new Date('2026-12-04T03:00:00Z'),
      };
      expect(await store.commitTurn(turn)).toMatchObject({ status: 'committed', version: 1 });
      // The crash: step d never ran.
      await collections.processed.deleteOne({ _id: sourceMessageKeyOf(turn.message) });
      expect(await store.isProcessed('telegram', turn.message.messageId)).toBe(false);

      // The redelivery is handled on the saved conversation, at version 1.
      expect(await store.commitTurn({ ...turn, expectedVersion: 1, snapshot: { value: 'twice' } })).toEqual({ status: 'duplicate' });
      expect(await store.isProcessed('telegram', turn.message.messageId)).toBe(true);
      expect(await store.findConversation(userKey)).toMatchObject({ version: 1, snapshot: { value: 'menu' } });
    });

    it('repairs an officer filing cut short', async () => {
      const message = { channel: 'web', messageId: randomUUID(), userKey: 'web:petugas-demo', processedAt: new Date('2026-12-04T03:00:00Z') };
      const complaint = newComplaint({ channel: 'whatsapp', userId: `62812${randomUUID().slice(0, 6)}`, year: 2091, source: 'walk-in', pinHash: 'a'.repeat(64) });
      // The crash: the complaint was inserted, the processed id never written.
      await insertFiledComplaint(collections, complaint, sourceMessageKeyOf(message), message.processedAt, 'petugas-demo');

      const retried = await store.fileComplaint({ complaint: { ...complaint, pinHash: 'b'.repeat(64) }, message, actor: 'petugas-demo', now: message.processedAt });
      expect(retried).toMatchObject({ status: 'filed', complaint: { ticket: 'ADU-2091-00001', pinHash: 'b'.repeat(64) } });
      expect(await store.isProcessed('web', message.messageId)).toBe(true);
      expect(await store.findComplaint('ADU-2091-00002')).toBeUndefined();
    });

    it('moves crash-left messages exactly once', async () => {
      const userId = `pending-${randomUUID()}`;
      const filed = await store.commitTurn({
        message: { channel: 'telegram', messageId: randomUUID(), userKey: `telegram:${userId}`, processedAt: new Date() },
        userKey: `telegram:${userId}`,
        snapshot: {},
        expectedVersion: undefined,
        now: new Date(),
        newComplaint: newComplaint({ channel: 'telegram', userId, year: 2090 }),
      });
      const ticket = filed.status === 'committed' ? filed.complaint!.ticket : '';
      const complaintId = (await collections.complaints.findOne({ ticket }))!._id;
      // What updateComplaint writes in its one document write, with the move to the outbox not done.
      const pending = [
        { id: randomUUID(), seq: 1_000_000, channel: 'telegram', userId, text: 'satu', ticket, createdAt: new Date('2026-12-04T04:00:00Z') },
        { id: randomUUID(), seq: 1_000_001, channel: 'telegram', userId, text: 'dua', ticket, createdAt: new Date('2026-12-04T04:00:00Z') },
      ];
      await collections.complaints.updateOne({ _id: complaintId }, { $push: { pendingOutbound: { $each: pending } } });

      expect((await store.listOutbound({ channel: 'telegram', userId })).map((message) => message.text)).toEqual(['satu', 'dua']);
      expect((await collections.complaints.findOne({ _id: complaintId }))?.pendingOutbound).toEqual([]);
      expect((await store.takeOutbound('telegram', userId, new Date('2026-12-04T05:00:00Z'))).map((message) => message.text)).toEqual(['satu', 'dua']);

      // A second process that read the pending messages before the first one removed them.
      await new MongoOutbox(collections).moveToOutbox(complaintId, pending);
      expect(await store.takeOutbound('telegram', userId, new Date('2026-12-04T05:00:00Z'))).toEqual([]);
    });

    it('creates its indexes at start-up', async () => {
      const names = async (collection: keyof Omit<MongoCollections, 'db'>) =>
        (await collections[collection].listIndexes().toArray()).map((index) => index.name as string);
      expect(await names('complaints')).toEqual(
        expect.arrayContaining(['ticket', 'year_sequence', 'channel_userId', 'status_dueAt']),
      );
      expect(await names('processed')).toContain('channel_messageId');
      expect(await names('outbox')).toEqual(expect.arrayContaining(['recipient_status_queue', 'status_nextAttemptAt', 'ticket_seq']));
      expect(await names('pinFailures')).toEqual(expect.arrayContaining(['ticket_at', 'userKey_at']));
    });

    it('opens through openStore without logging credentials', async () => {
      const lines: string[] = [];
      const capture = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const opened = await openStore({ dataDir: '/nonexistent', mongodbUri: uri() }, pino({ level: 'info' }, capture));
      try {
        expect(opened).toBeInstanceOf(MongoStore);
        await opened.ping();
      } finally {
        await opened.close();
      }
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'store opened');
      expect(logged).toMatchObject({ store: 'mongo', database });
      expect(JSON.stringify(logged)).not.toContain('mongodb://');
    });
  });
});

describe('MongoDB connection strings', () => {
  it('reads the database and hides credentials', () => {
    expect(databaseNameOf('mongodb://user:secret@db1:27017,db2:27017/sapa-layanan?replicaSet=rs0')).toBe('sapa-layanan');
    expect(databaseNameOf('mongodb+srv://cluster.example.net/kantor')).toBe('kantor');
    expect(() => databaseNameOf('mongodb://user:secret@db:27017/?tls=true')).toThrow(/mongodb:\/\/\*\*\*@db:27017\/\?tls=true names no database/);
    expect(() => databaseNameOf('mongodb://db:27017')).toThrow(/add it as the path/);
    expect(redactUri('mongodb://user:secret@db:27017/x')).toBe('mongodb://***@db:27017/x');
  });
});
