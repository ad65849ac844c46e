import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramAlert, TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { TestClock } from '../../support/harness.js';
import { BotApiStub, stubToken } from './bot-api-stub.js';
import { createStubChannel, waitUntil } from './stub-support.js';

/** Alerts about a channel that went down, against a Bot API stub that keeps failing. */
describe('telegram admin alerts', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel | undefined;
  let clock: TestClock;
  let alerts: TelegramAlert[];

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    clock = new TestClock();
    alerts = [];
  });

  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    await stub.stop();
  });

  async function start(options: { webhook?: { url: string; secret: string }; onAlert?: (alert: TelegramAlert) => Promise<void> } = {}) {
    channel = await createStubChannel(stub, {
      clock: clock.now,
      onAlert: options.onAlert ?? (async (alert) => void alerts.push(alert)),
      // Restarts every 20 ms, so that several failures fall within one alert interval.
      tuning: { restartBackoff: { firstMs: 20, maxMs: 20, stableMs: 60_000 } },
      ...(options.webhook ? { webhook: options.webhook } : {}),
    });
    channel.start();
    return channel;
  }

  it('raises one alert per hour and kind', async () => {
    stub.on('getMe', () => ({ errorCode: 401, description: 'Unauthorized' }));
    await start();
    await stub.waitForCalls('getMe', 4);
    expect(alerts).toEqual([
      {
        channel: 'telegram',
        kind: 'token-rejected',
        message: 'Telegram polling failed: 401: Unauthorized. TELEGRAM_BOT_TOKEN is invalid or was revoked; set a token from @BotFather. Retrying in 1 s.',
      },
    ]);

    clock.advanceMinutes(60);
    await waitUntil(() => alerts.length === 2, 'the second alert');
    expect(alerts[1]!.kind).toBe('token-rejected');
    expect(alerts[1]!.message).toMatch(/ \d+ more failures of this kind since the last alert\.$/);
  });

  it('names a polling conflict', async () => {
    stub.on('getUpdates', () => ({ errorCode: 409, description: 'Conflict: terminated by other getUpdates request' }));
    await start();
    await waitUntil(() => alerts.length === 1, 'an alert');
    expect(alerts[0]!.kind).toBe('updates-conflict');
    expect(alerts[0]!.message).toContain('another process is receiving updates for this bot token');
  });

  it('raises each kind on its own', async () => {
    stub.on('getMe', (_body, count) => (count === 0 ? { errorCode: 401, description: 'Unauthorized' } : undefined));
    stub.on('getUpdates', (_body, count) => (count === 0 ? { errorCode: 409, description: 'Conflict' } : undefined));
    const running = await start();
    await waitUntil(() => alerts.length === 2, 'two alerts');
    await waitUntil(() => running.status().state === 'running', 'the channel to run');
    expect(alerts.map((alert) => alert.kind)).toEqual(['token-rejected', 'updates-conflict']);
  });

  it('names a failed webhook registration', async () => {
    stub.on('setWebhook', () => ({ httpStatus: 502 }));
    await start({ webhook: { url: 'https://bot.example.go.id/telegram', secret: 'rahasia-webhook' } });
    await waitUntil(() => alerts.length === 1, 'an alert');
    expect(alerts[0]).toMatchObject({ channel: 'telegram', kind: 'webhook-failed' });
    expect(alerts[0]!.message).toMatch(/^Telegram webhook failed: 502: Bad Gateway\. Retrying in 1 s\.$/);
  });

  it('keeps the token out of alerts', async () => {
    stub.on('getMe', () => ({ errorCode: 401, description: `Unauthorized for ${stubToken}` }));
    await start();
    await waitUntil(() => alerts.length === 1, 'an alert');
    expect(alerts[0]!.message).not.toContain(stubToken.split(':')[1]);
  });

  it('survives a failing receiver', async () => {
    stub.on('getMe', (_body, count) => (count < 2 ? { errorCode: 401, description: 'Unauthorized' } : undefined));
    let calls = 0;
    const running = await start({
      onAlert: async () => {
        calls++;
        throw new Error('officer roster not loaded');
      },
    });
    await waitUntil(() => running.status().state === 'running', 'the channel to run');
    expect(calls).toBe(1);
  });

  it('raises nothing without a receiver', async () => {
    stub.on('getMe', (_body, count) => (count === 0 ? { errorCode: 401, description: 'Unauthorized' } : undefined));
    channel = await createStubChannel(stub, { clock: clock.now });
    channel.start();
    await waitUntil(() => channel!.status().state === 'running', 'the channel to run');
    expect(channel.status().lastError?.message).toBe('401: Unauthorized');
  });
});
