import type { Update } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { BotHarness } from '../../support/harness.js';
import { BotApiStub } from './bot-api-stub.js';
import { createStubChannel } from './stub-support.js';

/** The officers' group of the shipped officers.yaml, and rina's user id (a pengelola_pengaduan). */
const officersGroup = -100000000001;
const rina = 100000001;

function groupText(updateId: number, chatId: number, fromId: number, text: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: chatId, type: 'supergroup', title: 'Tim Pengaduan' },
      from: { id: fromId, is_bot: false, first_name: 'Penulis' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
    },
  } as unknown as Update;
}

describe('telegram officers group', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel;
  let bot: BotHarness;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    bot = await BotHarness.create();
    channel = await createStubChannel(stub, { pipeline: bot.pipeline });
    channel.start();
  });

  afterEach(async () => {
    await channel.stop();
    await stub.stop();
  });

  it('answers an officer command in the group, in the group', async () => {
    stub.pushUpdate(groupText(1, officersGroup, rina, '/daftar@sapa_layanan_bot'));
    const [reply] = await stub.waitForCalls('sendMessage', 1);
    await channel.whenIdle();
    expect(reply!.body).toMatchObject({ chat_id: String(officersGroup), text: 'Tidak ada pengaduan yang belum selesai.' });
  });

  it('pings the group again once it is heard from after a 403', async () => {
    const group = String(officersGroup);
    stub.on('sendMessage', (body, count) => (body.chat_id === group && count === 0 ? { errorCode: 403, description: 'Forbidden: bot was kicked from the supergroup chat' } : undefined));
    expect(await channel.outboxSender.send(group, 'Pengaduan baru')).toMatchObject({ status: 'unreachable' });
    // Recorded: the next ping is not even tried.
    expect(await channel.outboxSender.send(group, 'Pengaduan baru')).toMatchObject({ status: 'unreachable' });
    expect(stub.callsOf('sendMessage')).toHaveLength(1);

    // The bot is back in the group: an officer's command there clears the record.
    stub.pushUpdate(groupText(1, officersGroup, rina, 'daftar'));
    await stub.waitForCalls('sendMessage', 2);
    await channel.whenIdle();
    expect(await channel.outboxSender.send(group, 'Pengaduan baru')).toEqual({ status: 'sent' });
  });

  it('ignores everything else in the group and in other groups', async () => {
    // A non-officer's greeting, and an officer's words that are no command.
    stub.pushUpdate(groupText(1, officersGroup, 555, 'halo'));
    stub.pushUpdate(groupText(2, officersGroup, rina, 'selamat pagi semua'));
    // An officer command in a group that officers.yaml does not list.
    stub.pushUpdate(groupText(3, -100999, rina, 'daftar'));
    // A private message afterwards shows the updates above were handled first.
    stub.pushUpdate({
      update_id: 4,
      message: { message_id: 4, date: 0, chat: { id: 6001, type: 'private', first_name: 'Warga' }, from: { id: 6001, is_bot: false, first_name: 'Warga' }, text: 'halo' },
    } as unknown as Update);
    await stub.waitForCalls('sendMessage', 1);
    await channel.whenIdle();
    expect(new Set(stub.callsOf('sendMessage').map((call) => call.body.chat_id))).toEqual(new Set(['6001']));
    // No conversation was started for the officer by the group messages.
    expect(await bot.store.findConversation(`telegram:${rina}`)).toBeUndefined();
  });
});
