import { TelegramError } from 'telegraf';
import type { Logger } from '../../log/logger.js';
import { errorLogFields } from './api-retry.js';

/** Cause of an alert: a rejected token, another receiver of the token's updates, or another failure of polling or the webhook. */
export type TelegramAlertKind = 'token-rejected' | 'updates-conflict' | 'polling-failed' | 'webhook-failed';

/** A failure of the channel that an administrator should act on. */
export interface TelegramAlert {
  channel: 'telegram';
  kind: TelegramAlertKind;
  /** English description: the error, masked as in the logs, what to check when the error code names the cause, and the next retry. */
  message: string;
}

export interface ChannelAlertsOptions {
  /** Receives the alerts; alerting is off when it is absent. */
  onAlert: ((alert: TelegramAlert) => void | Promise<void>) | undefined;
  clock: () => Date;
  /** Shortest interval between two alerts of one kind, in milliseconds; repeats in between are counted. */
  intervalMs: number;
  /** The bot token, removed from a message that quotes it, because alerts reach people who must not see it. */
  token: string;
  logger: Logger;
}

/** Raises an alert per kind at most once per interval; the next alert of the kind counts the failures left out. */
export class ChannelAlerts {
  private readonly lastRaisedAt = new Map<TelegramAlertKind, number>();
  private readonly leftOut = new Map<TelegramAlertKind, number>();

  constructor(private readonly options: ChannelAlertsOptions) {}

  /** Raises an alert about a failure that took the channel down, unless one of its kind was raised within the interval. */
  channelDown(error: unknown, mode: 'polling' | 'webhook', retryInMs: number): void {
    const { onAlert, clock, intervalMs, logger } = this.options;
    if (!onAlert) return;
    const kind = alertKindOf(error, mode);
    const now = clock().getTime();
    const last = this.lastRaisedAt.get(kind);
    if (last !== undefined && now - last < intervalMs) {
      this.leftOut.set(kind, (this.leftOut.get(kind) ?? 0) + 1);
      return;
    }

    const repeats = this.leftOut.get(kind) ?? 0;
    this.lastRaisedAt.set(kind, now);
    this.leftOut.delete(kind);
    const hint = hintFor(error);
    const message = [
      `Telegram ${mode} failed: ${errorLogFields(error).error.message}.`,
      ...(hint ? [`${hint}.`] : []),
      `Retrying in ${Math.ceil(retryInMs / 1000)} s.`,
      ...(repeats > 0 ? [`${repeats} more failures of this kind since the last alert.`] : []),
    ]
      .join(' ')
      .replaceAll(this.options.token.slice(this.options.token.indexOf(':') + 1), '[redacted]');
    Promise.resolve()
      .then(() => onAlert({ channel: 'telegram', kind, message }))
      .catch((alertError: unknown) => logger.error({ kind, ...errorLogFields(alertError) }, 'telegram alert could not be raised'));
  }
}

/** Returns what the operator should check after a Bot API failure, when the error code identifies the cause. */
export function hintFor(error: unknown): string | undefined {
  if (!(error instanceof TelegramError)) return undefined;
  if (error.code === 401 || error.code === 404) return 'TELEGRAM_BOT_TOKEN is invalid or was revoked; set a token from @BotFather';
  if (error.code === 409) return 'another process is receiving updates for this bot token (a second instance polling, or a webhook); stop it';
  return undefined;
}

function alertKindOf(error: unknown, mode: 'polling' | 'webhook'): TelegramAlertKind {
  if (error instanceof TelegramError && (error.code === 401 || error.code === 404)) return 'token-rejected';
  if (error instanceof TelegramError && error.code === 409) return 'updates-conflict';
  return mode === 'polling' ? 'polling-failed' : 'webhook-failed';
}
