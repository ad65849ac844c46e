import { parseTicketNumber } from '../complaints/ticket-number.js';

/** A citizen's reply to an answered complaint. */
export type Feedback =
  /** "selesai" or "sudah selesai": the answer settled the matter. */
  | { action: 'close'; ticket?: string }
  /** "belum selesai <alasan>": it did not; the reason may be missing. */
  | { action: 'reopen'; ticket?: string; reason: string };

const ticket = String.raw`adu[\s\p{Pd}_./#:]*20\d{2}[\s\p{Pd}_./#:]*\d{1,5}`;
const separators = String.raw`[\s,.:;!\p{Pd}]*`;
const feedbackPattern = new RegExp(
  String.raw`^\s*(?:(${ticket})${separators})?(sudah\s+selesai|belum\s+selesai|selesai)(?![\p{L}\p{N}])${separators}(?:(${ticket})(?![\p{N}])${separators})?([\s\S]*)$`,
  'iu',
);

/**
 * Reads a citizen's reply to an answer: `selesai` or `belum selesai` at the start, in any
 * case, with the ticket optionally before or after the words. After `belum selesai` the
 * rest of the message is the reason. Returns undefined for any other message, including
 * `selesai` followed by more words ("selesai kapan?"), which is a question, not a reply.
 */
export function parseFeedback(text: string): Feedback | undefined {
  const match = feedbackPattern.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  const [, before, words, after, rest] = match;
  const found = parseTicketNumber(before ?? after ?? '');
  const withTicket = found ? { ticket: found } : {};
  const reason = rest!.trim();
  if (/^belum/i.test(words!)) return { action: 'reopen', ...withTicket, reason };
  return reason === '' ? { action: 'close', ...withTicket } : undefined;
}
