import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Update } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecipientReachability, type ReachabilityStore } from '../../../src/channels/telegram/reachability.js';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { BotApiStub, textUpdate } from './bot-api-stub.js';
import { createStubChannel, RecordingPipeline, waitUntil } from './stub-support.js';

const chatId = 777;
const blocked = { errorCode: 403, description: 'Forbidden: bot was blocked by the user' };

/** Builds the update Telegram sends when the citizen blocks (`kicked`) or unblocks (`member`) the bot. */
function membershipUpdate(updateId: number, status: 'kicked' | 'member'): Update {
  const bot = { id: 42, is_bot: true, first_name: 'Bot' };
  return {
    update_id: updateId,
    my_chat_member: {
      chat: { id: chatId, type: 'private', first_name: 'Siti' },
      from: { id: chatId, is_bot: false, first_name: 'Siti' },
      date: 0,
      old_chat_member: status === 'kicked' ? { status: 'member', user: bot } : { status: 'kicked', user: bot, until_date: 0 },
      new_chat_member: status === 'kicked' ? { status: 'kicked', user: bot, until_date: 0 } : { status: 'member', user: bot },
    },
  };
}

/** Unreachable chats kept in a SQLite file, across a restart of the channel. */
describe('telegram unreachable chats in the store', () => {
  let dataDir: string;
  let stub: BotApiStub;
  let store: SqliteStore;
  let channel: TelegramChannel | undefined;
  const connections: SqliteStore[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-telegram-reach-'));
    stub = await new BotApiStub().start();
    store = SqliteStore.open(dataDir);
  });

  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    await stub.stop();
    for (const connection of connections.splice(0)) await connection.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts a channel on its own connection to the SQLite file, as a restarted process has. */
  async function startChannel(): Promise<TelegramChannel> {
    await channel?.stop();
    const connection = SqliteStore.open(dataDir);
    connections.push(connection);
    channel = await createStubChannel(stub, { pipeline: new RecordingPipeline(), store: () => connection });
    channel.start();
    return channel;
  }

  it('403 records the chat', async () => {
    stub.on('sendMessage', () => blocked);
    const running = await startChannel();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    expect(await store.isRecipientUnreachable('telegram', String(chatId))).toBe(true);
  });

  it('restart skips a recorded chat', async () => {
    await store.setRecipientReachable({ channel: 'telegram', userId: String(chatId), reachable: false, at: new Date() });
    const restarted = await startChannel();
    expect(await restarted.outboxSender.send(String(chatId), 'Status pengaduan berubah.')).toEqual({
      status: 'unreachable',
      error: 'the chat blocked the bot or no longer exists',
    });
    expect(await restarted.deliver(String(chatId), [{ text: 'Status pengaduan berubah.' }])).toBe('unreachable');
    expect(stub.callsOf('sendMessage')).toEqual([]);
    expect(await restarted.outboxSender.send('778', 'Untuk obrolan lain.')).toEqual({ status: 'sent' });
  });

  it('outbox 403 survives a restart', async () => {
    stub.on('sendMessage', (_body, count) => (count === 0 ? blocked : undefined));
    const first = await startChannel();
    expect((await first.outboxSender.send(String(chatId), 'pertama')).status).toBe('unreachable');

    const restarted = await startChannel();
    expect((await restarted.outboxSender.send(String(chatId), 'kedua')).status).toBe('unreachable');
    expect(stub.callsOf('sendMessage')).toHaveLength(1);
  });

  it('message from the chat clears it', async () => {
    await store.setRecipientReachable({ channel: 'telegram', userId: String(chatId), reachable: false, at: new Date() });
    const running = await startChannel();
    stub.pushUpdate(textUpdate(1, chatId, 'halo lagi'));
    await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    expect(await running.outboxSender.send(String(chatId), 'Status pengaduan berubah.')).toEqual({ status: 'sent' });
    expect(await store.isRecipientUnreachable('telegram', String(chatId))).toBe(false);
  });

  it('block and unblock update the record', async () => {
    const running = await startChannel();
    stub.pushUpdate(membershipUpdate(1, 'kicked'));
    await waitUntil(() => stub.callsOf('getUpdates').some((call) => Number(call.body.offset) === 2), 'the block to be confirmed');
    await running.whenIdle();
    expect(await store.isRecipientUnreachable('telegram', String(chatId))).toBe(true);

    stub.pushUpdate(membershipUpdate(2, 'member'));
    await waitUntil(() => stub.callsOf('getUpdates').some((call) => Number(call.body.offset) === 3), 'the unblock to be confirmed');
    await running.whenIdle();
    expect(await store.isRecipientUnreachable('telegram', String(chatId))).toBe(false);
  });

  it('falls back to memory when the store fails', async () => {
    const broken = SqliteStore.open(dataDir);
    await broken.close();
    const reachability = new RecipientReachability({ store: () => broken, clock: () => new Date(), logger: createSilentLogger() });
    await reachability.record('501', false);
    expect(await reachability.isUnreachable('501')).toBe(true);
    expect(await reachability.isUnreachable('502')).toBe(false);
    await reachability.record('501', true);
    expect(await reachability.isUnreachable('501')).toBe(false);
  });

  it('keeps changes of one chat in order', async () => {
    // The first write is slow, as a store round trip can be; the second must still land after it.
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const slowFirstWrite: ReachabilityStore = {
      setRecipientReachable: async (change) => {
        if (change.reachable) await gate;
        return store.setRecipientReachable(change);
      },
      isRecipientUnreachable: (channel, userId) => store.isRecipientUnreachable(channel, userId),
    };
    const reachability = new RecipientReachability({ store: () => slowFirstWrite, clock: () => new Date(), logger: createSilentLogger() });
    void reachability.record('503', true);
    const blocked = reachability.record('503', false);
    openGate();
    await blocked;
    expect(await reachability.isUnreachable('503')).toBe(true);
    expect(await store.isRecipientUnreachable('telegram', '503')).toBe(true);
  });
});
