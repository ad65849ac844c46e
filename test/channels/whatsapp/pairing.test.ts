import { BufferJSON, initAuthCreds } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelLease } from '../../../src/channels/whatsapp/channel-options.js';
import type { WhatsAppSessionStore } from '../../../src/store/whatsapp-sessions.js';
import { BotHarness } from '../../support/harness.js';
import { captureLogs } from '../../support/capture-logs.js';
import { deliver, startOpenChannel, startTestChannel, testSession, waitUntil, type TestChannel } from './channel-support.js';
import { text } from './wa-messages.js';

describe('whatsapp pairing', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
  });

  it('shows the QR code in the terminal and the status', async () => {
    const { logger, lines } = captureLogs();
    test = await startTestChannel({ logger });
    test.whatsapp.current.showQr('2@qr-one');
    expect(test.qrCodes).toEqual(['2@qr-one']);
    expect(test.channel.status()).toMatchObject({ state: 'pairing', qr: '2@qr-one' });
    expect(lines.some((line) => String(line.msg).startsWith('whatsapp pairing: scan the QR code'))).toBe(true);
  });

  it('requests a pairing code on the first QR only', async () => {
    test = await startTestChannel({ pairingNumber: '6285600000001' });
    test.whatsapp.current.showQr('2@qr-one');
    test.whatsapp.current.showQr('2@qr-two');
    await waitUntil(() => test!.channel.status().state === 'pairing', 'the pairing code');
    expect(test.whatsapp.current.pairingCodeRequests).toEqual(['6285600000001']);
    expect(test.channel.status()).toMatchObject({ state: 'pairing', pairingCode: 'SAPA2026' });
    expect(test.qrCodes).toEqual([]);
  });

  it('requests no pairing code for paired creds', async () => {
    const harness = await BotHarness.create();
    const creds = { ...initAuthCreds(), registered: true };
    await harness.store.whatsappSessions.writeAuthValues(testSession, [{ key: 'creds', value: JSON.stringify(creds, BufferJSON.replacer) }]);
    test = await startTestChannel({ harness, pairingNumber: '6285600000001' });
    test.whatsapp.current.showQr();
    expect(test.whatsapp.current.pairingCodeRequests).toEqual([]);
  });

  it('saves creds before the reconnect after pairing', async () => {
    test = await startTestChannel();
    const first = test.whatsapp.current;
    first.showQr();
    first.params.auth.creds.registered = true;
    first.emit('creds.update', { registered: true });
    first.emit('connection.update', { isNewLogin: true });
    first.close(515);
    await waitUntil(() => test!.whatsapp.sockets.length === 2, 'the second socket');
    const stored = await test.harness.store.whatsappSessions.readAuthValues(testSession, ['creds']);
    expect((JSON.parse(stored.get('creds')!, BufferJSON.reviver) as { registered: boolean }).registered).toBe(true);
    expect(test.whatsapp.current.params.auth.creds.registered).toBe(true);
  });

  it('stops on unreadable creds', async () => {
    const harness = await BotHarness.create();
    await harness.store.whatsappSessions.writeAuthValues(testSession, [{ key: 'creds', value: '{"noiseKey":{"private":{"type":"Buff' }]);
    test = await startTestChannel({ harness, noWait: true });
    await waitUntil(() => test!.channel.status().state === 'failed', 'the failure');
    expect(test.channel.status().reasonKind).toBe('unreadable-creds');
    expect(test.alerts.map((alert) => alert.kind)).toEqual(['unreadable-creds']);
    expect(test.whatsapp.sockets).toEqual([]);
  });

  it('pairs again after a session reset', async () => {
    test = await startOpenChannel();
    await test.channel.resetSession();
    expect(test.whatsapp.sockets).toHaveLength(2);
    expect(test.whatsapp.sockets[0]!.ended).toBe(true);
    expect(test.whatsapp.current.params.auth.creds.registered).toBe(false);
  });
});

describe('whatsapp creds ordering', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
  });

  it('handles messages after the creds write', async () => {
    const harness = await BotHarness.create();
    const sessions = harness.store.whatsappSessions;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    // A store whose creds writes wait for the gate, to show that messages wait for them.
    const slowSessions: WhatsAppSessionStore = Object.assign(Object.create(sessions) as WhatsAppSessionStore, {
      writeAuthValues: async (session: string, changes: Parameters<WhatsAppSessionStore['writeAuthValues']>[1]) => {
        if (changes.some((change) => change.key === 'creds')) await gate;
        await sessions.writeAuthValues(session, changes);
        order.push('creds saved');
      },
    });
    const store = Object.assign(Object.create(harness.store) as typeof harness.store, { whatsappSessions: slowSessions });
    const pipeline = {
      receive: async (message: Parameters<typeof harness.pipeline.receive>[0]) => {
        order.push('message handled');
        return harness.pipeline.receive(message);
      },
    };
    test = await startTestChannel({ harness: Object.assign(Object.create(harness) as BotHarness, { store }), pipeline });
    const socket = test.whatsapp.current;
    socket.emit('creds.update', { registered: true });
    socket.emit('connection.update', { connection: 'open' });
    socket.emit('messages.upsert', { messages: [text('halo')], type: 'notify' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    release();
    await test.channel.whenIdle();
    expect(order).toEqual(['creds saved', 'message handled']);
  });
});

/** A lease that tests grant or refuse by hand. */
class TestLease implements ChannelLease {
  granted = true;
  released = 0;
  acquire = async () => this.granted;
  release = async () => {
    this.released++;
  };
}

describe('whatsapp session lease', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
  });

  it('stands by while another instance holds it', async () => {
    const lease = new TestLease();
    lease.granted = false;
    test = await startTestChannel({ lease, noWait: true, tuning: { leaseRetryMs: 20 } });
    await waitUntil(() => test!.channel.status().state === 'standby', 'standby');
    expect(test.whatsapp.sockets).toEqual([]);
    lease.granted = true;
    await waitUntil(() => test!.whatsapp.sockets.length === 1, 'the socket after the lease');
  });

  it('closes the socket when the lease is lost', async () => {
    const lease = new TestLease();
    test = await startOpenChannel({ lease, tuning: { leaseRenewMs: 20, leaseRetryMs: 60_000 } });
    lease.granted = false;
    await waitUntil(() => test!.channel.status().state === 'standby', 'standby');
    expect(test.whatsapp.sockets[0]!.ended).toBe(true);
    expect(test.alerts.map((alert) => alert.kind)).toEqual(['lease-lost']);
    expect(await deliver(test, text('halo'))).toEqual([]);
  });

  it('lets one instance per store in', async () => {
    const first = await startOpenChannel();
    test = first;
    const second = await startTestChannel({ harness: first.harness, noWait: true, tuning: { leaseRetryMs: 20 } });
    try {
      await waitUntil(() => second.channel.status().state === 'standby', 'the second instance to stand by');
      expect(second.whatsapp.sockets).toEqual([]);
      await first.channel.stop();
      await waitUntil(() => second.whatsapp.sockets.length === 1, 'the second instance to take over');
    } finally {
      await second.channel.stop();
    }
  });

  it('releases the lease at stop', async () => {
    const lease = new TestLease();
    test = await startOpenChannel({ lease });
    await test.channel.stop();
    expect(lease.released).toBe(1);
    test = undefined;
  });
});
