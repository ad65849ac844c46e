import type { Telegram } from 'telegraf';
import type { Reply } from '../../conversation/reply.js';
import type { Logger } from '../../log/logger.js';
import type { SendOutcome } from '../../outbox/outbox-sender.js';
import { callWithRetry, classifyApiError, errorLogFields, type RetryNotice, type RetryPolicy } from './api-retry.js';
import { htmlToPlainText } from './html.js';
import { renderReply, type TelegramMessage } from './render-reply.js';

/** Outcome of sending replies to one chat. */
export type DeliveryResult = 'sent' | 'unreachable' | 'failed';

export interface ReplySenderOptions {
  telegram: Pick<Telegram, 'sendMessage'>;
  logger: Logger;
  retry: RetryPolicy;
  /** Aborted when the channel stops; ends any wait between attempts. */
  signal: AbortSignal;
}

/**
 * Sends rendered replies to a chat and handles the Bot API's errors, so that no send throws.
 * A 403 marks the chat unreachable. A 429 waits `retry_after` (capped) and retries. 5xx and
 * network errors are retried with capped backoff. A 400 on the HTML resends the message as
 * plain text. Callers order sends per chat, and this class sends one message at a time.
 */
export class ReplySender {
  // TODO: persist unreachable chats with the outbox, so that they survive a restart. Until then
  // the set starts empty and is rebuilt from 403 errors and my_chat_member updates.
  private readonly unreachable = new Set<string>();

  constructor(private readonly options: ReplySenderOptions) {}

  /** Returns whether the citizen blocked the bot, as last seen by a send or a membership update. */
  isUnreachable(chatId: string): boolean {
    return this.unreachable.has(chatId);
  }

  /** Records whether the bot may write to a chat, after a membership update or a message from it. */
  setReachable(chatId: string, reachable: boolean): void {
    if (reachable) this.unreachable.delete(chatId);
    else this.unreachable.add(chatId);
  }

  /**
   * Sends the replies in order, each as one or more messages. Stops at the first message the
   * chat cannot receive; a message that fails otherwise is logged and skipped. Never throws.
   */
  async send(chatId: string, replies: readonly Reply[], policy: Partial<RetryPolicy> = {}): Promise<DeliveryResult> {
    if (this.unreachable.has(chatId)) return 'unreachable';
    const retry = { ...this.options.retry, ...policy };
    let result: DeliveryResult = 'sent';
    for (const reply of replies) {
      for (const message of renderReply(reply)) {
        const sent = await this.sendMessage(chatId, message, retry);
        if (sent === 'unreachable') return sent;
        if (sent === 'failed') result = 'failed';
      }
    }
    return result;
  }

  /**
   * Sends one outbox message once, without waiting and retrying here: the outbox dispatcher
   * decides about retries from the outcome. A 403 marks the chat unreachable; a 400 on the
   * HTML is resent once as plain text. Never throws.
   */
  async sendOnce(chatId: string, text: string): Promise<SendOutcome> {
    if (this.unreachable.has(chatId)) return { status: 'unreachable', error: 'the chat blocked the bot or no longer exists' };
    for (const message of renderReply({ text })) {
      const outcome = await this.sendOnceWithFallback(chatId, message);
      if (outcome.status !== 'sent') return outcome;
    }
    return { status: 'sent' };
  }

  private async sendOnceWithFallback(chatId: string, message: TelegramMessage): Promise<SendOutcome> {
    const options = { link_preview_options: { is_disabled: true } };
    try {
      await this.options.telegram.sendMessage(chatId, message.html, { parse_mode: 'HTML', ...options });
      return { status: 'sent' };
    } catch (error) {
      if (classifyApiError(error).kind !== 'bad-entities') return this.toOutcome(chatId, error);
      this.options.logger.warn({ userKey: userKeyOf(chatId), ...errorLogFields(error) }, 'telegram rejected the HTML of a message; resending it as plain text');
    }
    try {
      await this.options.telegram.sendMessage(chatId, htmlToPlainText(message.html), options);
      return { status: 'sent' };
    } catch (error) {
      return this.toOutcome(chatId, error);
    }
  }

  /** Classifies a failed send for the outbox dispatcher. */
  private toOutcome(chatId: string, error: unknown): SendOutcome {
    const failure = classifyApiError(error);
    const description = errorLogFields(error).error.message;
    switch (failure.kind) {
      case 'unreachable':
        this.unreachable.add(chatId);
        return { status: 'unreachable', error: description };
      case 'rate-limited':
        return { status: 'retry', error: description, retryAfterMs: failure.retryAfterMs };
      case 'transient':
        return { status: 'retry', error: description };
      default:
        return { status: 'failed', error: description };
    }
  }

  private async sendMessage(chatId: string, message: TelegramMessage, retry: RetryPolicy): Promise<DeliveryResult> {
    const markup = message.keyboard ? { reply_markup: message.keyboard } : {};
    try {
      await this.withRetry(chatId, retry, () =>
        this.options.telegram.sendMessage(chatId, message.html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup }),
      );
      return 'sent';
    } catch (error) {
      if (classifyApiError(error).kind !== 'bad-entities') return this.handleFailure(chatId, error);
      this.options.logger.warn({ userKey: userKeyOf(chatId), ...errorLogFields(error) }, 'telegram rejected the HTML of a reply; resending it as plain text');
    }

    try {
      await this.withRetry(chatId, retry, () =>
        this.options.telegram.sendMessage(chatId, htmlToPlainText(message.html), { link_preview_options: { is_disabled: true }, ...markup }),
      );
      return 'sent';
    } catch (error) {
      return this.handleFailure(chatId, error);
    }
  }

  private withRetry<T>(chatId: string, retry: RetryPolicy, call: () => Promise<T>): Promise<T> {
    return callWithRetry(call, retry, { signal: this.options.signal, onRetry: (notice) => this.logRetry(chatId, notice, retry) });
  }

  private handleFailure(chatId: string, error: unknown): DeliveryResult {
    const userKey = userKeyOf(chatId);
    if (classifyApiError(error).kind === 'unreachable') {
      this.unreachable.add(chatId);
      this.options.logger.warn({ userKey, ...errorLogFields(error) }, 'telegram chat is unreachable (bot blocked or chat gone); reply dropped');
      return 'unreachable';
    }
    if (this.options.signal.aborted) {
      this.options.logger.warn({ userKey }, 'telegram reply abandoned because the channel is stopping');
      return 'failed';
    }
    this.options.logger.error({ userKey, ...errorLogFields(error) }, 'telegram reply could not be sent; it is dropped');
    return 'failed';
  }

  private logRetry(chatId: string, notice: RetryNotice, retry: RetryPolicy): void {
    const fields = { userKey: userKeyOf(chatId), attempt: notice.attempt, retryInMs: notice.delayMs, ...errorLogFields(notice.error) };
    if (notice.failure.kind === 'rate-limited' && notice.failure.retryAfterMs > retry.maxRetryAfterMs) {
      this.options.logger.warn(
        { ...fields, retryAfterMs: notice.failure.retryAfterMs },
        'telegram asked to wait longer than the maximum; retrying after the maximum instead',
      );
      return;
    }
    this.options.logger.warn(fields, notice.failure.kind === 'rate-limited' ? 'telegram rate limit hit; retrying reply' : 'telegram reply failed; retrying');
  }
}

/** Returns the pipeline's user key of a chat; chat ids are logged only in this field, which the logger masks. */
export function userKeyOf(chatId: string): string {
  return `telegram:${chatId}`;
}
