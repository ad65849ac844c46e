import type { Intent } from '../catalog/matcher.js';
import type { EvidenceRef } from '../complaints/complaint.js';
import type { ComplaintSummary } from './complaint-draft.js';
import { normalizeText, parseMenuNumber, toCommandWord } from '../text/normalize.js';

/** Maximum length of a message the conversation reads, in characters. Longer messages get a polite limit notice. */
export const maxMessageLength = 4000;

/** The reason an evidence file was not accepted. */
export interface MediaRejection {
  fileName?: string;
  reason: 'too-large' | 'unsupported-type' | 'empty';
  /** Size in bytes, for `too-large`. */
  size?: number;
}

/**
 * Results of the service's reads, sent back into the machine in the same turn so the next
 * state can depend on them.
 */
export type ResultEvent =
  | { type: 'OWN_COMPLAINTS'; complaints: ComplaintSummary[] }
  | { type: 'STATUS_FOUND'; summary: ComplaintSummary }
  | { type: 'PIN_REQUIRED'; ticket: string }
  | { type: 'PIN_WRONG'; remaining: number }
  | { type: 'PIN_LOCKED'; minutes: number };

/**
 * What a citizen's message means to the conversation, decided before the machine sees it.
 * Every event carries `at`, the time the message was received (ISO 8601), because the
 * machine never reads the clock, and `senderName` when the channel tells the sender's name.
 */
export type ConversationEvent = { at: string; senderName?: string } & (
  | ResultEvent
  /**
   * Files sent by the citizen, already checked. `accepted` were stored, `overflow` counts
   * good files not stored because the draft had no room left, and `text` is the caption.
   */
  | { type: 'MEDIA'; accepted: EvidenceRef[]; rejected: MediaRejection[]; overflow: number; text: string }
  | { type: 'EMPTY' }
  | { type: 'TOO_LONG' }
  | { type: 'MENU' }
  | { type: 'BACK' }
  | { type: 'CANCEL' }
  | { type: 'HELP' }
  | { type: 'GREETING' }
  | { type: 'NUMBER'; value: number }
  | { type: 'TEXT'; text: string; intent: Intent }
);

const commandEvents: Record<string, 'MENU' | 'BACK' | 'CANCEL' | 'HELP'> = {
  menu: 'MENU',
  '0': 'BACK',
  batal: 'CANCEL',
  bantuan: 'HELP',
};

/**
 * Reads one message into an event. Global commands (`menu`, `0`, `batal`, `bantuan`) and
 * greetings count only when they are the whole message, ignoring case and surrounding
 * punctuation; anything else is a number or free text with the intent the matcher found.
 */
export function toConversationEvent(
  text: string,
  at: Date,
  deps: { match: (text: string) => Intent; greetings: ReadonlySet<string>; senderName?: string },
): ConversationEvent {
  const base = { at: at.toISOString(), ...(deps.senderName ? { senderName: deps.senderName } : {}) };
  if (text.length > maxMessageLength) return { ...base, type: 'TOO_LONG' };

  const word = toCommandWord(text);
  if (word === '') {
    // Only whitespace, control characters or punctuation. Emoji are symbols, so a message of
    // emoji alone is not empty: it reaches the matcher and gets the "not understood" help.
    if (normalizeText(text) === '') return { ...base, type: 'EMPTY' };
  }

  const command = commandEvents[word];
  if (command) return { ...base, type: command };
  if (deps.greetings.has(word)) return { ...base, type: 'GREETING' };

  const number = parseMenuNumber(text);
  if (number !== undefined) return { ...base, type: 'NUMBER', value: number };

  return { ...base, type: 'TEXT', text, intent: deps.match(text) };
}
