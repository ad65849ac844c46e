import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { ReplyOption } from '../../conversation/reply.js';
import { stripBoldMarks } from './html.js';

/** Maximum size of a button's callback data, set by the Bot API, in UTF-8 bytes. */
export const maxCallbackDataBytes = 64;

/** Maximum button text length, in characters, for two buttons per row; an estimate for a phone screen. */
const maxPairedButtonLength = 16;

/**
 * Builds the inline keyboard for a reply's options: one button per option whose text is
 * `<key>. <label>` and whose callback data is the key, which the channel then handles as if
 * the citizen had typed it. Buttons go two to a row when every button text is short, else one
 * to a row. An option whose key is empty or longer than 64 bytes gets no button, but the
 * numbered text above the keyboard still lists it, so it can be typed.
 */
export function buildKeyboard(options: readonly ReplyOption[] | undefined): InlineKeyboardMarkup | undefined {
  const buttons: InlineKeyboardButton.CallbackButton[] = (options ?? [])
    .filter((option) => option.key.length > 0 && Buffer.byteLength(option.key) <= maxCallbackDataBytes)
    .map((option) => ({ text: `${option.key}. ${stripBoldMarks(option.label)}`, callback_data: option.key }));
  if (buttons.length === 0) return undefined;

  const perRow = buttons.every((button) => button.text.length <= maxPairedButtonLength) ? 2 : 1;
  const rows: InlineKeyboardButton[][] = [];
  for (let index = 0; index < buttons.length; index += perRow) rows.push(buttons.slice(index, index + perRow));
  return { inline_keyboard: rows };
}
