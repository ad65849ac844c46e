import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { ensureFerretdbBinary, mongoTestTarget, startFerretdb, type FerretdbServer } from '../support/ferretdb.js';
import { repositoryRoot } from '../support/harness.js';

/**
 * Database outages with a real MongoDB-wire server: FerretDB is stopped and started again
 * in the middle of each test. These need a server the test controls, so they run on the
 * FerretDB the tests build, not on an external MONGODB_URI server.
 */

const target = mongoTestTarget({ ...process.env, MONGODB_URI: undefined });
if (target.kind === 'none') console.log(target.reason);

const clock = () => new Date('2026-12-07T02:00:00Z');
let sequence = 0;

describe.skipIf(target.kind !== 'ferretdb')('outages of the MongoDB store', () => {
  let ferretdb: FerretdbServer;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-outage-'));

  beforeAll(async () => {
    ferretdb = await startFerretdb({ binary: await ensureFerretdbBinary() });
  }, 600_000);
  afterAll(async () => {
    await ferretdb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(database: string): Promise<App> {
    const config = loadConfig(
      { MONGODB_URI: `${ferretdb.uri}${database}`, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', WHATSAPP_ENABLED: 'false' },
      { cwd: repositoryRoot, isTerminal: false },
    );
    return startApp(config, createSilentLogger(), {
      clock,
      retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
      connectBackoff: { firstMs: 200, maxMs: 400 },
    });
  }

  async function post(app: App, user: string, text: string, id = `m-${++sequence}`) {
    const response = await fetch(`${app.web.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text, id }),
    });
    return { status: response.status, body: (await response.json()) as { replies: Array<{ text: string }>; duplicate?: boolean } };
  }

  async function readyStatus(app: App): Promise<number> {
    return (await fetch(`${app.web.url}/readyz`)).status;
  }

  it('start-up waits for the database', async () => {
    await ferretdb.stop();
    const app = await start('outage_startup');
    try {
      expect(await readyStatus(app)).toBe(503);
      expect((await fetch(`${app.web.url}/healthz`)).status).toBe(200);
      const early = await post(app, 'warga-1', 'halo', 'early');
      expect(early.body.replies[0]!.text).toContain('sedang sibuk');
      expect(app.pipeline.heldCount).toBe(1);

      await ferretdb.restart();
      const store = await app.storeReady;
      expect(await readyStatus(app)).toBe(200);
      await app.pipeline.retryNow();
      expect(app.pipeline.heldCount).toBe(0);
      expect(await store.isProcessed('web', '7:warga-1:early')).toBe(true);
      const queued = await store.takeOutbound('web', 'warga-1', new Date('2026-12-07T03:00:00Z'));
      expect(queued.map((message) => message.text).join('\n')).toContain('Selamat datang');
    } finally {
      await app.close();
    }
  }, 120_000);

  it('database lost mid-dialogue holds and then processes', async () => {
    const app = await start('outage_midway');
    try {
      const store = await app.storeReady;
      expect((await post(app, 'warga-2', 'halo')).body.replies[0]!.text).toContain('Selamat datang');

      await ferretdb.kill();
      expect(await readyStatus(app)).toBe(503);
      const during = await post(app, 'warga-2', '1', 'during-outage');
      expect(during.status).toBe(200);
      expect(during.body.replies[0]!.text).toContain('akan kami proses');
      const redelivered = await post(app, 'warga-2', '1', 'during-outage');
      expect(redelivered.body.replies[0]!.text).toContain('sedang sibuk');
      expect(app.pipeline.heldCount).toBe(1);

      await ferretdb.restart();
      await app.pipeline.retryNow();
      expect(app.pipeline.heldCount).toBe(0);
      expect(await readyStatus(app)).toBe(200);
      const conversation = await store.findConversation('web:warga-2');
      expect(conversation?.version).toBe(2);
      const queued = await store.takeOutbound('web', 'warga-2', new Date('2026-12-07T03:00:00Z'));
      expect(queued).toHaveLength(1);
      expect(queued[0]!.text).toContain('1. Pelayanan Konsultasi');
    } finally {
      await app.close();
    }
  }, 120_000);

  it('complaint submitted during an outage is filed once', async () => {
    const app = await start('outage_filing');
    try {
      const store = (await app.storeReady) as MongoStore;
      const steps = ['halo', '2', '9', 'Petugas tidak membalas surat permohonan saya sejak bulan lalu.', 'lewati', '2'];
      for (const text of steps) await post(app, 'warga-3', text);

      await ferretdb.kill();
      await post(app, 'warga-3', '1', 'submit');
      await ferretdb.restart();
      await app.pipeline.retryNow();
      const again = await post(app, 'warga-3', '1', 'submit');
      expect(again.body.duplicate).toBe(true);

      const complaints = await store.listComplaints({ userId: 'warga-3' });
      expect(complaints).toHaveLength(1);
      const queued = await store.takeOutbound('web', 'warga-3', new Date('2026-12-07T03:00:00Z'));
      expect(queued.map((message) => message.text).join('\n')).toContain(`Nomor tiket: *${complaints[0]!.ticket}*`);
    } finally {
      await app.close();
    }
  }, 120_000);
});
