import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { repositoryRoot } from '../../support/harness.js';
import { EmulatedCitizen, emulatorToken, startEmulator } from './emulator.js';

/** The whole bot started from its config with TELEGRAM_BOT_TOKEN set, talking to the emulator. */
describe('app with Telegram configured', () => {
  let app: App | undefined;
  let emulator: TelegramServer | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-telegram-app-'));

  afterEach(async () => {
    await app?.close();
    await emulator?.stop();
    app = undefined;
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('greets a citizen on Telegram', async () => {
    emulator = await startEmulator();
    const config = loadConfig(
      { TELEGRAM_BOT_TOKEN: emulatorToken, TELEGRAM_API_ROOT: emulator.config.apiURL, PORT: '0', DATA_DIR: dataDir, WHATSAPP_ENABLED: 'false' },
      { cwd: repositoryRoot, isTerminal: false },
    );
    app = await startApp(config, createSilentLogger(), { clock: () => new Date('2026-12-07T02:00:00Z') });
    expect(app.telegram).toBeDefined();

    const citizen = new EmulatedCitizen(emulator, app.telegram!, 6201, 'Budi');
    const replies = await citizen.send('halo');
    expect(replies[0]!.text).toContain('Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Kalimantan Barat');
    expect(app.telegram!.status().state).toBe('running');
  }, 30_000);

  it('starts without Telegram when no token is set', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, WHATSAPP_ENABLED: 'false' }, { cwd: repositoryRoot, isTerminal: false });
    app = await startApp(config, createSilentLogger());
    expect(app.telegram).toBeUndefined();
  });
});
