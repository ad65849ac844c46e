import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { botCommands, commandToText } from '../../../src/channels/telegram/commands.js';
import { readUpdate } from '../../../src/channels/telegram/read-update.js';
import { RecentIds } from '../../../src/channels/telegram/recent-ids.js';
import { textUpdate } from './bot-api-stub.js';

const chat = { id: 777, type: 'private' as const, first_name: 'Siti' };
const from = { id: 777, is_bot: false, first_name: 'Siti' };

/** Builds a message update from the fields that differ between cases. */
function messageUpdate(fields: Record<string, unknown>, chatFields: Record<string, unknown> = chat): Update {
  return { update_id: 5, message: { message_id: 9, date: 0, chat: chatFields, from, ...fields } } as unknown as Update;
}

describe('readUpdate', () => {
  it('reads a text message', () => {
    expect(readUpdate(textUpdate(5, 777, 'halo', 9))).toEqual({
      kind: 'input',
      chatId: '777',
      messageId: '9',
      text: 'halo',
      senderName: 'Siti',
      files: [],
    });
  });

  it('replaces a command with its words', () => {
    const update = messageUpdate({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] });
    expect(readUpdate(update)).toMatchObject({ kind: 'input', text: 'halo' });
  });

  it('takes the largest photo size with the caption', () => {
    const update = messageUpdate({
      caption: 'bukti pungli',
      photo: [
        { file_id: 'small', file_unique_id: 's', width: 90, height: 60, file_size: 1000 },
        { file_id: 'large', file_unique_id: 'l', width: 1280, height: 853, file_size: 90_000 },
        { file_id: 'medium', file_unique_id: 'm', width: 320, height: 213, file_size: 9000 },
      ],
    });
    expect(readUpdate(update)).toMatchObject({
      kind: 'input',
      text: 'bukti pungli',
      files: [{ fileId: 'large', fileSize: 90_000, mimeType: 'image/jpeg' }],
    });
  });

  it('reads a document with its name and type', () => {
    const update = messageUpdate({
      document: { file_id: 'doc-1', file_unique_id: 'd', file_name: 'surat.pdf', mime_type: 'application/pdf', file_size: 2048 },
    });
    expect(readUpdate(update)).toMatchObject({
      kind: 'input',
      text: '',
      files: [{ fileId: 'doc-1', fileName: 'surat.pdf', mimeType: 'application/pdf', fileSize: 2048 }],
    });
  });

  it('names a sticker as unsupported media', () => {
    const update = messageUpdate({ sticker: { file_id: 'st', file_unique_id: 'st', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' } });
    expect(readUpdate(update)).toMatchObject({ kind: 'input', text: '', files: [], unsupportedMedia: 'sticker' });
  });

  it('names each unsupported media kind', () => {
    const file = { file_id: 'f', file_unique_id: 'f', duration: 3 };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['video', { video: { ...file, width: 640, height: 480 } }],
      ['video_note', { video_note: { ...file, length: 240 } }],
      ['audio', { audio: file }],
      ['voice', { voice: file }],
    ];
    for (const [kind, fields] of cases) {
      expect(readUpdate(messageUpdate({ ...fields, caption: 'lihat ini' }))).toMatchObject({ text: 'lihat ini', files: [], unsupportedMedia: kind });
    }
  });

  it('takes no file from an animation', () => {
    const animation = { file_id: 'gif', file_unique_id: 'g', width: 1, height: 1, duration: 2, mime_type: 'video/mp4' };
    const update = messageUpdate({ animation, document: { file_id: 'gif', file_unique_id: 'g', mime_type: 'video/mp4' } });
    expect(readUpdate(update)).toMatchObject({ files: [], unsupportedMedia: 'animation' });
  });

  it('accepts a text without unsupported media', () => {
    expect(readUpdate(textUpdate(5, 777, 'halo'))).not.toHaveProperty('unsupportedMedia');
  });

  it('ignores a service message', () => {
    expect(readUpdate(messageUpdate({ pinned_message: { message_id: 1, date: 0, chat } }))).toEqual({ kind: 'ignored', reason: 'service message' });
  });

  it('ignores a group message', () => {
    const update = messageUpdate({ text: 'halo' }, { id: -100, type: 'group', title: 'Petugas' });
    expect(readUpdate(update)).toEqual({ kind: 'ignored', reason: 'message in a group chat' });
    expect(readUpdate(update, new Set(['-200']))).toEqual({ kind: 'ignored', reason: 'message in a group chat' });
  });

  it('reads an officers group text as its writer', () => {
    const group = { id: -100123, type: 'supergroup', title: 'Tim Pengaduan' };
    const update = messageUpdate({ text: '/daftar@sapa_bot', entities: [{ type: 'bot_command', offset: 0, length: 16 }] }, group);
    expect(readUpdate(update, new Set(['-100123']))).toEqual({
      kind: 'input',
      chatId: '-100123',
      groupSenderId: '777',
      messageId: 'group-100123:9',
      text: '/daftar',
      senderName: 'Siti',
      files: [],
    });
  });

  it('reads the bot joining or leaving an officers group', () => {
    const group = { id: -100123, type: 'supergroup', title: 'Tim Pengaduan' };
    const change = (status: string) =>
      ({
        update_id: 7,
        my_chat_member: { chat: group, from, date: 0, old_chat_member: { status: 'member', user: from }, new_chat_member: { status, user: from } },
      }) as unknown as Update;
    expect(readUpdate(change('kicked'), new Set(['-100123']))).toEqual({ kind: 'membership', chatId: '-100123', reachable: false });
    expect(readUpdate(change('member'), new Set(['-100123']))).toEqual({ kind: 'membership', chatId: '-100123', reachable: true });
    expect(readUpdate(change('member'))).toMatchObject({ kind: 'ignored' });
  });

  it('ignores files and bots in an officers group', () => {
    const group = { id: -100123, type: 'supergroup', title: 'Tim Pengaduan' };
    const groups = new Set(['-100123']);
    expect(readUpdate(messageUpdate({ photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }] }, group), groups)).toMatchObject({ kind: 'ignored' });
    const fromBot = { update_id: 5, message: { message_id: 9, date: 0, chat: group, from: { id: 1, is_bot: true, first_name: 'Bot' }, text: 'daftar' } } as unknown as Update;
    expect(readUpdate(fromBot, groups)).toMatchObject({ kind: 'ignored' });
  });

  it('ignores an edited message', () => {
    const update = { update_id: 6, edited_message: { message_id: 9, date: 0, edit_date: 1, chat, from, text: 'halo lagi' } } as unknown as Update;
    expect(readUpdate(update)).toEqual({ kind: 'ignored', reason: 'edited message' });
  });

  it('ignores a channel post', () => {
    const update = { update_id: 7, channel_post: { message_id: 1, date: 0, chat: { id: -1, type: 'channel', title: 'Info' }, text: 'x' } } as unknown as Update;
    expect(readUpdate(update)).toEqual({ kind: 'ignored', reason: 'update type channel_post' });
  });

  it('reads a button press', () => {
    const update = {
      update_id: 8,
      callback_query: { id: 'cb-1', from, chat_instance: 'ci', data: '2', message: { message_id: 3, date: 0, chat, text: 'menu' } },
    } as unknown as Update;
    expect(readUpdate(update)).toEqual({
      kind: 'input',
      chatId: '777',
      messageId: 'cbq:cb-1',
      text: '2',
      senderName: 'Siti',
      files: [],
      callbackQueryId: 'cb-1',
      buttonMessageId: 3,
    });
  });

  it('answers a game button without data', () => {
    const update = { update_id: 9, callback_query: { id: 'cb-2', from, chat_instance: 'ci', game_short_name: 'g' } } as unknown as Update;
    expect(readUpdate(update)).toEqual({ kind: 'ignored', reason: 'callback query without data', callbackQueryId: 'cb-2' });
  });

  it('reads a block as unreachable', () => {
    const update = {
      update_id: 10,
      my_chat_member: {
        chat,
        from,
        date: 0,
        old_chat_member: { status: 'member', user: from },
        new_chat_member: { status: 'kicked', user: from, until_date: 0 },
      },
    } as unknown as Update;
    expect(readUpdate(update)).toEqual({ kind: 'membership', chatId: '777', reachable: false });
  });
});

describe('commandToText', () => {
  const command = (text: string) => commandToText(text, [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }]);

  it.each([
    ['/start', 'halo'],
    ['/menu', 'menu'],
    ['/status', 'cek status'],
    ['/bantuan', 'bantuan'],
    ['/batal', 'batal'],
    ['/start@SapaLayananBot', 'halo'],
    ['/START', 'halo'],
    ['/start ref-123', 'halo'],
    ['/status ADU-2026-00001', 'cek status ADU-2026-00001'],
  ])('maps %s to %s', (text, words) => {
    expect(command(text)).toBe(words);
  });

  it('keeps an unknown command', () => {
    expect(command('/foo')).toBe('/foo');
  });

  it('keeps a slash without command entity', () => {
    expect(commandToText('/start', undefined)).toBe('/start');
  });

  it('registers every mapped command', () => {
    expect(botCommands().map((entry) => entry.command)).toEqual(['start', 'menu', 'status', 'bantuan', 'batal']);
    for (const entry of botCommands()) expect(entry.command).toMatch(/^[a-z0-9_]{1,32}$/);
  });
});

describe('RecentIds', () => {
  it('reports a repeated id', () => {
    const ids = new RecentIds(3);
    expect(ids.add(1)).toBe(true);
    expect(ids.add(1)).toBe(false);
  });

  it('forgets the oldest id beyond capacity', () => {
    const ids = new RecentIds(2);
    ids.add(1);
    ids.add(2);
    ids.add(3);
    expect(ids.size).toBe(2);
    expect(ids.add(1)).toBe(true);
    expect(ids.add(3)).toBe(false);
  });
});
