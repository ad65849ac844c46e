import type { Catalog } from '../../catalog/load.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import type { OutboxSender } from '../../outbox/outbox-sender.js';
import type { InboundPipeline } from '../../pipeline/inbound-pipeline.js';
import type { Store } from '../../store/store.js';
import type { ReconnectBackoffSettings } from './connection-policy.js';
import type { DeliveryResult } from './message-sender.js';
import type { PacingSettings } from './send-pacer.js';
import type { SocketFactory } from './socket.js';

/** Limits and waits of the channel; the defaults suit production, tests shorten them. */
export interface WhatsAppChannelTuning {
  /** Waits before a new socket after a network or server failure. */
  reconnectBackoff: ReconnectBackoffSettings;
  /** Gaps between sends, per chat and for the whole number. */
  pacing: PacingSettings;
  /** Retention of sent messages for WhatsApp's retry requests, in milliseconds. Default 3 days. */
  sentMessageRetentionMs: number;
  /**
   * Maximum age, in milliseconds, of a late message (an `append` upsert after the bot was
   * offline) that is still handled. Older ones are logged and left. Default 3 days.
   */
  maxLateMs: number;
  /** Largest file downloaded, in bytes. Default: the office's evidence size limit. */
  downloadMaxBytes?: number;
  /** Number of recent message ids remembered to drop a message delivered twice. */
  recentMessages: number;
  /** Interval of lease renewals while the channel holds the lease, in milliseconds. */
  leaseRenewMs: number;
  /** Time to live of the lease from its last renewal, in milliseconds; a crashed instance holds it this long. */
  leaseTtlMs: number;
  /** Wait before trying again to take a lease that another instance holds, in milliseconds. */
  leaseRetryMs: number;
  /** Time the connection may stay down before the admin is alerted, in milliseconds. */
  alertAfterDownMs: number;
  /** Maximum wait at stop for messages in progress, in milliseconds. */
  stopGraceMs: number;
}

export const defaultTuning: WhatsAppChannelTuning = {
  reconnectBackoff: { firstMs: 2000, maxMs: 5 * 60_000, stableMs: 60_000 },
  // NOTE: estimates. WhatsApp publishes no send limits for linked devices.
  pacing: { perChatMs: 1000, globalMs: 250 },
  sentMessageRetentionMs: 3 * 24 * 60 * 60_000,
  maxLateMs: 3 * 24 * 60 * 60_000,
  recentMessages: 10_000,
  leaseRenewMs: 30_000,
  leaseTtlMs: 90_000,
  leaseRetryMs: 15_000,
  alertAfterDownMs: 15 * 60_000,
  stopGraceMs: 10_000,
};

/**
 * A lease on the office number's session, so that a second instance of the bot never opens
 * the same session (WhatsApp would close one of them with 440, over and over).
 */
export interface ChannelLease {
  /** Takes or renews the lease; resolves false while another holder has it. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** A channel problem that an admin must see: the channel logs it and passes it to `onAlert`. */
export interface WhatsAppAlert {
  channel: 'whatsapp';
  /** Alert kind: `logged-out`, `forbidden`, `connection-replaced`, `unreadable-creds`, `down`, `lease-lost` and others. */
  kind: string;
  /** Description of the problem and its fix, in English, for the admin and the log. */
  message: string;
}

/** The store parts the channel uses: the session data, merging a LID user into a phone number user, and the lease. */
export type WhatsAppChannelStore = Pick<Store, 'whatsappSessions' | 'mergeUser' | 'acquireLease' | 'releaseLease'>;

export interface WhatsAppChannelOptions {
  config: NonNullable<Config['whatsapp']>;
  pipeline: Pick<InboundPipeline, 'receive'>;
  catalog: Catalog;
  logger: Logger;
  clock: () => Date;
  /** Builds each socket. Default: a real Baileys connection to WhatsApp. Tests pass a fake. */
  socketFactory?: SocketFactory;
  /** Held while the channel runs. Default: the store's lease `whatsapp:<session>`. */
  lease?: ChannelLease;
  /** Called for every alert, after it is logged. */
  onAlert?: (alert: WhatsAppAlert) => void;
  /** Shows a pairing QR code to the person at the terminal. Default: printed to stderr. */
  printQr?: (qr: string) => void;
  /** Source of the backoff jitter, in [0, 1). Default Math.random. */
  random?: () => number;
  tuning?: Partial<WhatsAppChannelTuning>;
}

/**
 * The channel's state. `standby`: another instance holds the lease. `pairing`: a QR code or
 * pairing code waits to be used. `needs-pairing`: logged out or pairing expired, waiting for
 * an admin. `failed`: stopped by a problem that an admin must fix (see `reason`).
 */
export type WhatsAppChannelState =
  | 'stopped'
  | 'starting'
  | 'standby'
  | 'pairing'
  | 'connecting'
  | 'open'
  | 'reconnecting'
  | 'needs-pairing'
  | 'failed';

export interface WhatsAppChannelStatus {
  state: WhatsAppChannelState;
  /** The QR code text to show while pairing by QR. */
  qr?: string;
  /** The 8-character code to enter on the phone while pairing by phone number. */
  pairingCode?: string;
  /** The linked number (phone number JID), once connected. */
  account?: string;
  /** Cause of a stop or of a wait for an admin, with its fix, in English for the log. */
  reason?: string;
  /** The alert kind of `reason`, such as `logged-out` or `connection-replaced`. */
  reasonKind?: string;
  /** Wait before the next reconnect, while reconnecting. */
  retryInMs?: number;
  /** The last close of the connection, kept after the channel recovers. */
  lastError?: { message: string; statusCode?: number; at: Date };
}

/** The WhatsApp channel: pairs, keeps the connection, hands citizens' messages to the pipeline and sends the replies. */
export interface WhatsAppChannel {
  /** Starts in the background once the store is reachable; never throws. */
  start(store: WhatsAppChannelStore): void;
  /** Closes the socket, waits within the grace period for messages in progress, and releases the lease. */
  stop(): Promise<void>;
  status(): WhatsAppChannelStatus;
  /** Connects again after a stop that needed an admin (needs-pairing, failed), or at once while reconnecting. */
  restart(): void;
  /** Deletes the session's creds and keys and starts a new pairing. */
  resetSession(): Promise<void>;
  /** Sends a text to a citizen outside a reply (the outbox), after the citizen's pending replies. */
  deliver(userId: string, text: string): Promise<DeliveryResult>;
  /** `deliver` in the form the outbox dispatcher takes. */
  readonly outboxSender: OutboxSender;
  /** Resolves when no message is in progress. */
  whenIdle(): Promise<void>;
}
