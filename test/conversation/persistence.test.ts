import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createConversationMachine, type ReplyEmitted } from '../../src/conversation/machine.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { BotHarness, TestClock, joinReplies, lastOptions, loadShippedCatalog } from '../support/harness.js';

const user = 'warga-persist';
const temporaryDirs: string[] = [];

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-test-'));
  temporaryDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('snapshot restore', () => {
  it('restored snapshot sends no replies until an event', async () => {
    const catalog = await loadShippedCatalog();
    const machine = createConversationMachine({ catalog, complaints: catalog.complaints });
    const first = createActor(machine);
    first.start();
    first.send({ type: 'GREETING', at: '2026-12-07T02:00:00Z' });
    first.send({ type: 'NUMBER', value: 1, at: '2026-12-07T02:00:05Z' });
    const stored = JSON.parse(JSON.stringify(first.getPersistedSnapshot())) as unknown;
    first.stop();

    const emitted: ReplyEmitted[] = [];
    const restored = createActor(machine, { snapshot: stored as never });
    restored.on('reply', (event) => emitted.push(event));
    restored.start();
    expect(emitted).toHaveLength(0);

    restored.send({ type: 'NUMBER', value: 6, at: '2026-12-07T02:00:10Z' });
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.reply.text).toContain('Kantor Kas');
  });

  it('restart mid-dialogue continues where the user was', async () => {
    const dataDir = temporaryDir();
    const clock = new TestClock();
    const before = await BotHarness.create({ store: SqliteStore.open(dataDir), clock });
    await before.send(user, 'halo');
    await before.send(user, '1');
    await before.send(user, '4');
    await before.store.close();

    const after = await BotHarness.create({ store: SqliteStore.open(dataDir), clock });
    const text = await after.sendText(user, '1');
    expect(text).toContain('*Persyaratan*');
    expect(text).toContain('Kantor Cabang Koperasi');
    expect(text).not.toContain('Privasi');
    await after.store.close();
  });

  it('redelivery after restart is ignored', async () => {
    const dataDir = temporaryDir();
    const before = await BotHarness.create({ store: SqliteStore.open(dataDir) });
    await before.send(user, 'halo', 'once');
    await before.store.close();

    const after = await BotHarness.create({ store: SqliteStore.open(dataDir) });
    const response = await after.post({ user, text: 'halo', id: 'once' });
    expect(response.body.duplicate).toBe(true);
    await after.store.close();
  });

  it('unknown stored state restarts at the main menu', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.store.commitTurn({
      message: { channel: 'web', messageId: 'corrupt', userKey: `web:${user}`, processedAt: bot.clock.now() },
      userKey: `web:${user}`,
      snapshot: { status: 'active', value: { removedState: {} }, context: {} },
      expectedVersion: 1,
      now: bot.clock.now(),
    });
    const replies = await bot.send(user, 'menu');
    expect(lastOptions(replies).map((option) => option.key)).toEqual(['1', '2', '3', '4']);
  });
});

describe('idle timeout', () => {
  it('idle conversation restarts at the main menu with a note', async () => {
    const bot = await BotHarness.create({ idleMinutes: 30 });
    await bot.send(user, 'halo');
    await bot.send(user, '1');
    bot.clock.advanceMinutes(31);
    const replies = await bot.send(user, '3');
    expect(joinReplies(replies)).toContain('sudah lama tidak aktif');
    expect(lastOptions(replies).map((option) => option.key)).toEqual(['1', '2', '3', '4']);
  });

  it('number after idle does not pick from the old menu', async () => {
    const bot = await BotHarness.create({ idleMinutes: 30 });
    await bot.send(user, 'halo');
    await bot.send(user, '1');
    bot.clock.advanceMinutes(31);
    const replies = await bot.send(user, '3');
    expect(joinReplies(replies)).not.toContain('Usaha Simpan Pinjam');
  });

  it('question after idle is answered after the note', async () => {
    const bot = await BotHarness.create({ idleMinutes: 30 });
    await bot.send(user, 'halo');
    bot.clock.advanceMinutes(120);
    const text = await bot.sendText(user, 'syarat kantor kas');
    expect(text).toContain('sudah lama tidak aktif');
    expect(text).toContain('*Persyaratan*');
  });

  it('activity within the limit keeps the state', async () => {
    const bot = await BotHarness.create({ idleMinutes: 30 });
    await bot.send(user, 'halo');
    await bot.send(user, '1');
    bot.clock.advanceMinutes(29);
    expect(lastOptions(await bot.send(user, '3'))[0]!.label).toBe('Persyaratan');
  });
});
