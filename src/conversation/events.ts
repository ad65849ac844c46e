import type { Intent } from '../catalog/matcher.js';
import { normalizeText, parseMenuNumber, toCommandWord } from '../text/normalize.js';

/** Longest message the conversation reads, in characters; longer messages get a polite limit notice. */
export const maxMessageLength = 4000;

/**
 * What a citizen's message means to the conversation, decided before the machine sees it.
 * Every event carries `at`, the time the message was received (ISO 8601), because the
 * machine never reads the clock.
 */
export type ConversationEvent = { at: string } & (
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
  deps: { match: (text: string) => Intent; greetings: ReadonlySet<string> },
): ConversationEvent {
  const base = { at: at.toISOString() };
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
