import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError } from 'telegraf';

/** Meaning of a failed Bot API call for the caller. */
export type ApiFailure =
  /** 403 (the citizen blocked the bot or the account is gone) or 400 "chat not found". */
  | { kind: 'unreachable' }
  /** 429: Telegram requests a wait of `retryAfterMs` before the next call. */
  | { kind: 'rate-limited'; retryAfterMs: number }
  /** 400 "can't parse entities": the HTML was rejected. */
  | { kind: 'bad-entities' }
  /** 5xx, a network failure or a timeout, which a later attempt may not meet. */
  | { kind: 'transient' }
  /** Any other error, which repeating the same call cannot fix. */
  | { kind: 'permanent' };

/** Telegram's wait when a 429 carries no `retry_after`, in seconds. */
const defaultRetryAfterSeconds = 5;

/** Classifies an error thrown by a telegraf call or by a file download. */
export function classifyApiError(error: unknown): ApiFailure {
  if (error instanceof TelegramError) {
    const description = error.description ?? '';
    if (error.code === 403) return { kind: 'unreachable' };
    if (error.code === 400 && /chat not found/i.test(description)) return { kind: 'unreachable' };
    if (error.code === 400 && /can't parse entities|can't find end of the entity|unsupported start tag/i.test(description)) {
      return { kind: 'bad-entities' };
    }
    if (error.code === 429) {
      return { kind: 'rate-limited', retryAfterMs: (error.parameters?.retry_after ?? defaultRetryAfterSeconds) * 1000 };
    }
    if (error.code >= 500) return { kind: 'transient' };
    return { kind: 'permanent' };
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  // FetchError comes from node-fetch inside telegraf; TypeError "fetch failed", AbortError and
  // TimeoutError come from the global fetch that downloads files.
  if (name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError') return { kind: 'transient' };
  if (error instanceof TypeError && error.message === 'fetch failed') return { kind: 'transient' };
  if ((error as { transient?: unknown } | undefined)?.transient === true) return { kind: 'transient' };
  return { kind: 'permanent' };
}

/** Settings of `callWithRetry`. */
export interface RetryPolicy {
  /** Maximum number of calls, the first included. */
  attempts: number;
  /** Wait before the second call after a transient failure, in milliseconds; doubles up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Maximum wait honoured for a 429's `retry_after`, in milliseconds; a longer wait is cut to this. */
  maxRetryAfterMs: number;
}

/** Details of one retry, for the caller's log. */
export interface RetryNotice {
  failure: Extract<ApiFailure, { kind: 'rate-limited' | 'transient' }>;
  error: unknown;
  attempt: number;
  delayMs: number;
}

/**
 * Calls `call` until it succeeds, retrying after a 429 (waiting `retry_after`, capped) and
 * after transient failures (waiting with capped exponential backoff), at most
 * `policy.attempts` calls in all. Other failures, and the last one, are thrown. An abort of
 * `signal` ends a wait with an AbortError.
 */
export async function callWithRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; onRetry?: (notice: RetryNotice) => void } = {},
): Promise<T> {
  let backoffMs = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = classifyApiError(error);
      if (attempt >= policy.attempts || (failure.kind !== 'rate-limited' && failure.kind !== 'transient')) throw error;

      let delayMs: number;
      if (failure.kind === 'rate-limited') {
        delayMs = Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
      } else {
        delayMs = backoffMs;
        backoffMs = Math.min(backoffMs * 2, policy.maxDelayMs);
      }
      options.onRetry?.({ failure, error, attempt, delayMs });
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : undefined);
    }
  }
}

/**
 * Returns log fields for an API error without its request: a TelegramError carries the
 * request payload (message text, chat id), which must not reach the logs. Numbers of seven
 * digits or more (chat ids, phone numbers) are masked in the message as well, in case an
 * error description quotes one. Messages of telegraf's network errors already have the token
 * removed from their URL. The key is `error`, not `err`, so that pino's error serializer does
 * not add the object's own fields back.
 */
export function errorLogFields(error: unknown): { error: { type: string; message: string; code?: number } } {
  if (error instanceof TelegramError) return { error: { type: 'TelegramError', message: maskLongNumbers(error.message), code: error.code } };
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { error: { type: error.name, message: maskLongNumbers(`${error.message}${cause}`) } };
  }
  return { error: { type: typeof error, message: maskLongNumbers(String(error)) } };
}

function maskLongNumbers(text: string): string {
  return text.replace(/\d{7,}/g, '[number]');
}
