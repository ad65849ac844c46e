import { normalizeText } from '../text/normalize.js';

/**
 * Complaint ticket numbers have the form ADU-YYYY-NNNNN (year, then a five-digit sequence
 * number), such as ADU-2026-00007. Citizens retype them loosely: "adu 2026 7",
 * "ADU 2026 42", "adu-2026-0042", with other dashes or with fullwidth digits.
 */
const separators = String.raw`[\s\p{Pd}_./#:]*`;
const ticketPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}])adu${separators}(20\d{2})${separators}(\d{1,5})(?!\p{N})`,
  'u',
);

/**
 * Finds the first complaint ticket number in a message and returns it as ADU-YYYY-NNNNN, or
 * undefined when there is none. A sequence number of 0 or of more than five digits is not a
 * ticket.
 */
export function parseTicketNumber(text: string): string | undefined {
  const match = ticketPattern.exec(normalizeText(text));
  const year = match?.[1];
  const sequence = match?.[2];
  if (!year || !sequence || Number(sequence) === 0) return undefined;
  return formatTicketNumber(Number(year), Number(sequence));
}

/** Formats a ticket number as ADU-YYYY-NNNNN, padding the sequence number to five digits. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `ADU-${year}-${String(sequence).padStart(5, '0')}`;
}
