import type { Reply } from './reply.js';

/**
 * Renders a reply as one plain text, options as numbered lines after the text and the footer
 * last, for messages that are delivered later through the outbox rather than as a direct reply.
 */
export function renderPlainText(reply: Reply): string {
  const parts = [reply.text];
  if (reply.options && reply.options.length > 0) {
    parts.push(reply.options.map((option) => `${option.key}. ${option.label}`).join('\n'));
  }
  if (reply.footer) parts.push(reply.footer);
  return parts.join('\n\n');
}
