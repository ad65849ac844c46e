import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { repositoryRoot } from '../support/harness.js';
import { EmulatedCitizen, emulatorToken, startEmulator } from '../channels/telegram/emulator.js';
import { waitUntil } from '../channels/telegram/stub-support.js';

/** The whole bot started from its config: an officer of the shipped roster writes from Telegram. */
describe('officer on Telegram', () => {
  let app: App | undefined;
  let emulator: TelegramServer | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-officer-app-'));

  afterEach(async () => {
    await app?.close();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a command from a listed chat id', async () => {
    emulator = await startEmulator();
    const config = loadConfig(
      { TELEGRAM_BOT_TOKEN: emulatorToken, TELEGRAM_API_ROOT: emulator.config.apiURL, PORT: '0', DATA_DIR: dataDir },
      { cwd: repositoryRoot, isTerminal: false },
    );
    app = await startApp(config, createSilentLogger(), { clock: () => new Date('2026-12-07T02:00:00Z') });

    // Chat id 100000001 is listed for rina, a pengelola_pengaduan, in the shipped officers.yaml.
    const officer = new EmulatedCitizen(emulator, app.telegram!, 100000001, 'Rina');
    // The scheduler's morning digest (Monday 09:00 is in office hours) may come before or
    // after the reply, so wait for both in any order.
    await officer.send('/daftar');
    const texts = () => officer.messages().map((message) => message.text);
    await waitUntil(() => texts().includes('Tidak ada pengaduan yang belum selesai.'), 'the reply to /daftar');
    await waitUntil(() => texts().some((text) => text.startsWith('<b>Ringkasan pengaduan 2026-12-07</b>')), 'the morning digest');

    const citizen = new EmulatedCitizen(emulator, app.telegram!, 6202, 'Budi');
    expect((await citizen.send('daftar'))[0]!.text).not.toContain('Tidak ada pengaduan yang belum selesai.');
  }, 30_000);
});
