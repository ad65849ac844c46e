import { afterEach, describe, expect, it } from 'vitest';
import { text } from './wa-messages.js';
import {
  citizenLid,
  citizenPhone,
  decryptionFailure,
  editProtocol,
  editWrapper,
  ephemeralText,
  extendedText,
  reaction,
  revoke,
  secretEdit,
  viewOnceUnavailable,
  voiceNote,
} from './wa-messages.js';
import { deliver, startOpenChannel, type TestChannel } from './channel-support.js';

const greeting = 'Selamat datang di layanan informasi';

describe('whatsapp inbound rules', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
  });

  it('answers a live message at its LID', async () => {
    test = await startOpenChannel();
    const sentTexts = await deliver(test, text('halo'));
    expect(sentTexts.join('\n')).toContain(greeting);
    expect(test.whatsapp.current.sent.every((sent) => sent.jid === citizenLid)).toBe(true);
  });

  it('answers a message from a phone number JID', async () => {
    test = await startOpenChannel();
    await deliver(test, text('halo', { from: citizenPhone }));
    expect(test.whatsapp.current.sent[0]!.jid).toBe(citizenPhone);
  });

  it('answers a late message with a notice', async () => {
    test = await startOpenChannel();
    const sentTexts = await deliver(test, text('halo'), 'append');
    expect(sentTexts[0]).toBe(test.harness.catalog.texts.whatsappLateReply);
    expect(sentTexts.join('\n')).toContain(greeting);
  });

  it('gives the late notice once per citizen', async () => {
    test = await startOpenChannel();
    const sentTexts = await deliver(test, [text('halo'), text('1')], 'append');
    expect(sentTexts.filter((sent) => sent === test!.harness.catalog.texts.whatsappLateReply)).toHaveLength(1);
  });

  it('ignores a late message older than the limit', async () => {
    test = await startOpenChannel({ tuning: { maxLateMs: 60 * 60_000 } });
    const twoHoursEarlier = test.harness.clock.now().getTime() / 1000 - 2 * 60 * 60;
    expect(await deliver(test, text('halo', { timestamp: twoHoursEarlier }), 'append')).toEqual([]);
  });

  it('ignores its own messages', async () => {
    test = await startOpenChannel();
    expect(await deliver(test, text('halo', { fromMe: true }), 'append')).toEqual([]);
  });

  it('ignores groups, statuses, broadcasts and newsletters', async () => {
    test = await startOpenChannel();
    const messages = [
      text('halo', { from: '120363012345678901@g.us', participant: citizenLid }),
      text('halo', { from: 'status@broadcast', participant: citizenPhone }),
      text('halo', { from: '1700000000@broadcast' }),
      text('halo', { from: '120363000000000000@newsletter' }),
    ];
    expect(await deliver(test, messages)).toEqual([]);
    expect(await test.harness.store.findConversation(`whatsapp:${citizenPhone.split('@')[0]}`)).toBeUndefined();
  });

  it('reads an ephemeral text', async () => {
    test = await startOpenChannel();
    expect((await deliver(test, ephemeralText('halo'))).join('\n')).toContain(greeting);
  });

  it('reads an extended text', async () => {
    test = await startOpenChannel();
    expect((await deliver(test, extendedText('halo'))).join('\n')).toContain(greeting);
  });

  it('answers a duplicate once', async () => {
    test = await startOpenChannel();
    const message = text('halo');
    const first = await deliver(test, message);
    expect(first.length).toBeGreaterThan(0);
    expect(await deliver(test, message, 'append')).toEqual([]);
  });

  it('asks to resend a view-once photo', async () => {
    test = await startOpenChannel();
    expect(await deliver(test, viewOnceUnavailable())).toEqual([test.harness.catalog.texts.whatsappViewOnceResend]);
  });

  it('asks for text after a voice note', async () => {
    test = await startOpenChannel();
    expect(await deliver(test, voiceNote())).toEqual([test.harness.catalog.texts.whatsappUnsupportedMessage]);
  });

  it.each([
    ['a deletion', () => revoke('3EB0AAA')],
    ['a reaction', () => reaction('3EB0AAA')],
    ['an edit', () => editProtocol('3EB0AAA', '2')],
    ['an edit wrapper', () => editWrapper('3EB0AAA', '2')],
    ['an encrypted edit', () => secretEdit('3EB0AAA')],
    ['a decryption failure', () => decryptionFailure('3EB0CCC')],
  ])('leaves %s unanswered and the conversation unchanged', async (_name, build) => {
    test = await startOpenChannel();
    await deliver(test, text('halo'));
    const userKey = `whatsapp:${citizenPhone.split('@')[0]}`;
    const before = await test.harness.store.findConversation(userKey);
    test.harness.clock.advanceMinutes(1);
    expect(await deliver(test, build())).toEqual([]);
    expect(await test.harness.store.findConversation(userKey)).toEqual(before);
  });

  it('answers the real message after a decryption failure', async () => {
    test = await startOpenChannel();
    expect(await deliver(test, decryptionFailure('3EB0DDD'))).toEqual([]);
    expect((await deliver(test, text('halo', { id: '3EB0DDD' }))).join('\n')).toContain(greeting);
  });
});
