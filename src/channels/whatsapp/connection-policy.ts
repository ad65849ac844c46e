import { DisconnectReason } from '@whiskeysockets/baileys';

/** Action of the channel after the socket closed. */
export type DisconnectAction =
  /** 515 after pairing: a new socket at once; not a failure. */
  | { kind: 'reconnect-now' }
  /** A network or server problem: a new socket after a backoff wait. */
  | { kind: 'reconnect-later' }
  /** 401: the device was unlinked on the phone; its keys are wiped and an admin must pair again. */
  | { kind: 'logged-out' }
  /** No reconnect until an admin acts, because reconnecting cannot help or makes it worse. */
  | { kind: 'stop'; reason: StopReason };

export type StopReason = 'forbidden' | 'multidevice-mismatch' | 'connection-replaced' | 'pairing-expired';

/** Explanations of the stop reasons, for logs, alerts and the admin page. */
export const stopReasonMessages: Record<StopReason, string> = {
  forbidden: 'WhatsApp refused the account (403); it may be banned or restricted. Check the office phone, then restart the channel from /whatsapp.',
  'multidevice-mismatch': 'WhatsApp reported a multi-device mismatch (411). Pair the number again from /whatsapp.',
  'connection-replaced':
    'Another client opened this WhatsApp session (440), such as a second bot instance with the same data. Stop the other one, then restart the channel from /whatsapp.',
  'pairing-expired': 'The QR codes expired before the phone scanned one. Start pairing again from /whatsapp.',
};

/** State of the channel when the socket closed. */
export interface DisconnectContext {
  /** HTTP-like status of the error Baileys closed with (`output.statusCode` of its Boom), if any. */
  statusCode: number | undefined;
  /** Whether this socket showed a QR code, which means it was pairing. */
  showedQr: boolean;
  /** Whether the creds belong to a paired device. */
  registered: boolean;
}

/**
 * Decides what to do after a close, by Baileys 7's DisconnectReason: 515 reconnects at once;
 * 401 wipes the session; 403, 411 and 440 stop; 408 while pairing means the QR codes ran out
 * and stops. Everything else (408, 428, 500, 503, network errors without a status) reconnects
 * with backoff. 500 is also Baileys' code for unknown stream errors, so it never wipes creds.
 */
export function decideOnDisconnect(context: DisconnectContext): DisconnectAction {
  switch (context.statusCode) {
    case DisconnectReason.restartRequired:
      return { kind: 'reconnect-now' };
    case DisconnectReason.loggedOut:
      return { kind: 'logged-out' };
    case DisconnectReason.forbidden:
      return { kind: 'stop', reason: 'forbidden' };
    case DisconnectReason.multideviceMismatch:
      return { kind: 'stop', reason: 'multidevice-mismatch' };
    case DisconnectReason.connectionReplaced:
      return { kind: 'stop', reason: 'connection-replaced' };
    case DisconnectReason.timedOut:
      // Without network the socket also closes with 408, but it never got to show a QR code.
      return context.showedQr && !context.registered ? { kind: 'stop', reason: 'pairing-expired' } : { kind: 'reconnect-later' };
    default:
      return { kind: 'reconnect-later' };
  }
}

/** Error texts of a host that cannot reach WhatsApp at all: no DNS, no route, refused or timed out. */
const networkErrorPattern = /ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNREFUSED|ETIMEDOUT/;

/** Returns a hint for the operator when a close error means that the host cannot reach WhatsApp at all. */
export function networkHintFor(message: string): string | undefined {
  return networkErrorPattern.test(message) ? "WhatsApp's servers cannot be reached from this host; check its network. Other channels keep working." : undefined;
}

/** Returns the status code of a Baileys close error: a Boom's `output.statusCode`. */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Waits between reconnects, in milliseconds. */
export interface ReconnectBackoffSettings {
  /** First wait; doubles after each failed attempt up to `maxMs`. */
  firstMs: number;
  maxMs: number;
  /** A connection open at least this long counts as healthy, so the next failure waits `firstMs` again. */
  stableMs: number;
}

/**
 * Capped exponential backoff with jitter: each wait is drawn between half and all of the
 * current step, so instances that lost the network together do not reconnect in step.
 */
export class ReconnectBackoff {
  private step: number;
  private openedAt: number | undefined;
  private attempts = 0;

  constructor(
    private readonly settings: ReconnectBackoffSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.step = settings.firstMs;
  }

  /** Number of waits handed out since the last healthy connection. */
  get attempt(): number {
    return this.attempts;
  }

  /** Records that the connection opened at `now` (epoch milliseconds). */
  markOpen(now: number): void {
    this.openedAt = now;
  }

  /** Returns the wait before the next attempt, after a close at `now`. */
  nextDelay(now: number): number {
    if (this.openedAt !== undefined && now - this.openedAt >= this.settings.stableMs) this.reset();
    this.openedAt = undefined;
    const step = this.step;
    this.step = Math.min(this.step * 2, this.settings.maxMs);
    this.attempts++;
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  /** Starts again from the first wait. */
  reset(): void {
    this.step = this.settings.firstMs;
    this.attempts = 0;
  }
}
