import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log/logger.js';
import { OutboxDispatcher, type DeadLetter } from '../../src/outbox/outbox-dispatcher.js';
import type { OutboxSender, SendOutcome } from '../../src/outbox/outbox-sender.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { wib } from '../calendar/office-calendar.js';
import { TestClock } from '../support/harness.js';

/** A channel whose outcomes the test scripts per recipient; it records every attempt. */
class ScriptedSender implements OutboxSender {
  readonly attempts: Array<{ userId: string; text: string }> = [];
  constructor(
    readonly channel: string,
    private readonly script: Record<string, Array<SendOutcome | 'throw'>> = {},
  ) {}
  async send(userId: string, text: string): Promise<SendOutcome> {
    this.attempts.push({ userId, text });
    const next = this.script[userId]?.shift() ?? { status: 'sent' };
    if (next === 'throw') throw new Error('socket closed');
    return next;
  }
}

async function setUp(script: Record<string, Array<SendOutcome | 'throw'>> = {}, tuning = {}) {
  const store = SqliteStore.open(':memory:');
  const clock = new TestClock(wib('2026-12-07T09:00'));
  const sender = new ScriptedSender('telegram', script);
  const pauses: number[] = [];
  const deadLetters: DeadLetter[] = [];
  const longWaits: Array<{ channel: string; retryAfterMs: number }> = [];
  const dispatcher = new OutboxDispatcher({
    store,
    senders: [sender],
    clock: clock.now,
    logger: createSilentLogger(),
    tuning: { firstBackoffMs: 60_000, maxBackoffMs: 600_000, maxAttempts: 4, maxRetryAfterMs: 3_600_000, minIntervalMs: { telegram: 0 }, ...tuning },
    pause: async (ms) => {
      pauses.push(ms);
    },
    onDeadLetter: async (dead) => {
      deadLetters.push(dead);
    },
    onLongWait: async (wait) => {
      longWaits.push(wait);
    },
  });
  const queue = (userId: string, text: string, channel = 'telegram') =>
    store.enqueueOutbound([{ channel, userId, text, ticket: 'ADU-2026-00001', createdAt: clock.now() }]);
  const status = async () => (await store.listDeliveries({ ticket: 'ADU-2026-00001' })).map((each) => [each.userId, each.text, each.status, each.attempts]);
  return { store, clock, sender, dispatcher, pauses, deadLetters, longWaits, queue, status };
}

describe('outbox dispatcher', () => {
  it('sends queued messages of its channels and records them sent', async () => {
    const { dispatcher, sender, queue, status } = await setUp();
    await queue('100', 'satu');
    await queue('200', 'dua');
    await queue('300', 'untuk web', 'web');
    expect(await dispatcher.runOnce()).toBe(2);
    expect(sender.attempts).toEqual([
      { userId: '100', text: 'satu' },
      { userId: '200', text: 'dua' },
    ]);
    expect(await status()).toEqual([
      ['100', 'satu', 'sent', 0],
      ['200', 'dua', 'sent', 0],
      ['300', 'untuk web', 'pending', 0],
    ]);
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it('retries with doubling backoff and gives up after the last attempt', async () => {
    const failure = { status: 'retry' as const, error: '502 Bad Gateway' };
    const { dispatcher, clock, queue, status, deadLetters } = await setUp({ '100': [failure, failure, failure, failure] });
    await queue('100', 'satu');
    await queue('100', 'dua');

    expect(await dispatcher.runOnce()).toBe(1);
    // 1 minute after the first failure, then 2; the second message waits behind the first.
    for (const waitMinutes of [1, 2]) {
      clock.advanceMinutes(waitMinutes - 1);
      expect(await dispatcher.runOnce(), `not before ${waitMinutes} min`).toBe(0);
      clock.advanceMinutes(1);
      expect(await dispatcher.runOnce(), `after ${waitMinutes} min`).toBe(1);
    }
    expect(await status()).toEqual([
      ['100', 'satu', 'pending', 3],
      ['100', 'dua', 'pending', 0],
    ]);

    // The fourth attempt, 4 minutes later, is the last: the first message is given up and the
    // second one goes out in the same round.
    clock.advanceMinutes(3);
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advanceMinutes(1);
    expect(await dispatcher.runOnce()).toBe(2);
    expect(await status()).toEqual([
      ['100', 'satu', 'dead', 4],
      ['100', 'dua', 'sent', 0],
    ]);
    expect(deadLetters.map((dead) => [dead.message.text, dead.error])).toEqual([['satu', '502 Bad Gateway (after 4 attempts)']]);
  });

  it('honours capped rate-limit waits', async () => {
    const { dispatcher, clock, queue, status, longWaits } = await setUp({
      '100': [{ status: 'retry', error: '429 Too Many Requests', retryAfterMs: 30_000 }],
      '200': [{ status: 'retry', error: '429 Too Many Requests', retryAfterMs: 86_400_000 }],
    });
    await queue('100', 'satu');
    await queue('200', 'dua');
    await dispatcher.runOnce();
    expect(longWaits).toEqual([{ channel: 'telegram', retryAfterMs: 86_400_000 }]);
    clock.advanceMinutes(0.5);
    expect(await dispatcher.runOnce()).toBe(1);
    clock.advanceMinutes(59);
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advanceMinutes(1);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await status()).toEqual([
      ['100', 'satu', 'sent', 1],
      ['200', 'dua', 'sent', 1],
    ]);
  });

  it('gives up unreachable and permanent failures', async () => {
    const { dispatcher, queue, status, deadLetters } = await setUp({
      '100': [{ status: 'unreachable', error: '403 Forbidden: bot was blocked by the user' }],
      '200': [{ status: 'failed', error: '400 Bad Request: message is too long' }],
    });
    await queue('100', 'satu');
    await queue('200', 'dua');
    await dispatcher.runOnce();
    expect(await status()).toEqual([
      ['100', 'satu', 'dead', 1],
      ['200', 'dua', 'dead', 1],
    ]);
    expect(deadLetters.map((dead) => [dead.message.userId, dead.unreachable])).toEqual([
      ['100', true],
      ['200', false],
    ]);
  });

  it('treats a sender that throws as a failure worth retrying', async () => {
    const { dispatcher, clock, queue, status } = await setUp({ '100': ['throw'] });
    await queue('100', 'satu');
    await dispatcher.runOnce();
    expect(await status()).toEqual([['100', 'satu', 'pending', 1]]);
    clock.advanceMinutes(1);
    await dispatcher.runOnce();
    expect(await status()).toEqual([['100', 'satu', 'sent', 1]]);
  });

  it('keeps the minimum interval between two sends of a channel', async () => {
    const { dispatcher, queue, pauses } = await setUp({}, { minIntervalMs: { telegram: 1000 } });
    await queue('100', 'satu');
    await queue('200', 'dua');
    await queue('300', 'tiga');
    await dispatcher.runOnce();
    // The test clock does not move, so each send after the first waits the whole interval.
    expect(pauses).toEqual([1000, 1000]);
  });

  it('survives a store that fails', async () => {
    const { dispatcher, store, queue } = await setUp();
    await queue('100', 'satu');
    await store.close();
    expect(await dispatcher.runOnce()).toBe(0);
  });
});
