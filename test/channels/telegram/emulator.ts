import { createServer } from 'node:net';
import type { InlineKeyboardButton } from 'telegraf/types';
// The package's main module replaces module.exports, which its typings do not describe, so the
// class is imported from the module that defines it.
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { expect } from 'vitest';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';

/** A bot token in the format @BotFather issues, for the emulator only. */
export const emulatorToken = '987654321:AAEmulatorTokenForTestsOnly_abcdefg';

/** Maximum wait for a reply in these tests, in milliseconds. */
const replyTimeoutMs = 5000;

/** Returns a TCP port that was free a moment ago; the emulator cannot listen on port 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Starts telegram-test-api on 127.0.0.1. */
export async function startEmulator(): Promise<TelegramServer> {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
  await server.start();
  expect(server.config.apiURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return server;
}

/** A message the bot sent, as the emulator stored it. */
export interface BotMessage {
  messageId: number;
  text: string;
  parseMode?: string;
  keyboard?: InlineKeyboardButton.CallbackButton[][];
}

/** Returns the buttons of a message as [text, callback data] rows. */
export function buttonsOf(message: BotMessage | undefined): Array<Array<[string, string]>> {
  return (message?.keyboard ?? []).map((row) => row.map((button) => [button.text, button.callback_data]));
}

/**
 * A citizen in a private chat with the bot on the emulator. Each action waits for the bot's
 * first new message and then for the channel to finish the update, and returns what it sent.
 */
export class EmulatedCitizen {
  private readonly client: ReturnType<TelegramServer['getClient']>;

  constructor(
    private readonly server: TelegramServer,
    private readonly channel: TelegramChannel,
    readonly chatId: number,
    firstName = 'Siti',
  ) {
    this.client = server.getClient(emulatorToken, { userId: chatId, chatId, firstName });
  }

  async send(text: string): Promise<BotMessage[]> {
    return this.expectReplies(() => this.client.sendMessage(this.client.makeMessage(text)));
  }

  async command(text: string): Promise<BotMessage[]> {
    return this.expectReplies(() => this.client.sendCommand(this.client.makeCommand(text)));
  }

  /** Presses a button of the bot's last message. */
  async press(callbackData: string): Promise<BotMessage[]> {
    const last = this.messages().at(-1);
    const query = this.client.makeCallbackQuery(callbackData, { message: { message_id: last?.messageId ?? 1 } });
    return this.expectReplies(() => this.client.sendCallback(query));
  }

  /** Returns every message the bot sent to this chat, oldest first. */
  messages(): BotMessage[] {
    return this.server.storage.botMessages
      .filter((stored) => String(stored.message.chat_id) === String(this.chatId))
      .map((stored) => {
        const markup = stored.message.reply_markup as { inline_keyboard?: InlineKeyboardButton.CallbackButton[][] } | undefined;
        return {
          messageId: stored.messageId,
          text: stored.message.text,
          ...(stored.message.parse_mode ? { parseMode: stored.message.parse_mode } : {}),
          ...(markup?.inline_keyboard ? { keyboard: markup.inline_keyboard } : {}),
        };
      });
  }

  private async expectReplies(action: () => Promise<unknown>): Promise<BotMessage[]> {
    const before = this.messages().length;
    await action();
    const deadline = Date.now() + replyTimeoutMs;
    while (this.messages().length === before) {
      if (Date.now() > deadline) throw new Error(`No reply within ${replyTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.channel.whenIdle();
    return this.messages().slice(before);
  }
}
