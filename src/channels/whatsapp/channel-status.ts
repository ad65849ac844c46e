import type { Logger } from '../../log/logger.js';
import type { WhatsAppAlert, WhatsAppChannelState, WhatsAppChannelStatus } from './channel-options.js';

/** A problem that stops the channel or makes it wait for an admin. */
export interface ChannelProblem {
  kind: string;
  message: string;
}

/**
 * The channel's visible state (for `/whatsapp` and `status()`), its alerts, and how long the
 * connection has been down, so that an outage alerts the admin once and not on every retry.
 */
export class ChannelStatusBoard {
  private state: WhatsAppChannelState = 'stopped';
  private details: Omit<WhatsAppChannelStatus, 'state' | 'lastError'> = {};
  private lastError: WhatsAppChannelStatus['lastError'];
  private downSince: number | undefined;
  private alertedDown = false;

  constructor(
    private readonly logger: Logger,
    private readonly onAlert: ((alert: WhatsAppAlert) => void) | undefined,
  ) {}

  get current(): WhatsAppChannelState {
    return this.state;
  }

  snapshot(): WhatsAppChannelStatus {
    return { state: this.state, ...this.details, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  /** Moves to `state`; with a problem, the status shows it until the next change of details. */
  set(state: WhatsAppChannelState, problem?: ChannelProblem): void {
    this.state = state;
    if (problem) this.details = { reason: problem.message, reasonKind: problem.kind };
  }

  /** Replaces what the status shows beside the state (a QR code, the account, the next retry). */
  show(details: Omit<WhatsAppChannelStatus, 'state' | 'lastError'>): void {
    this.details = details;
  }

  /** Records why the connection closed. */
  recordClose(message: string, statusCode: number | undefined, at: Date): void {
    this.lastError = { message, ...(statusCode === undefined ? {} : { statusCode }), at };
  }

  /** Moves to `state` with the problem shown, and alerts. */
  fail(state: WhatsAppChannelState, problem: ChannelProblem, level: 'error' | 'warn' = 'error'): void {
    this.set(state, problem);
    this.alert(problem.kind, problem.message, level);
  }

  /** Records a failed connection at `now`; alerts once when it has been down for `alertAfterMs`. */
  markDown(now: number, message: string, alertAfterMs: number): void {
    this.downSince ??= now;
    if (this.alertedDown || now - this.downSince < alertAfterMs) return;
    this.alertedDown = true;
    const minutes = Math.round((now - this.downSince) / 60_000);
    this.alert('down', `WhatsApp has been disconnected for ${minutes} minutes (last error: ${message}); still retrying.`, 'error');
  }

  /** Records that the connection is open again. */
  markUp(): void {
    if (this.alertedDown) this.logger.warn('whatsapp connection restored');
    this.downSince = undefined;
    this.alertedDown = false;
  }

  /** Logs an alert loudly and passes it to the alert handler, whose failure is logged and not thrown. */
  alert(kind: string, message: string, level: 'error' | 'warn'): void {
    this.logger[level]({ alert: kind }, `whatsapp alert: ${message}`);
    try {
      this.onAlert?.({ channel: 'whatsapp', kind, message });
    } catch (error) {
      this.logger.error({ alert: kind, err: error }, 'whatsapp alert handler failed');
    }
  }
}
