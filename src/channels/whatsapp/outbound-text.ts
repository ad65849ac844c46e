import { renderPlainText } from '../../conversation/plain-text.js';
import type { Reply } from '../../conversation/reply.js';

/**
 * Longest text sent as one WhatsApp message, in UTF-16 code units. WhatsApp does not document
 * its own limit (it is commonly given as 65,536 characters), which is far above this. A chunk
 * of this size fits on a few phone screens, so a long service description arrives in
 * readable parts.
 */
export const maxMessageLength = 4000;

const graphemes = new Intl.Segmenter('id', { granularity: 'grapheme' });

/**
 * Renders a reply as WhatsApp texts: the text, the options as numbered lines and the footer.
 * The texts' `*bold*` marks are WhatsApp's own bold markup, so they stay as they are.
 */
export function renderReply(reply: Reply, limit = maxMessageLength): string[] {
  const text = renderPlainText(reply).trim();
  return text === '' ? [] : splitText(text, limit);
}

/**
 * Splits a text into chunks of at most `limit` characters. It cuts after the last line break
 * in the second half of a chunk, else after the last space there, else between two
 * graphemes, so no emoji or accented letter is cut in two.
 */
export function splitText(text: string, limit = maxMessageLength): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk !== '') chunks.push(chunk);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest !== '') chunks.push(rest);
  return chunks;
}

function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const half = Math.floor(limit / 2);
  const newline = window.lastIndexOf('\n');
  if (newline >= half) return newline + 1;
  const space = window.lastIndexOf(' ');
  if (space >= half) return space + 1;

  let end = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, limit + 8))) {
    if (index + segment.length > limit) break;
    end = index + segment.length;
  }
  // A single grapheme longer than the limit goes alone into a chunk.
  return end > 0 ? end : [...graphemes.segment(text)][0]!.segment.length;
}
