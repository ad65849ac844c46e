/** One choice offered with a reply; `key` is what the citizen types (or the button sends). */
export interface ReplyOption {
  key: string;
  label: string;
}

/**
 * A message from the bot, independent of any channel. Each channel renders it natively:
 * numbered lines on WhatsApp, keyboards on Telegram, buttons in the web chat.
 */
export interface Reply {
  text: string;
  options?: ReplyOption[];
  /** A short hint shown after the options, such as how to go back. */
  footer?: string;
}
