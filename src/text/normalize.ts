/**
 * Text normalisation shared by the command parser and the service matcher.
 *
 * NFKC folds fullwidth digits and letters (`１` becomes `1`) and compatibility forms.
 * Format characters (zero-width space, joiners, direction marks) are removed, so "ba\u200btal"
 * reads as "batal". Control characters (tabs, line breaks, escapes) become spaces, so two
 * words split by a line break stay two words.
 */

const formatCharacters = /\p{Cf}/gu;
const controlCharacters = /\p{Cc}/gu;
const edgePunctuation = /^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu;

/** Returns the text folded with NFKC, without control characters, lower-cased, with single spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(formatCharacters, '')
    .replace(controlCharacters, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Returns the normalised text without punctuation and symbols at either end, for reading
 * short commands: "Menu!", " *0* " and "BATAL." become "menu", "0" and "batal".
 */
export function toCommandWord(text: string): string {
  return normalizeText(text).replace(edgePunctuation, '');
}

/**
 * Tells whether the text has a character a reader can see: a letter, digit, punctuation mark
 * or symbol. Format and control characters (zero-width space, word joiner, NUL) and
 * whitespace do not count, so a message of only those reads as empty.
 */
export function hasVisibleCharacter(text: string): boolean {
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(text.replace(formatCharacters, '').replace(controlCharacters, ''));
}

/** Reads a whole message as a menu number ("1", " 12 ", "１", "1 2" is not a number). */
export function parseMenuNumber(text: string): number | undefined {
  const word = toCommandWord(text);
  if (!/^\d{1,3}$/.test(word)) return undefined;
  return Number(word);
}
