import { describe, expect, it } from 'vitest';
import { isPhoneUserId, resolveCitizen, toJid, toUserId } from '../../../src/channels/whatsapp/identity.js';
import { citizenLid, citizenPhone } from './wa-messages.js';

const noLookup = async () => null;

describe('resolveCitizen', () => {
  it('keys a LID message by its alternate phone number', async () => {
    expect(await resolveCitizen({ remoteJid: citizenLid, remoteJidAlt: '6281234567890:12@s.whatsapp.net' }, noLookup)).toEqual({
      userId: '6281234567890',
      replyJid: citizenLid,
      phoneJid: citizenPhone,
      lidJid: citizenLid,
    });
  });

  it('keys a phone number message by its number', async () => {
    expect(await resolveCitizen({ remoteJid: citizenPhone, remoteJidAlt: `${citizenLid.replace('@', ':3@')}` }, noLookup)).toEqual({
      userId: '6281234567890',
      replyJid: citizenPhone,
      phoneJid: citizenPhone,
      lidJid: citizenLid,
    });
  });

  it('asks the mapping store for a bare LID', async () => {
    const asked: string[] = [];
    const address = await resolveCitizen({ remoteJid: citizenLid }, async (lid) => {
      asked.push(lid);
      return citizenPhone;
    });
    expect(asked).toEqual([citizenLid]);
    expect(address.userId).toBe('6281234567890');
    expect(address.replyJid).toBe(citizenLid);
  });

  it('keys an unknown LID by the LID', async () => {
    expect(await resolveCitizen({ remoteJid: citizenLid }, noLookup)).toEqual({ userId: 'lid:201234567890123', replyJid: citizenLid, lidJid: citizenLid });
  });
});

describe('WhatsApp user ids', () => {
  it('round-trips a phone number', () => {
    expect(toJid(toUserId({ phoneJid: citizenPhone }))).toBe(citizenPhone);
  });

  it('round-trips a LID', () => {
    expect(toJid(toUserId({ lidJid: citizenLid }))).toBe(citizenLid);
  });

  it('rejects ids of other channels', () => {
    expect(toJid('budi')).toBeUndefined();
    expect(toJid('lid:abc')).toBeUndefined();
  });

  it('tells phone numbers from LIDs', () => {
    expect(isPhoneUserId('6281234567890')).toBe(true);
    expect(isPhoneUserId('lid:201234567890123')).toBe(false);
  });
});
