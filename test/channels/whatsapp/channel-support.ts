import type { WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { ChannelLease, WhatsAppAlert, WhatsAppChannelOptions } from '../../../src/channels/whatsapp/channel-options.js';
import { createWhatsAppChannel, type WhatsAppChannel } from '../../../src/channels/whatsapp/whatsapp-channel.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { BotHarness } from '../../support/harness.js';
import { FakeWhatsApp, type FakeSocket } from './fake-socket.js';

/** The session name the test channels use. */
export const testSession = 'diskopukm-kalbar';

/** A channel on a fake socket, the real conversation and an in-memory SQLite store. */
export interface TestChannel {
  channel: WhatsAppChannel;
  whatsapp: FakeWhatsApp;
  harness: BotHarness;
  alerts: WhatsAppAlert[];
  qrCodes: string[];
}

export interface TestChannelOptions {
  harness?: BotHarness;
  pipeline?: WhatsAppChannelOptions['pipeline'];
  logger?: Logger;
  lease?: ChannelLease;
  pairingNumber?: string;
  tuning?: WhatsAppChannelOptions['tuning'];
  /** Start the channel without waiting for its first socket (for tests on fake timers or leases). */
  noWait?: boolean;
}

/** Creates and starts a channel; by default waits for its first socket. */
export async function startTestChannel(options: TestChannelOptions = {}): Promise<TestChannel> {
  const harness = options.harness ?? (await BotHarness.create());
  const whatsapp = new FakeWhatsApp();
  const alerts: WhatsAppAlert[] = [];
  const qrCodes: string[] = [];
  const channel = createWhatsAppChannel({
    config: { session: testSession, ...(options.pairingNumber ? { pairingNumber: options.pairingNumber } : {}) },
    pipeline: options.pipeline ?? harness.pipeline,
    catalog: harness.catalog,
    logger: options.logger ?? createSilentLogger(),
    clock: harness.clock.now,
    socketFactory: whatsapp.factory,
    onAlert: (alert) => alerts.push(alert),
    printQr: (qr) => qrCodes.push(qr),
    random: () => 1,
    ...(options.lease ? { lease: options.lease } : {}),
    tuning: { pacing: { perChatMs: 0, globalMs: 0 }, stopGraceMs: 2000, ...options.tuning },
  });
  channel.start(harness.store);
  if (!options.noWait) await waitUntil(() => whatsapp.sockets.length > 0, 'the first socket');
  return { channel, whatsapp, harness, alerts, qrCodes };
}

/** Starts a channel whose socket is open, as after an earlier pairing. */
export async function startOpenChannel(options: TestChannelOptions = {}): Promise<TestChannel> {
  const test = await startTestChannel(options);
  test.whatsapp.current.open();
  await waitUntil(() => test.channel.status().state === 'open', 'the connection to open');
  return test;
}

/** Emits messages as one upsert and returns the texts the channel sent for them. */
export async function deliver(test: TestChannel, messages: WAMessage | WAMessage[], type: 'notify' | 'append' = 'notify'): Promise<string[]> {
  const socket: FakeSocket = test.whatsapp.current;
  const before = socket.sent.length;
  socket.emit('messages.upsert', { messages: Array.isArray(messages) ? messages : [messages], type });
  await test.channel.whenIdle();
  return socket.sent.slice(before).map((sent) => sent.text);
}

/** Waits until `condition` holds, checking every 10 ms, failing after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
