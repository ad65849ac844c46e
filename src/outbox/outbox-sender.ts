/**
 * What a channel offers the outbox dispatcher: one attempt at sending one message, with the
 * outcome classified so that the dispatcher decides about retries. A sender never throws.
 */
export interface OutboxSender {
  /** Channel name, as in OutboundMessage.channel: `telegram`, `whatsapp`. */
  readonly channel: string;
  /** Sends one message once. */
  send(userId: string, text: string): Promise<SendOutcome>;
}

/** The outcome of one attempt. `error` is a short English description for logs and officers. */
export type SendOutcome =
  | { status: 'sent' }
  /** The recipient cannot receive messages on this channel (blocked the bot, no account): no retry. */
  | { status: 'unreachable'; error: string }
  /** The platform asked to wait (rate limit) or failed in a way a later attempt may not meet. */
  | { status: 'retry'; error: string; retryAfterMs?: number }
  /** Repeating the same send cannot succeed. */
  | { status: 'failed'; error: string };
