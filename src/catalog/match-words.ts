import { normalizeText } from '../text/normalize.js';

/**
 * Turning a message or a lexicon phrase into the words the matcher compares.
 */

/**
 * Maximum number of characters of a message that the matcher reads. A first message with one
 * question fits well within it, and the limit bounds the work when someone pastes a long text.
 */
export const maxReadCharacters = 300;

/**
 * Raw characters taken before normalising. Runs of spaces and control characters shrink
 * under normalisation, so more than maxReadCharacters is taken, but never the whole of a
 * very long message.
 */
const maxRawCharacters = maxReadCharacters * 4;

const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Older spellings, still common in the decree and in messages, and chat abbreviations,
 * mapped to the standard word.
 */
const spellingVariants: ReadonlyMap<string, string> = new Map([
  ['ijin', 'izin'],
  ['perijinan', 'perizinan'],
  ['ato', 'atau'],
  ['brp', 'berapa'],
  ['brapa', 'berapa'],
  ['gmn', 'gimana'],
  ['gmana', 'gimana'],
  ['bgmn', 'bagaimana'],
  ['dmn', 'dimana'],
  ['yg', 'yang'],
  ['sy', 'saya'],
  ['dgn', 'dengan'],
  ['utk', 'untuk'],
  ['tdk', 'tidak'],
  ['gk', 'gak'],
  ['sdh', 'sudah'],
  ['blm', 'belum'],
  ['bpk', 'bapak'],
  ['jg', 'juga'],
  ['tlp', 'telepon'],
]);

/** A word written twice as "kata2", the chat form of "kata-kata". */
const repeatedWordPattern = /^(\p{L}{2,})2$/u;

/** Returns the start of a message, normalised with normalizeText and cut to maxReadCharacters. */
export function readMessageStart(text: string): string {
  return normalizeText(text.slice(0, maxRawCharacters)).slice(0, maxReadCharacters);
}

/**
 * Splits normalised text into words of letters and digits, dropping punctuation, symbols
 * and emoji, with each word in its standard spelling (see toStandardSpelling).
 */
export function splitWords(normalized: string): string[] {
  const words = normalized.match(wordPattern) ?? [];
  return words.map(toStandardSpelling);
}

/**
 * Returns the standard spelling of a lower-case word ("ijin" becomes "izin", "brp" becomes
 * "berapa", "syarat2" becomes "syarat"), or the word itself.
 */
export function toStandardSpelling(word: string): string {
  const single = repeatedWordPattern.exec(word)?.[1] ?? word;
  return spellingVariants.get(single) ?? single;
}

/** Splits a lexicon phrase or service keyword into words, the same way as a message. */
export function splitPhrase(phrase: string): string[] {
  return splitWords(normalizeText(phrase));
}
