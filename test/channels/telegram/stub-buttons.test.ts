import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatestKeyboards } from '../../../src/channels/telegram/latest-keyboards.js';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { loadShippedCatalog } from '../../support/harness.js';
import { BotApiStub, callbackUpdate, textUpdate } from './bot-api-stub.js';
import { createStubChannel, RecordingPipeline } from './stub-support.js';

const chatId = 777;

/** Button presses on the keyboards the bot sent, against the Bot API stub, which numbers sent messages from 1000. */
describe('telegram stale button presses', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel | undefined;
  let pipeline: RecordingPipeline;
  let staleText: string;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    pipeline = new RecordingPipeline();
    pipeline.replies = [{ text: 'Pilih menu:', options: [{ key: '1', label: 'Layanan' }, { key: '2', label: 'Pengaduan' }] }];
    staleText = (await loadShippedCatalog()).texts.staleButton;
  });

  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    await stub.stop();
  });

  async function start(): Promise<TelegramChannel> {
    channel = await createStubChannel(stub, { pipeline });
    channel.start();
    return channel;
  }

  /** Sends two texts, so that the bot sent keyboard messages 1000 and then 1001. */
  async function receiveTwoKeyboards(running: TelegramChannel): Promise<void> {
    stub.pushUpdate(textUpdate(1, chatId, 'halo'));
    stub.pushUpdate(textUpdate(2, chatId, 'menu'));
    const sent = await stub.waitForCalls('sendMessage', 2);
    await running.whenIdle();
    expect(sent.map((call) => call.body.reply_markup)).toEqual([expect.anything(), expect.anything()]);
  }

  it('rejects a press on an older keyboard', async () => {
    const running = await start();
    await receiveTwoKeyboards(running);
    stub.pushUpdate(callbackUpdate(3, chatId, 'cb-old', '2', 1000));
    const [answer] = await stub.waitForCalls('answerCallbackQuery', 1);
    await running.whenIdle();
    expect(answer!.body).toEqual({ callback_query_id: 'cb-old', text: staleText });
    expect(pipeline.received.map((message) => message.text)).toEqual(['halo', 'menu']);
    expect(stub.callsOf('sendMessage')).toHaveLength(2);
  });

  it('handles a press on the latest keyboard', async () => {
    const running = await start();
    await receiveTwoKeyboards(running);
    stub.pushUpdate(callbackUpdate(3, chatId, 'cb-new', '2', 1001));
    const [answer] = await stub.waitForCalls('answerCallbackQuery', 1);
    await stub.waitForCalls('sendMessage', 3);
    await running.whenIdle();
    expect(answer!.body).toEqual({ callback_query_id: 'cb-new' });
    expect(pipeline.received.at(-1)).toMatchObject({ messageId: 'cbq:cb-new', text: '2' });
  });

  it('handles only the first of two quick presses', async () => {
    const running = await start();
    await receiveTwoKeyboards(running);
    // Both presses are on message 1001; the reply to the first sends keyboard 1002.
    stub.pushUpdate(callbackUpdate(3, chatId, 'cb-first', '1', 1001));
    stub.pushUpdate(callbackUpdate(4, chatId, 'cb-second', '2', 1001));
    const answers = await stub.waitForCalls('answerCallbackQuery', 2);
    await running.whenIdle();
    expect(answers.map((call) => call.body)).toEqual([{ callback_query_id: 'cb-first' }, { callback_query_id: 'cb-second', text: staleText }]);
    expect(pipeline.received.map((message) => message.text)).toEqual(['halo', 'menu', '1']);
  });

  it('accepts any press after a restart', async () => {
    const first = await start();
    await receiveTwoKeyboards(first);
    await first.stop();

    const restarted = await start();
    stub.pushUpdate(callbackUpdate(3, chatId, 'cb-old', '2', 1000));
    const [answer] = await stub.waitForCalls('answerCallbackQuery', 1);
    await stub.waitForCalls('sendMessage', 3);
    await restarted.whenIdle();
    expect(answer!.body).toEqual({ callback_query_id: 'cb-old' });
    expect(pipeline.received.at(-1)).toMatchObject({ text: '2' });
  });

  it('keeps keyboards of other chats apart', async () => {
    const running = await start();
    await receiveTwoKeyboards(running);
    stub.pushUpdate(callbackUpdate(3, chatId + 1, 'cb-other', '1', 1000));
    const [answer] = await stub.waitForCalls('answerCallbackQuery', 1);
    await running.whenIdle();
    expect(answer!.body).toEqual({ callback_query_id: 'cb-other' });
  });
});

describe('LatestKeyboards', () => {
  it('marks older messages stale', () => {
    const keyboards = new LatestKeyboards(10);
    keyboards.record('1', 20);
    expect(keyboards.isStale('1', 19)).toBe(true);
    expect(keyboards.isStale('1', 20)).toBe(false);
    expect(keyboards.isStale('1', 21)).toBe(false);
    expect(keyboards.isStale('2', 1)).toBe(false);
  });

  it('keeps the latest of out-of-order records', () => {
    const keyboards = new LatestKeyboards(10);
    keyboards.record('1', 20);
    keyboards.record('1', 18);
    expect(keyboards.isStale('1', 19)).toBe(true);
  });

  it('forgets the least recent chat beyond capacity', () => {
    const keyboards = new LatestKeyboards(2);
    keyboards.record('1', 10);
    keyboards.record('2', 10);
    keyboards.record('1', 11);
    keyboards.record('3', 10);
    expect(keyboards.isStale('2', 1)).toBe(false);
    expect(keyboards.isStale('1', 10)).toBe(true);
    expect(keyboards.isStale('3', 9)).toBe(true);
  });

  it('rejects a capacity below one', () => {
    expect(() => new LatestKeyboards(0)).toThrow('capacity must be a positive integer, got 0');
  });
});
