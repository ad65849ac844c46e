import { parseTicketNumber } from '../complaints/ticket-number.js';
import { normalizeText } from '../text/normalize.js';

/** A citizen's reply to an answered complaint. */
export type Feedback =
  /** "selesai" or "sudah selesai": the answer settled the matter. */
  | { action: 'close'; ticket?: string }
  /** "belum selesai <alasan>" or "masih belum selesai <alasan>": it did not; the reason may be missing. */
  | { action: 'reopen'; ticket?: string; reason: string };

const ticket = String.raw`adu[\s\p{Pd}_./#:]*20\d{2}[\s\p{Pd}_./#:]*\d{1,5}`;
const separators = String.raw`[\s,.:;!\p{Pd}]*`;
const feedbackPattern = new RegExp(
  String.raw`^\s*(?:(${ticket})${separators})?(sudah\s+selesai|(?:masih\s+)?belum\s+selesai|selesai)(?![\p{L}\p{N}])${separators}(?:(${ticket})(?![\p{N}])${separators})?([\s\S]*)$`,
  'iu',
);

/**
 * Words of politeness that may follow `selesai` or lead the reason without changing the
 * reply: forms of address and thanks, compared after normalizeText. Emoji and punctuation
 * are dropped before the comparison.
 */
const courtesyWords = new Set([
  'pak', 'bapak', 'bu', 'ibu', 'kak', 'kakak', 'mas', 'mbak', 'min', 'admin',
  'terima', 'kasih', 'terimakasih', 'makasih', 'makasi', 'trims', 'thanks', 'thx', 'tq',
  'banyak', 'ya', 'ok', 'oke', 'baik',
]);

/** Splits normalised text into words, treating punctuation, symbols (emoji) and marks as spaces. */
function wordsOf(text: string): string[] {
  return normalizeText(text).split(/[\s\p{P}\p{S}\p{M}]+/u).filter((word) => word !== '');
}

function isCourtesyOnly(text: string): boolean {
  return wordsOf(text).every((word) => courtesyWords.has(word));
}

/** Removes the courtesy words and separators before the reason: "pak, izin belum terbit" becomes "izin belum terbit". */
function dropLeadingCourtesy(reason: string): string {
  let rest = reason;
  for (;;) {
    const match = /^[\s\p{P}\p{S}\p{M}\p{Cf}]*([\p{L}\p{N}]+)/u.exec(rest);
    if (!match || !courtesyWords.has(normalizeText(match[1]!))) break;
    rest = rest.slice(match[0].length);
  }
  return isCourtesyOnly(rest) ? '' : rest.replace(/^[\s,.:;!?\p{Pd}\p{So}\p{Sk}\p{M}\p{Cf}]+/u, '').trim();
}

/**
 * Reads a citizen's reply to an answer: `selesai`, `sudah selesai`, `belum selesai` or `masih
 * belum selesai` at the start, in any case, with the ticket optionally before or after the
 * words. After `belum selesai` the rest of the message, without leading courtesy words such
 * as "pak", is the reason. `selesai` may be followed only by courtesy words ("selesai,
 * terima kasih pak 🙏"). Returns undefined for any other message, including `selesai`
 * followed by more words ("selesai kapan?"), which is a question, not a reply.
 */
export function parseFeedback(text: string): Feedback | undefined {
  const match = feedbackPattern.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  const [, before, words, after, rest] = match;
  const found = parseTicketNumber(before ?? after ?? '');
  const withTicket = found ? { ticket: found } : {};
  if (/belum/i.test(words!)) return { action: 'reopen', ...withTicket, reason: dropLeadingCourtesy(rest!).trim() };
  return isCourtesyOnly(rest!) ? { action: 'close', ...withTicket } : undefined;
}
