import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { BotApiStub, documentUpdate, stubToken, textUpdate } from './bot-api-stub.js';
import { captureLogs } from '../../support/capture-logs.js';
import { createStubChannel, RecordingPipeline } from './stub-support.js';

const chatId = 918273645;
const secretText = 'nomor KTP saya 6171234567890001';

describe('telegram logs', () => {
  let stub: BotApiStub | undefined;
  let channel: TelegramChannel | undefined;

  afterEach(async () => {
    await channel?.stop();
    await stub?.stop();
  });

  it('keep chat ids, texts and the token out', async () => {
    stub = await new BotApiStub().start();
    const pipeline = new RecordingPipeline();
    pipeline.replies = [{ text: `Anda menulis: ${secretText}` }];
    stub.on('sendMessage', (body, count) => {
      if (count === 0) return { errorCode: 429, description: 'Too Many Requests: retry after 99', retryAfter: 99 };
      if (count === 1) return { errorCode: 400, description: "Bad Request: can't parse entities" };
      if (count === 2) return { httpStatus: 500 };
      return { errorCode: 403, description: `Forbidden: bot was blocked by the user ${String(body.chat_id)}` };
    });
    stub.on('getFile', () => ({ httpStatus: 500 }));
    const { logger, lines } = captureLogs();
    channel = await createStubChannel(stub, { pipeline, logger });
    channel.start();

    stub.pushUpdate(textUpdate(1, chatId, secretText));
    stub.pushUpdate(documentUpdate(2, chatId, { fileId: 'f', fileName: 'ktp.pdf', mimeType: 'application/pdf' }));
    await stub.waitForCalls('sendMessage', 4);
    await channel.whenIdle();
    await channel.stop();
    channel = undefined;

    expect(lines.some((line) => line.msg === 'telegram chat is unreachable (bot blocked or chat gone); reply dropped')).toBe(true);
    expect(lines.some((line) => line.msg === 'telegram file not received; message passed on without it')).toBe(true);
    for (const line of lines) {
      const { userKey, ...rest } = line;
      if (userKey !== undefined) expect(userKey).toBe(`telegram:${chatId}`);
      const text = JSON.stringify(rest);
      expect(text).not.toContain(String(chatId));
      expect(text).not.toContain(secretText);
      expect(text).not.toContain(stubToken.split(':')[1]);
    }
  });
});
