import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { OutboxDispatcher, type DeadLetter } from '../../../src/outbox/outbox-dispatcher.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { wib } from '../../calendar/office-calendar.js';
import { TestClock } from '../../support/harness.js';
import { BotApiStub } from './bot-api-stub.js';
import { createStubChannel } from './stub-support.js';

/** The outbox dispatcher sending through the real Telegram channel to a Bot API stub that fails on request. */
describe('telegram outbox delivery', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    channel = await createStubChannel(stub);
  });

  afterEach(async () => {
    await channel.stop();
    await stub.stop();
  });

  async function dispatcherFor() {
    const store = SqliteStore.open(':memory:');
    const clock = new TestClock(wib('2026-12-07T09:00'));
    const deadLetters: DeadLetter[] = [];
    const dispatcher = new OutboxDispatcher({
      store,
      senders: [channel.outboxSender],
      clock: clock.now,
      logger: createSilentLogger(),
      tuning: { minIntervalMs: {} },
      onDeadLetter: async (dead) => {
        deadLetters.push(dead);
      },
    });
    const queue = (chatId: string, text: string) => store.enqueueOutbound([{ channel: 'telegram', userId: chatId, text, ticket: 'ADU-2026-00009', createdAt: clock.now() }]);
    const deliveries = async () => (await store.listDeliveries({ ticket: 'ADU-2026-00009' })).map((each) => [each.userId, each.status, each.attempts, each.nextAttemptAt]);
    return { store, clock, dispatcher, deadLetters, queue, deliveries };
  }

  it('sends HTML once and records it sent', async () => {
    const { dispatcher, queue, deliveries, clock } = await dispatcherFor();
    await queue('501', 'Status pengaduan: *Selesai*');
    await dispatcher.runOnce();
    expect(stub.callsOf('sendMessage').map((call) => call.body)).toEqual([
      expect.objectContaining({ chat_id: '501', text: 'Status pengaduan: <b>Selesai</b>', parse_mode: 'HTML' }),
    ]);
    expect(await deliveries()).toEqual([['501', 'sent', 0, clock.now()]]);
  });

  it('429 waits retry_after in the outbox without holding other chats', async () => {
    stub.on('sendMessage', (body) => (body.chat_id === '502' ? { errorCode: 429, description: 'Too Many Requests: retry after 120', retryAfter: 120 } : undefined));
    const { dispatcher, queue, deliveries, clock } = await dispatcherFor();
    await queue('502', 'untuk obrolan yang dibatasi');
    await queue('503', 'untuk obrolan lain');
    await dispatcher.runOnce();
    const retryAt = new Date(clock.now().getTime() + 120_000);
    expect(await deliveries()).toEqual([
      ['502', 'pending', 1, retryAt],
      ['503', 'sent', 0, clock.now()],
    ]);
    // One call per message: the wait is not spent inside the send.
    expect(stub.callsOf('sendMessage')).toHaveLength(2);
  });

  it('403 gives the message up and marks the chat unreachable', async () => {
    stub.on('sendMessage', () => ({ errorCode: 403, description: 'Forbidden: bot was blocked by the user' }));
    const { dispatcher, queue, deliveries, deadLetters } = await dispatcherFor();
    await queue('504', 'pertama');
    await queue('504', 'kedua');
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    expect((await deliveries()).map((each) => each.slice(0, 3))).toEqual([
      ['504', 'dead', 1],
      ['504', 'dead', 1],
    ]);
    // The second message is not tried against a chat known to block the bot.
    expect(stub.callsOf('sendMessage')).toHaveLength(1);
    expect(deadLetters.map((dead) => dead.error)).toEqual([expect.stringContaining('blocked'), expect.stringContaining('blocked')]);
  });

  it('400 on entities resends as plain text', async () => {
    stub.on('sendMessage', (body) => (body.parse_mode === 'HTML' ? { errorCode: 400, description: "Bad Request: can't parse entities: unsupported start tag" } : undefined));
    const { dispatcher, queue, deliveries } = await dispatcherFor();
    await queue('505', 'Jawaban: *Selesai*');
    await dispatcher.runOnce();
    expect(stub.callsOf('sendMessage').map((call) => [call.body.parse_mode, call.body.text])).toEqual([
      ['HTML', 'Jawaban: <b>Selesai</b>'],
      [undefined, 'Jawaban: Selesai'],
    ]);
    expect((await deliveries())[0]?.[1]).toBe('sent');
  });

  it('500 is retried later with backoff', async () => {
    stub.on('sendMessage', (_body, count) => (count === 0 ? { errorCode: 500, description: 'Internal Server Error' } : undefined));
    const { dispatcher, queue, deliveries, clock } = await dispatcherFor();
    await queue('506', 'coba lagi');
    await dispatcher.runOnce();
    expect((await deliveries())[0]?.slice(0, 3)).toEqual(['506', 'pending', 1]);
    clock.advanceMinutes(1);
    await dispatcher.runOnce();
    expect((await deliveries())[0]?.slice(0, 3)).toEqual(['506', 'sent', 1]);
  });
});
