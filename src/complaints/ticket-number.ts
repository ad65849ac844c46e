import { normalizeText } from '../text/normalize.js';

/**
 * Complaint ticket numbers have the form ADU-YYYY-NNNNN (year, then a five-digit sequence
 * number), such as ADU-2026-00007. Citizens retype them loosely: "adu 2026 7",
 * "ADU 2026 42", "adu-2026-0042", with other dashes or with fullwidth digits.
 */
const separators = String.raw`[\s\p{Pd}_./#:]*`;
const ticketSource = String.raw`adu${separators}(20\d{2})${separators}(\d{1,5})`;
const ticketPattern = new RegExp(String.raw`(?<![\p{L}\p{N}])${ticketSource}(?!\p{N})`, 'u');
const wholeTicketPattern = new RegExp(`^${ticketSource}$`, 'u');

/**
 * Finds the first complaint ticket number in a message and returns it as ADU-YYYY-NNNNN, or
 * undefined when there is none. A sequence number of 0 or of more than five digits is not a
 * ticket.
 */
export function parseTicketNumber(text: string): string | undefined {
  return toTicketNumber(ticketPattern.exec(normalizeText(text)));
}

/**
 * Reads the whole text as one ticket number, in the same loose forms as parseTicketNumber,
 * and returns it as ADU-YYYY-NNNNN. Returns undefined when the text has anything else in it,
 * such as "ADU-2026-00001abc".
 */
export function parseWholeTicketNumber(text: string): string | undefined {
  return toTicketNumber(wholeTicketPattern.exec(normalizeText(text)));
}

function toTicketNumber(match: RegExpExecArray | null): string | undefined {
  const year = match?.[1];
  const sequence = match?.[2];
  if (!year || !sequence || Number(sequence) === 0) return undefined;
  return formatTicketNumber(Number(year), Number(sequence));
}

/** Formats a ticket number as ADU-YYYY-NNNNN, padding the sequence number to five digits. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `ADU-${year}-${String(sequence).padStart(5, '0')}`;
}
