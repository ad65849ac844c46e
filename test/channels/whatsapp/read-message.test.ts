import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { readMessage } from '../../../src/channels/whatsapp/read-message.js';
import {
  citizenLid,
  citizenPhone,
  decryptionFailure,
  editProtocol,
  editWrapper,
  ephemeralText,
  extendedText,
  incoming,
  reaction,
  revoke,
  secretEdit,
  text,
  viewOnceUnavailable,
  voiceNote,
} from './wa-messages.js';

const media = { url: 'https://mmg.whatsapp.net/x', mediaKey: Buffer.alloc(32), fileLength: 2048 };

describe('readMessage addresses', () => {
  it('reads a direct message from a LID', () => {
    expect(readMessage(text('halo', { from: citizenLid }))).toEqual({ kind: 'input', text: 'halo' });
  });

  it('reads a direct message from a phone number', () => {
    expect(readMessage(text('halo', { from: citizenPhone }))).toEqual({ kind: 'input', text: 'halo' });
  });

  it('ignores the bot’s own messages', () => {
    expect(readMessage(text('halo', { fromMe: true }))).toEqual({ kind: 'ignored', reason: 'own-message' });
  });

  it('ignores groups', () => {
    expect(readMessage(text('halo', { from: '120363012345678901@g.us', participant: citizenLid }))).toEqual({ kind: 'ignored', reason: 'group' });
  });

  it('ignores status posts', () => {
    expect(readMessage(text('halo', { from: 'status@broadcast', participant: citizenPhone }))).toEqual({ kind: 'ignored', reason: 'status' });
  });

  it('ignores broadcast lists', () => {
    expect(readMessage(text('halo', { from: '1700000000@broadcast' }))).toEqual({ kind: 'ignored', reason: 'broadcast' });
  });

  it('ignores newsletters', () => {
    expect(readMessage(text('halo', { from: '120363000000000000@newsletter' }))).toEqual({ kind: 'ignored', reason: 'newsletter' });
  });
});

describe('readMessage content', () => {
  it('reads an extended text', () => {
    expect(readMessage(extendedText('syarat izin kantor kas'))).toEqual({ kind: 'input', text: 'syarat izin kantor kas' });
  });

  it('unwraps an ephemeral text', () => {
    expect(readMessage(ephemeralText('menu'))).toEqual({ kind: 'input', text: 'menu' });
  });

  it('reads an image with its caption', () => {
    const message = incoming({ imageMessage: { ...media, mimetype: 'image/jpeg', caption: 'bukti' } });
    expect(readMessage(message)).toEqual({
      kind: 'input',
      text: 'bukti',
      media: { kind: 'image', declaredMimeType: 'image/jpeg', declaredSize: 2048 },
    });
  });

  it('reads a document with its name', () => {
    const message = incoming({ documentMessage: { ...media, mimetype: 'application/pdf', fileName: 'surat.pdf' } });
    expect(readMessage(message)).toEqual({
      kind: 'input',
      text: '',
      media: { kind: 'document', declaredMimeType: 'application/pdf', fileName: 'surat.pdf', declaredSize: 2048 },
    });
  });

  it('unwraps a document with caption', () => {
    const message = incoming({ documentWithCaptionMessage: { message: { documentMessage: { ...media, mimetype: 'application/pdf', fileName: 'a.pdf', caption: 'ini suratnya' } } } });
    expect(readMessage(message)).toMatchObject({ kind: 'input', text: 'ini suratnya', media: { kind: 'document', fileName: 'a.pdf' } });
  });

  it('unwraps a view-once photo', () => {
    const message = incoming({ viewOnceMessageV2: { message: { imageMessage: { ...media, mimetype: 'image/jpeg', viewOnce: true } } } });
    expect(readMessage(message)).toMatchObject({ kind: 'input', media: { kind: 'image' } });
  });

  it('unwraps an ephemeral view-once photo', () => {
    const message = incoming({ ephemeralMessage: { message: { viewOnceMessage: { message: { imageMessage: { ...media, mimetype: 'image/png' } } } } } });
    expect(readMessage(message)).toMatchObject({ kind: 'input', media: { kind: 'image', declaredMimeType: 'image/png' } });
  });

  it('flags a view-once message without content', () => {
    expect(readMessage(viewOnceUnavailable())).toEqual({ kind: 'view-once-unavailable' });
  });

  it('flags an empty view-once wrapper', () => {
    expect(readMessage(incoming({ viewOnceMessageV2: {} }))).toEqual({ kind: 'view-once-unavailable' });
  });

  it('marks a voice note unsupported', () => {
    expect(readMessage(voiceNote())).toEqual({ kind: 'unsupported', contentType: 'audioMessage' });
  });

  it('marks a sticker unsupported', () => {
    expect(readMessage(incoming({ stickerMessage: { ...media, mimetype: 'image/webp' } }))).toEqual({ kind: 'unsupported', contentType: 'stickerMessage' });
  });

  it('marks a location unsupported', () => {
    expect(readMessage(incoming({ locationMessage: { degreesLatitude: -0.02, degreesLongitude: 109.33 } }))).toEqual({
      kind: 'unsupported',
      contentType: 'locationMessage',
    });
  });
});

describe('readMessage non-conversational', () => {
  it('treats a deletion as non-conversational', () => {
    expect(readMessage(revoke('3EB0AAA'))).toEqual({ kind: 'non-conversational', reason: 'revoke', final: true });
  });

  it('treats a reaction as non-conversational', () => {
    expect(readMessage(reaction('3EB0AAA'))).toEqual({ kind: 'non-conversational', reason: 'reaction', final: true });
  });

  it('treats an edit protocol message as non-conversational', () => {
    expect(readMessage(editProtocol('3EB0AAA', 'teks baru'))).toEqual({ kind: 'non-conversational', reason: 'edit', final: true });
  });

  it('treats an edit wrapper as non-conversational', () => {
    expect(readMessage(editWrapper('3EB0AAA', 'teks baru'))).toEqual({ kind: 'non-conversational', reason: 'edit', final: true });
  });

  it('treats an encrypted edit as non-conversational', () => {
    expect(readMessage(secretEdit('3EB0AAA'))).toEqual({ kind: 'non-conversational', reason: 'edit', final: true });
  });

  it('keeps a decryption failure open', () => {
    expect(readMessage(decryptionFailure('3EB0BBB'))).toEqual({ kind: 'non-conversational', reason: 'decryption-failed', final: false });
  });

  it('treats another stub as non-conversational', () => {
    const message = incoming(undefined, { stub: { messageStubType: proto.WebMessageInfo.StubType.E2E_ENCRYPTED } });
    expect(readMessage(message)).toEqual({ kind: 'non-conversational', reason: 'stub', final: true });
  });
});
