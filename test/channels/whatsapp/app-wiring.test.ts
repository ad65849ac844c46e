import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { repositoryRoot } from '../../support/harness.js';
import { waitUntil } from './channel-support.js';
import { FakeWhatsApp } from './fake-socket.js';
import { citizenLid, text } from './wa-messages.js';

/** The whole bot started from its config with WhatsApp on its default (enabled), on a fake socket. */
describe('app with WhatsApp enabled', () => {
  let app: App | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-whatsapp-app-'));

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers WhatsApp and the web chat together', async () => {
    const whatsapp = new FakeWhatsApp();
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, WHATSAPP_ENABLED: 'true' }, { cwd: repositoryRoot, isTerminal: false });
    app = await startApp(config, createSilentLogger(), { clock: () => new Date('2026-12-07T02:00:00Z'), whatsappSocketFactory: whatsapp.factory });
    await app.storeReady;
    await waitUntil(() => whatsapp.sockets.length === 1, 'the WhatsApp socket');

    const status = await fetch(`${app.web.url}/whatsapp/status`);
    expect(await status.json()).toMatchObject({ state: 'connecting' });

    whatsapp.current.open();
    whatsapp.current.emit('messages.upsert', { messages: [text('halo')], type: 'notify' });
    await app.whatsapp!.whenIdle();
    expect(whatsapp.current.sent[0]).toMatchObject({ jid: citizenLid });
    expect(whatsapp.current.sent[0]!.text).toContain('Selamat datang');

    const web = await fetch(`${app.web.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'warga-web', text: 'halo' }),
    });
    expect(web.status).toBe(200);
    expect(((await web.json()) as { replies: Array<{ text: string }> }).replies[0]!.text).toContain('Selamat datang');
  });

  it('starts without WhatsApp when disabled', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, WHATSAPP_ENABLED: 'false' }, { cwd: repositoryRoot, isTerminal: false });
    app = await startApp(config, createSilentLogger());
    expect(app.whatsapp).toBeUndefined();
    expect((await fetch(`${app.web.url}/whatsapp`)).status).toBe(404);
  });

  it('reads the WhatsApp settings', () => {
    const config = loadConfig({ WHATSAPP_PAIRING_NUMBER: '6285600000001', WHATSAPP_ADMIN_TOKEN: 'a-token-of-24-characters' }, { cwd: repositoryRoot });
    expect(config.whatsapp).toEqual({ session: 'diskopukm-kalbar', pairingNumber: '6285600000001', adminToken: 'a-token-of-24-characters' });
  });

  it('rejects a pairing number with a plus', () => {
    expect(() => loadConfig({ WHATSAPP_PAIRING_NUMBER: '+6285600000001' }, { cwd: repositoryRoot })).toThrow(/WHATSAPP_PAIRING_NUMBER="\+6285600000001"/);
  });
});
