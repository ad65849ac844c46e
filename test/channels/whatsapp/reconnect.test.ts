import { DisconnectReason } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decideOnDisconnect, ReconnectBackoff } from '../../../src/channels/whatsapp/connection-policy.js';
import { captureLogs } from '../../support/capture-logs.js';
import { startTestChannel, testSession, type TestChannel } from './channel-support.js';

describe('decideOnDisconnect', () => {
  const unpaired = { showedQr: false, registered: false };
  const paired = { showedQr: false, registered: true };

  it.each([
    [DisconnectReason.restartRequired, { kind: 'reconnect-now' }],
    [DisconnectReason.loggedOut, { kind: 'logged-out' }],
    [DisconnectReason.forbidden, { kind: 'stop', reason: 'forbidden' }],
    [DisconnectReason.multideviceMismatch, { kind: 'stop', reason: 'multidevice-mismatch' }],
    [DisconnectReason.connectionReplaced, { kind: 'stop', reason: 'connection-replaced' }],
    [DisconnectReason.timedOut, { kind: 'reconnect-later' }],
    [DisconnectReason.connectionClosed, { kind: 'reconnect-later' }],
    [DisconnectReason.badSession, { kind: 'reconnect-later' }],
    [DisconnectReason.unavailableService, { kind: 'reconnect-later' }],
    [undefined, { kind: 'reconnect-later' }],
  ])('maps %s', (statusCode, action) => {
    expect(decideOnDisconnect({ statusCode, ...paired })).toEqual(action);
  });

  it('stops on 408 after an unused QR code', () => {
    expect(decideOnDisconnect({ statusCode: 408, showedQr: true, registered: false })).toEqual({ kind: 'stop', reason: 'pairing-expired' });
  });

  it('retries 408 without a QR code', () => {
    expect(decideOnDisconnect({ statusCode: 408, ...unpaired })).toEqual({ kind: 'reconnect-later' });
  });
});

describe('ReconnectBackoff', () => {
  const settings = { firstMs: 1000, maxMs: 8000, stableMs: 60_000 };

  it('doubles up to the cap', () => {
    const backoff = new ReconnectBackoff(settings, () => 1);
    expect([1, 2, 3, 4, 5].map(() => backoff.nextDelay(0))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('draws jitter in the upper half', () => {
    expect(new ReconnectBackoff(settings, () => 0).nextDelay(0)).toBe(500);
    expect(new ReconnectBackoff(settings, () => 0.5).nextDelay(0)).toBe(750);
  });

  it('starts over after a stable connection', () => {
    const backoff = new ReconnectBackoff(settings, () => 1);
    backoff.nextDelay(0);
    backoff.nextDelay(0);
    backoff.markOpen(1000);
    expect(backoff.nextDelay(1000 + settings.stableMs)).toBe(1000);
  });

  it('keeps growing after a short connection', () => {
    const backoff = new ReconnectBackoff(settings, () => 1);
    backoff.nextDelay(0);
    backoff.markOpen(1000);
    expect(backoff.nextDelay(2000)).toBe(2000);
  });
});

/** The channel on fake timers: every wait is passed by hand. */
describe('whatsapp reconnect policy', () => {
  let test: TestChannel | undefined;
  const firstMs = 2000;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(async () => {
    const stopping = test?.channel.stop();
    await vi.runOnlyPendingTimersAsync();
    await stopping;
    vi.useRealTimers();
    test = undefined;
  });

  async function start(options: Parameters<typeof startTestChannel>[0] = {}) {
    test = await startTestChannel({
      noWait: true,
      tuning: { reconnectBackoff: { firstMs, maxMs: 16_000, stableMs: 60_000 }, alertAfterDownMs: 10 * 60_000 },
      ...options,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(test.whatsapp.sockets).toHaveLength(1);
    return test;
  }

  async function openAndClose(statusCode: number) {
    const { whatsapp } = test!;
    whatsapp.current.open();
    await vi.advanceTimersByTimeAsync(0);
    whatsapp.current.close(statusCode);
    await vi.advanceTimersByTimeAsync(0);
  }

  it('reconnects at once after 515', async () => {
    await start();
    const first = test!.whatsapp.current;
    first.showQr();
    first.emit('connection.update', { isNewLogin: true, qr: undefined });
    first.close(DisconnectReason.restartRequired);
    await vi.advanceTimersByTimeAsync(0);
    expect(test!.whatsapp.sockets).toHaveLength(2);
    expect(test!.whatsapp.current).not.toBe(first);
    expect(first.listenerCount()).toBe(0);
    expect(test!.whatsapp.current.listenerCount()).toBe(4);
  });

  it.each([
    ['408 timed out', DisconnectReason.timedOut],
    ['428 connection closed', DisconnectReason.connectionClosed],
    ['500 bad session', DisconnectReason.badSession],
    ['503 unavailable', DisconnectReason.unavailableService],
  ])('reconnects after backoff on %s', async (_name, statusCode) => {
    await start();
    await openAndClose(statusCode);
    expect(test!.channel.status()).toMatchObject({ state: 'reconnecting', retryInMs: firstMs, lastError: { statusCode } });
    await vi.advanceTimersByTimeAsync(firstMs - 1);
    expect(test!.whatsapp.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(test!.whatsapp.sockets).toHaveLength(2);
    expect(test!.whatsapp.sockets[0]!.listenerCount()).toBe(0);
    expect(test!.alerts).toEqual([]);
  });

  it('reconnects after a network error', async () => {
    await start();
    test!.whatsapp.current.end(new Error('getaddrinfo EAI_AGAIN web.whatsapp.com'));
    await vi.advanceTimersByTimeAsync(0);
    expect(test!.channel.status()).toMatchObject({ state: 'reconnecting', lastError: { message: 'getaddrinfo EAI_AGAIN web.whatsapp.com' } });
    await vi.advanceTimersByTimeAsync(firstMs);
    expect(test!.whatsapp.sockets).toHaveLength(2);
  });

  it('backs off to the cap with one log line per retry', async () => {
    const { logger, lines } = captureLogs();
    await start({ logger });
    const waits: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      test!.whatsapp.current.close(DisconnectReason.timedOut);
      await vi.advanceTimersByTimeAsync(0);
      waits.push(test!.channel.status().retryInMs!);
      await vi.advanceTimersByTimeAsync(waits.at(-1)!);
    }
    expect(waits).toEqual([2000, 4000, 8000, 16_000, 16_000, 16_000]);
    expect(test!.whatsapp.sockets).toHaveLength(7);
    const loud = lines.filter((line) => (line.level as number) >= 40);
    expect(loud.map((line) => line.msg)).toEqual(Array(6).fill('whatsapp connection closed; reconnecting'));
  });

  it('alerts once after a long outage', async () => {
    await start();
    test!.whatsapp.current.close(DisconnectReason.timedOut);
    await vi.advanceTimersByTimeAsync(firstMs);
    test!.harness.clock.advanceMinutes(11);
    test!.whatsapp.current.close(DisconnectReason.timedOut);
    await vi.advanceTimersByTimeAsync(4000);
    test!.whatsapp.current.close(DisconnectReason.timedOut);
    await vi.advanceTimersByTimeAsync(0);
    expect(test!.alerts.map((alert) => alert.kind)).toEqual(['down']);
  });

  it('wipes the session after 401', async () => {
    await start();
    await openAndClose(DisconnectReason.loggedOut);
    expect(test!.channel.status()).toMatchObject({ state: 'needs-pairing', reasonKind: 'logged-out' });
    expect(test!.alerts).toEqual([expect.objectContaining({ channel: 'whatsapp', kind: 'logged-out' })]);
    expect(await test!.harness.store.whatsappSessions.readAuthValues(testSession, ['creds'])).toEqual(new Map());
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(test!.whatsapp.sockets).toHaveLength(1);
  });

  it.each([
    ['403', DisconnectReason.forbidden, 'forbidden'],
    ['411', DisconnectReason.multideviceMismatch, 'multidevice-mismatch'],
    ['440', DisconnectReason.connectionReplaced, 'connection-replaced'],
  ])('stops and alerts on %s', async (_name, statusCode, kind) => {
    await start();
    await openAndClose(statusCode);
    expect(test!.channel.status()).toMatchObject({ state: 'failed', reasonKind: kind });
    expect(test!.alerts.map((alert) => alert.kind)).toEqual([kind]);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(test!.whatsapp.sockets).toHaveLength(1);
    expect(await test!.harness.store.whatsappSessions.readAuthValues(testSession, ['creds'])).not.toEqual(new Map());
  });

  it('stops when the QR codes ran out', async () => {
    await start();
    test!.whatsapp.current.showQr();
    test!.whatsapp.current.close(DisconnectReason.timedOut, 'QR refs attempts ended');
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(test!.channel.status()).toMatchObject({ state: 'needs-pairing', reasonKind: 'pairing-expired' });
    expect(test!.whatsapp.sockets).toHaveLength(1);
  });

  it('pairs again on restart', async () => {
    await start();
    await openAndClose(DisconnectReason.loggedOut);
    test!.channel.restart();
    await vi.advanceTimersByTimeAsync(0);
    expect(test!.whatsapp.sockets).toHaveLength(2);
    expect(test!.whatsapp.current.params.auth.creds.registered).toBe(false);
  });

  it('reconnects with the same creds on restart', async () => {
    await start();
    await openAndClose(DisconnectReason.connectionReplaced);
    test!.channel.restart();
    await vi.advanceTimersByTimeAsync(0);
    expect(test!.whatsapp.sockets).toHaveLength(2);
    expect(test!.whatsapp.current.params.auth.creds.registered).toBe(true);
  });
});
