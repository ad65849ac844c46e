import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { BotApiStub, callbackUpdate, textUpdate } from './bot-api-stub.js';
import { createStubChannel, RecordingPipeline, waitUntil } from './stub-support.js';

const chatId = 777;

describe('telegram channel against a failing Bot API', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel | undefined;
  let pipeline: RecordingPipeline;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    pipeline = new RecordingPipeline();
  });

  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    await stub.stop();
  });

  async function start(tuning = {}): Promise<TelegramChannel> {
    channel = await createStubChannel(stub, { pipeline, tuning });
    channel.start();
    return channel;
  }

  it('sends HTML with the keyboard', async () => {
    pipeline.replies = [{ text: 'Pilih *menu*:', options: [{ key: '1', label: 'Kirim' }] }];
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    const [call] = await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    expect(call!.body).toMatchObject({
      chat_id: String(chatId),
      text: 'Pilih <b>menu</b>:\n\n1. Kirim',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: '1. Kirim', callback_data: '1' }]] },
    });
    expect(pipeline.received[0]).toMatchObject({ channel: 'telegram', userId: String(chatId), messageId: '1', text: 'halo', senderName: 'Siti' });
  });

  it('registers the command menu at start', async () => {
    await start();
    const [call] = await stub.waitForCalls('setMyCommands', 1);
    expect((call!.body.commands as Array<{ command: string }>).map((command) => command.command)).toEqual(['start', 'menu', 'status', 'bantuan', 'batal']);
  });

  it('403 marks the chat unreachable', async () => {
    stub.on('sendMessage', () => ({ errorCode: 403, description: 'Forbidden: bot was blocked by the user' }));
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    expect(stub.callsOf('sendMessage')).toHaveLength(1);

    expect(await running.deliver(String(chatId), [{ text: 'Status pengaduan berubah.' }])).toBe('unreachable');
    expect(stub.callsOf('sendMessage')).toHaveLength(1);
  });

  it('message after 403 reaches the chat again', async () => {
    stub.on('sendMessage', (_body, count) => (count === 0 ? { errorCode: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    stub.pushUpdate(textUpdate(2, chatId, 'halo lagi'));
    await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    expect(await running.deliver(String(chatId), [{ text: 'Status pengaduan berubah.' }])).toBe('sent');
  });

  it('blocking the bot marks the chat unreachable', async () => {
    const running = await start();
    stub.pushUpdate({
      update_id: 1,
      my_chat_member: {
        chat: { id: chatId, type: 'private', first_name: 'Siti' },
        from: { id: chatId, is_bot: false, first_name: 'Siti' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: 42, is_bot: true, first_name: 'Bot' } },
        new_chat_member: { status: 'kicked', user: { id: 42, is_bot: true, first_name: 'Bot' }, until_date: 0 },
      },
    });
    await waitUntil(() => stub.callsOf('getUpdates').some((call) => Number(call.body.offset) === 2), 'the update to be confirmed');
    expect(await running.deliver(String(chatId), [{ text: 'x' }])).toBe('unreachable');
    expect(pipeline.received).toEqual([]);
  });

  it('409 on getUpdates: down, then recovers', async () => {
    const conflict = { errorCode: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };
    stub.on('getUpdates', (_body, count) => (count < 3 ? conflict : undefined));
    const running = await start();

    await waitUntil(() => running.status().state === 'down', 'the channel to be down');
    expect(running.status().lastError?.message).toContain('409');

    await waitUntil(() => stub.callsOf('getUpdates').length > 3, 'polling to restart');
    await waitUntil(() => running.status().state === 'running', 'the channel to run again');
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 1);
    expect(running.status().lastError?.message).toContain('409');

    // Each launch deletes the webhook first; the waits between launches double: 50, 100, 200 ms.
    const launches = stub.callsOf('deleteWebhook').map((call) => call.at);
    expect(launches).toHaveLength(4);
    const gaps = launches.slice(1).map((at, index) => at - launches[index]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(195);
  });

  it('401 at launch: down, then recovers', async () => {
    stub.on('getMe', (_body, count) => (count === 0 ? { errorCode: 401, description: 'Unauthorized' } : undefined));
    const running = await start();
    await waitUntil(() => running.status().state === 'down', 'the channel to be down');
    expect(running.status()).toMatchObject({ mode: 'polling', state: 'down', lastError: { message: '401: Unauthorized' } });
    await waitUntil(() => running.status().state === 'running', 'the channel to run again');
  });

  it('429 waits the capped retry_after', async () => {
    stub.on('sendMessage', (_body, count) => (count === 0 ? { errorCode: 429, description: 'Too Many Requests: retry after 3600', retryAfter: 3600 } : undefined));
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    const calls = await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    const waited = calls[1]!.at - calls[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(2000);
  });

  it('429 in one chat does not delay another', async () => {
    stub.on('sendMessage', (body, count) =>
      body.chat_id === '1' && count === 0 ? { errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 } : undefined,
    );
    const running = await start({ sendRetry: { attempts: 3, firstDelayMs: 20, maxDelayMs: 80, maxRetryAfterMs: 1000 } });
    stub.pushUpdate(textUpdate(1, 1, 'halo'));
    stub.pushUpdate(textUpdate(2, 2, 'halo'));
    const calls = await stub.waitForCalls('sendMessage', 3);
    await running.whenIdle();
    const [limited, other, retried] = calls;
    expect([limited!.body.chat_id, other!.body.chat_id, retried!.body.chat_id]).toEqual(['1', '2', '1']);
    expect(other!.at - limited!.at).toBeLessThan(500);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });

  it('400 entity error resends as plain text', async () => {
    pipeline.replies = [{ text: '*Status* R&D <x>', options: [{ key: '1', label: 'Kirim' }] }];
    stub.on('sendMessage', (body) =>
      body.parse_mode === 'HTML' ? { errorCode: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 22" } : undefined,
    );
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    const calls = await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.parse_mode).toBeUndefined();
    expect(calls[1]!.body.text).toBe('Status R&D <x>\n\n1. Kirim');
    expect(calls[1]!.body.reply_markup).toEqual({ inline_keyboard: [[{ text: '1. Kirim', callback_data: '1' }]] });
  });

  it('500 is retried', async () => {
    stub.on('sendMessage', (_body, count) => (count < 2 ? { httpStatus: 500 } : undefined));
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 3);
    await running.whenIdle();
    expect(stub.callsOf('sendMessage')).toHaveLength(3);
    expect(await running.deliver(String(chatId), [{ text: 'x' }])).toBe('sent');
  });

  it('a dropped connection is retried', async () => {
    stub.on('sendMessage', (_body, count) => (count === 0 ? { dropConnection: true } : undefined));
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    expect(stub.callsOf('sendMessage')).toHaveLength(2);
  });

  it('persistent 500 gives up after the attempts', async () => {
    stub.on('sendMessage', () => ({ httpStatus: 502 }));
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 4);
    await running.whenIdle();
    expect(stub.callsOf('sendMessage')).toHaveLength(4);
    expect(await running.deliver(String(chatId), [{ text: 'x' }])).toBe('failed');
  });

  it('button press is answered and handled', async () => {
    const running = await start();
    stub.pushUpdate(callbackUpdate(1, chatId, 'cb-9', '3'));
    const [answer] = await stub.waitForCalls('answerCallbackQuery', 1);
    await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    expect(answer!.body.callback_query_id).toBe('cb-9');
    expect(pipeline.received[0]).toMatchObject({ messageId: 'cbq:cb-9', text: '3', userId: String(chatId) });
  });

  it('edited message gets no reply', async () => {
    const running = await start();
    stub.pushUpdate({
      update_id: 1,
      edited_message: {
        message_id: 5,
        date: 0,
        edit_date: 1,
        chat: { id: chatId, type: 'private', first_name: 'Siti' },
        from: { id: chatId, is_bot: false, first_name: 'Siti' },
        text: 'halo (diubah)',
      },
    });
    stub.pushUpdate(textUpdate(2, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 1);
    await running.whenIdle();
    expect(pipeline.received.map((message) => message.text)).toEqual(['halo']);
    expect(stub.callsOf('sendMessage')).toHaveLength(1);
  });

  it('slow chat does not block others', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new RecordingPipeline();
    const receive = slow.receive;
    slow.receive = async (message) => {
      if (message.userId === '1') await blocked;
      return receive(message);
    };
    pipeline = slow;
    const running = await start();
    stub.pushUpdate(textUpdate(1, 1, 'halo'));
    stub.pushUpdate(textUpdate(2, 2, 'halo'));
    const [first] = await stub.waitForCalls('sendMessage', 1);
    expect(first!.body.chat_id).toBe('2');
    const polls = stub.callsOf('getUpdates').length;
    await waitUntil(() => stub.callsOf('getUpdates').length > polls + 1, 'polling to go on');

    release();
    const calls = await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    expect(calls[1]!.body.chat_id).toBe('1');
  });

  it('long reply is split with the keyboard last', async () => {
    const lines = Array.from({ length: 400 }, (_, index) => `${index + 1}. Persyaratan nomor ${index + 1}`);
    pipeline.replies = [{ text: lines.join('\n'), options: [{ key: '1', label: 'Kirim' }] }];
    const running = await start();
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    const calls = stub.callsOf('sendMessage');
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(String(call.body.text).length).toBeLessThanOrEqual(4096);
    expect(calls.slice(0, -1).every((call) => call.body.reply_markup === undefined)).toBe(true);
    expect(calls.at(-1)!.body.reply_markup).toEqual({ inline_keyboard: [[{ text: '1. Kirim', callback_data: '1' }]] });
    expect(String(calls[1]!.body.text)).toMatch(/^\d+\. Persyaratan nomor \d+\n/);
  });

  it('stop ends polling and restarts nothing', async () => {
    const running = await start();
    await stub.waitForCalls('getUpdates', 1);
    await running.stop();
    channel = undefined;
    expect(running.status().state).toBe('stopped');
    const count = stub.callsOf('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stub.callsOf('getUpdates').length).toBe(count);
  });
});
