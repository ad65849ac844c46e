import { renderPlainText } from '../conversation/plain-text.js';
import type { Reply } from '../conversation/reply.js';
import type { OutboundMessage } from '../store/store.js';
import type { InboundMessage } from './inbound-message.js';

/**
 * Turns the replies of a held message into outbox messages for its sender, as plain text
 * with the options numbered, because they are delivered later and not as a direct reply.
 */
export function toOutboundMessages(message: InboundMessage, replies: Reply[], createdAt: Date): Array<Omit<OutboundMessage, 'id'>> {
  return replies.map((reply) => ({ channel: message.channel, userId: message.userId, text: renderPlainText(reply), createdAt }));
}
