/** One citizen message, as every channel adapter hands it to the pipeline. */
export interface InboundMessage {
  /** Channel name: `web`, `whatsapp` or `telegram`. */
  channel: string;
  /** The sender's stable id on that channel (simulator user, phone number or LID, Telegram chat id). */
  userId: string;
  /** The platform's message id; a repeated id is a redelivery and is ignored. */
  messageId: string;
  text: string;
  receivedAt: Date;
}

/** Returns the key under which a user's conversation is stored: `<channel>:<user id>`. */
export function toUserKey(message: Pick<InboundMessage, 'channel' | 'userId'>): string {
  return `${message.channel}:${message.userId}`;
}
