import { Boom } from '@hapi/boom';
import { proto } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { renderReply, splitText } from '../../../src/channels/whatsapp/outbound-text.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { OutboxDispatcher } from '../../../src/outbox/outbox-dispatcher.js';
import { SendPacer } from '../../../src/channels/whatsapp/send-pacer.js';
import { deliver, startOpenChannel, startTestChannel, type TestChannel } from './channel-support.js';
import { citizenLid, citizenPhone, text } from './wa-messages.js';

describe('whatsapp rendering', () => {
  it('numbers the options and keeps bold marks', () => {
    const reply = { text: '*Menu utama*', options: [{ key: '1', label: 'Informasi layanan' }, { key: '2', label: 'Ajukan pengaduan' }], footer: 'Ketik *menu*.' };
    expect(renderReply(reply)).toEqual(['*Menu utama*\n\n1. Informasi layanan\n2. Ajukan pengaduan\n\nKetik *menu*.']);
  });

  it('splits at line breaks', () => {
    const lines = Array.from({ length: 30 }, (_, index) => `Baris ${index + 1} persyaratan layanan`);
    const chunks = splitText(lines.join('\n'), 200);
    expect(chunks.every((chunk) => chunk.length <= 200)).toBe(true);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
    expect(chunks.every((chunk) => chunk.startsWith('Baris') && chunk.endsWith('layanan'))).toBe(true);
  });

  it('splits a long line at spaces', () => {
    const words = Array.from({ length: 80 }, (_, index) => `kata${index}`).join(' ');
    const chunks = splitText(words, 100);
    expect(chunks.every((chunk) => chunk.length <= 100 && !chunk.startsWith(' ') && !chunk.endsWith(' '))).toBe(true);
    expect(chunks.join(' ')).toBe(words);
  });

  it('never cuts an emoji', () => {
    const emoji = '👍🏽'.repeat(30);
    const chunks = splitText(emoji, 25);
    expect(chunks.join('')).toBe(emoji);
    expect(chunks.every((chunk) => chunk.length <= 25 && chunk.length % 4 === 0)).toBe(true);
  });

  it('keeps a short text whole', () => {
    expect(splitText('Terima kasih.')).toEqual(['Terima kasih.']);
  });
});

describe('SendPacer', () => {
  /** Creates a pacer on a clock that moves only when the pacer sleeps. */
  function pacer(settings = { perChatMs: 1000, globalMs: 200 }) {
    let now = 0;
    const waits: number[] = [];
    const pacing = new SendPacer(settings, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    return { pacing, waits };
  }

  it('spaces messages to one chat', async () => {
    const { pacing, waits } = pacer();
    for (let index = 0; index < 3; index++) await pacing.wait('a');
    expect(waits).toEqual([1000, 1000]);
  });

  it('spaces messages across chats', async () => {
    const { pacing, waits } = pacer();
    await pacing.wait('a');
    await pacing.wait('b');
    await pacing.wait('c');
    expect(waits).toEqual([200, 200]);
  });

  it('reserves slots for concurrent callers', async () => {
    const waits: number[] = [];
    // The clock does not move, so all three callers ask at time 0.
    const pacing = new SendPacer({ perChatMs: 1000, globalMs: 200 }, () => 0, async (ms) => void waits.push(ms));
    await Promise.all([pacing.wait('a'), pacing.wait('a'), pacing.wait('b')]);
    expect(waits).toEqual([1000, 1200]);
  });
});

describe('whatsapp sending', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
  });

  it('answers retry requests from the store', async () => {
    test = await startOpenChannel();
    await deliver(test, text('halo'));
    const sent = test.whatsapp.current.sent[0]!;
    const content = await test.whatsapp.current.params.getMessage(sent.message.key);
    expect(content).toBeInstanceOf(proto.Message);
    expect(content!.extendedTextMessage!.text).toBe(sent.text);
  });

  it('answers an unknown retry request with undefined', async () => {
    test = await startOpenChannel();
    expect(await test.whatsapp.current.params.getMessage({ remoteJid: citizenLid, id: '3EB0UNKNOWN', fromMe: true })).toBeUndefined();
  });

  it('delivers an outbox text to a phone number', async () => {
    test = await startOpenChannel();
    expect(await test.channel.deliver(citizenPhone.split('@')[0]!, 'Pengaduan Bapak/Ibu sudah dijawab.')).toEqual({ status: 'sent' });
    expect(test.whatsapp.current.sent.map((sent) => [sent.jid, sent.text])).toEqual([[citizenPhone, 'Pengaduan Bapak/Ibu sudah dijawab.']]);
  });

  it('delivers an outbox text to a LID', async () => {
    test = await startOpenChannel();
    expect(await test.channel.deliver(`lid:${citizenLid.split('@')[0]}`, 'Halo')).toEqual({ status: 'sent' });
    expect(test.whatsapp.current.sent[0]!.jid).toBe(citizenLid);
  });

  it('reports a retryable failure while disconnected', async () => {
    test = await startTestChannel();
    expect(await test.channel.deliver('6281234567890', 'Halo')).toEqual({ status: 'failed', retryable: true, error: 'WhatsApp is not connected' });
  });

  it('reports a permanent failure for a bad address', async () => {
    test = await startOpenChannel();
    expect(await test.channel.deliver('web-user-1', 'Halo')).toMatchObject({ status: 'failed', retryable: false });
  });

  it('reports a rejected send as permanent', async () => {
    test = await startOpenChannel();
    test.whatsapp.current.sendFailures.push(new Boom('bad-request', { statusCode: 400 }));
    expect(await test.channel.deliver('6281234567890', 'Halo')).toEqual({ status: 'failed', retryable: false, error: 'bad-request' });
  });

  it('reports a closed connection as retryable', async () => {
    test = await startOpenChannel();
    test.whatsapp.current.sendFailures.push(new Boom('Connection Closed', { statusCode: 428 }));
    expect(await test.channel.deliver('6281234567890', 'Halo')).toMatchObject({ status: 'failed', retryable: true });
  });
});

describe('whatsapp outbox delivery', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
  });

  async function dispatcherFor(channel: TestChannel) {
    const { store, clock } = channel.harness;
    const dispatcher = new OutboxDispatcher({ store, senders: [channel.channel.outboxSender], clock: clock.now, logger: createSilentLogger(), tuning: { minIntervalMs: {} } });
    await store.enqueueOutbound([{ channel: 'whatsapp', userId: '6281234567890', text: 'Pengaduan ADU-2026-00009 sudah dijawab.', ticket: 'ADU-2026-00009', createdAt: clock.now() }]);
    const deliveries = async () => (await store.listDeliveries({ ticket: 'ADU-2026-00009' })).map((each) => [each.status, each.attempts]);
    return { dispatcher, deliveries };
  }

  it('sends a queued message once', async () => {
    test = await startOpenChannel();
    const { dispatcher, deliveries } = await dispatcherFor(test);
    await dispatcher.runOnce();
    expect(test.whatsapp.current.sent.map((sent) => [sent.jid, sent.text])).toEqual([[citizenPhone, 'Pengaduan ADU-2026-00009 sudah dijawab.']]);
    expect(await deliveries()).toEqual([['sent', 0]]);
  });

  it('keeps a message while disconnected', async () => {
    test = await startTestChannel();
    const { dispatcher, deliveries } = await dispatcherFor(test);
    await dispatcher.runOnce();
    expect(await deliveries()).toEqual([['pending', 1]]);
  });
});
