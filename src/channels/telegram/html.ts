/**
 * Conversion of the bot's texts to Telegram's HTML parse mode. Telegram's HTML needs only
 * `&`, `<` and `>` escaped outside attributes. Every fragment of content goes through
 * `escapeHtml` before any tag is added, so content can never open a tag.
 */

/** Escapes `&`, `<` and `>` for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A `*bold*` span as the texts mark it: on one line, with no space just inside either
 * asterisk, so "5 * 3 * 2" stays as it is.
 */
const boldSpan = /\*([^*\s](?:[^*\n]*[^*\s])?)\*/g;

/** Escapes a text and turns its `*bold*` marks into `<b>` tags. */
export function toTelegramHtml(text: string): string {
  return escapeHtml(text).replace(boldSpan, '<b>$1</b>');
}

/** Removes `*bold*` marks, for places that show plain text such as keyboard buttons. */
export function stripBoldMarks(text: string): string {
  return text.replace(boldSpan, '$1');
}

/**
 * Turns HTML built by `toTelegramHtml` back into its visible text, with tags removed and
 * the three entities unescaped. Used to resend a message without a parse mode.
 */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
