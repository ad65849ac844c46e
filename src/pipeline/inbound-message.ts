/** One citizen message, as every channel adapter hands it to the pipeline. */
export interface InboundMessage {
  /** Channel name: `web`, `whatsapp` or `telegram`. */
  channel: string;
  /** The sender's stable id on that channel (simulator user, phone number or LID, Telegram chat id). */
  userId: string;
  /** The platform's message id; a repeated id is a redelivery and is ignored. */
  messageId: string;
  /** The message text, or the caption of a media message (may be empty). */
  text: string;
  receivedAt: Date;
  /** The sender's display name when the channel gives one (WhatsApp push name, Telegram first name). */
  senderName?: string;
  /** Files attached to the message, already downloaded by the channel. */
  media?: InboundMedia[];
  /**
   * Set for a message written in an officers' group chat: only an officer command is
   * answered, and anything else is ignored instead of starting a citizen conversation.
   */
  officersOnly?: boolean;
}

/** One file attached to an inbound message; its type is checked from the bytes, not from these claims. */
export interface InboundMedia {
  bytes: Buffer;
  /** MIME type the platform or the sender claims. */
  declaredMimeType?: string;
  fileName?: string;
}

/** Returns the key under which a user's conversation is stored: `<channel>:<user id>`. */
export function toUserKey(message: Pick<InboundMessage, 'channel' | 'userId'>): string {
  return `${message.channel}:${message.userId}`;
}
