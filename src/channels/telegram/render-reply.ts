import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Reply } from '../../conversation/reply.js';
import { escapeHtml, toTelegramHtml } from './html.js';
import { buildKeyboard } from './keyboard.js';
import { maxMessageLength, splitHtml } from './split-message.js';

/** One Telegram message to send with `parse_mode: 'HTML'`. */
export interface TelegramMessage {
  html: string;
  keyboard?: InlineKeyboardMarkup;
}

/**
 * Renders a reply as Telegram messages: the text, then the options as numbered lines (kept
 * for readers and for clients that hide keyboards), then the footer, split into messages of
 * at most `limit` characters. The inline keyboard goes on the last message.
 */
export function renderReply(reply: Reply, limit = maxMessageLength): TelegramMessage[] {
  const parts = [toTelegramHtml(reply.text)];
  if (reply.options && reply.options.length > 0) {
    parts.push(reply.options.map((option) => `${escapeHtml(option.key)}. ${toTelegramHtml(option.label)}`).join('\n'));
  }
  if (reply.footer) parts.push(toTelegramHtml(reply.footer));

  const html = parts.filter((part) => part.trim() !== '').join('\n\n');
  if (html === '') return [];
  const messages: TelegramMessage[] = splitHtml(html, limit).map((chunk) => ({ html: chunk }));
  const keyboard = buildKeyboard(reply.options);
  if (keyboard) messages.at(-1)!.keyboard = keyboard;
  return messages;
}
