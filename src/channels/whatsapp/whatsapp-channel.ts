import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionState } from '@whiskeysockets/baileys';
import type { OutboxSender, SendOutcome } from '../../outbox/outbox-sender.js';
import { KeyedQueue } from '../../pipeline/keyed-queue.js';
import { settledWithin } from '../../pipeline/settled-within.js';
import { loadAuthState, UnreadableCredsError, type StoredAuthState } from './auth-state.js';
import {
  defaultTuning,
  type WhatsAppChannel,
  type WhatsAppChannelOptions,
  type WhatsAppChannelStatus,
  type WhatsAppChannelStore,
  type WhatsAppChannelTuning,
} from './channel-options.js';
import { ChannelStatusBoard } from './channel-status.js';
import { decideOnDisconnect, networkHintFor, ReconnectBackoff, statusCodeOf, stopReasonMessages } from './connection-policy.js';
import { toJid } from './identity.js';
import { InboundHandler } from './inbound-handler.js';
import { createStoreLease, LeaseKeeper } from './lease-keeper.js';
import { Pairing, type PairingPrompt } from './pairing.js';
import { MessageSender, type DeliveryResult } from './message-sender.js';
import { splitText } from './outbound-text.js';
import { printQrToTerminal } from './qr-code.js';
import { SendPacer } from './send-pacer.js';
import { attachListeners, baileysLogger, createBaileysSocket, createRetryCounterCache, type WhatsAppSocket } from './socket.js';

export type { WhatsAppAlert, WhatsAppChannel, WhatsAppChannelOptions, WhatsAppChannelState, WhatsAppChannelStatus } from './channel-options.js';

/**
 * Creates the WhatsApp channel for one office number. Call `start(store)` once the store is
 * reachable and `stop()` before closing the pipeline.
 */
export function createWhatsAppChannel(options: WhatsAppChannelOptions): WhatsAppChannel {
  return new WhatsAppChannelRunner(options);
}

class WhatsAppChannelRunner implements WhatsAppChannel {
  private readonly tuning: WhatsAppChannelTuning;
  private readonly queue = new KeyedQueue();
  private readonly backoff: ReconnectBackoff;
  private readonly sender: MessageSender;
  private readonly inbound: InboundHandler;
  /** Created at start, because the default lease lives in the store. */
  private lease: LeaseKeeper | undefined;
  private readonly pairing: Pairing;
  /** Created once, so that decryption retry counts survive reconnects. */
  private readonly retryCounters = createRetryCounterCache();
  private store: WhatsAppChannelStore | undefined;
  private auth: StoredAuthState | undefined;
  /** The live socket. Code that sends reads it here each time, never keeps an old one. */
  private socket: WhatsAppSocket | undefined;
  /** Detaches the listeners of the live socket. */
  private detach: (() => void) | undefined;
  /** Incremented for each socket; events of an older socket are dropped. */
  private generation = 0;
  private readonly board: ChannelStatusBoard;
  /** Pending creds writes, in order; message handling waits for them. */
  private credsWrites: Promise<void> = Promise.resolve();
  /** Upserts being read, in order, so that one citizen's messages queue in arrival order. */
  private intake: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopping = false;

  constructor(private readonly options: WhatsAppChannelOptions) {
    this.tuning = { ...defaultTuning, ...options.tuning };
    this.backoff = new ReconnectBackoff(this.tuning.reconnectBackoff, options.random);
    this.board = new ChannelStatusBoard(options.logger, options.onAlert);
    const pacer = new SendPacer(this.tuning.pacing, () => options.clock().getTime(), (ms) => sleep(ms));
    this.sender = new MessageSender({
      session: options.config.session,
      socket: () => (this.board.current === 'open' ? this.socket : undefined),
      sessions: () => this.store?.whatsappSessions,
      pacer,
      clock: options.clock,
      logger: options.logger,
    });
    this.pairing = new Pairing({ pairingNumber: options.config.pairingNumber, printQr: options.printQr ?? printQrToTerminal, logger: options.logger });
    this.inbound = new InboundHandler({
      pipeline: options.pipeline,
      catalog: options.catalog,
      logger: options.logger,
      clock: options.clock,
      sender: this.sender,
      queue: this.queue,
      socket: () => this.socket,
      store: () => this.store,
      maxLateMs: this.tuning.maxLateMs,
      downloadMaxBytes: this.tuning.downloadMaxBytes ?? options.catalog.complaints.limits.evidenceMaxBytes,
      recentMessages: this.tuning.recentMessages,
    });
  }

  start(store: WhatsAppChannelStore): void {
    // A stopped channel has released its lease for good, so it does not start again.
    if (this.started || this.stopping) return;
    this.started = true;
    this.store = store;
    this.lease = new LeaseKeeper({
      lease: this.options.lease ?? createStoreLease(store, { session: this.options.config.session, ttlMs: this.tuning.leaseTtlMs, clock: this.options.clock }),
      renewMs: this.tuning.leaseRenewMs,
      onLost: () => this.onLeaseLost(),
      logger: this.options.logger,
    });
    this.board.set('starting');
    this.options.logger.info({ session: this.options.config.session, pairing: this.options.config.pairingNumber ? 'code' : 'qr' }, 'whatsapp channel starting');
    void this.takeLeaseAndOpen();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    this.closeSocket();
    const drained = await settledWithin(Promise.all([this.intake, this.queue.drain()]), this.tuning.stopGraceMs);
    if (!drained) this.options.logger.warn({ pending: this.queue.size }, 'whatsapp channel stopped with messages still in progress');
    await this.credsWrites;
    await this.lease?.release();
    this.board.set('stopped');
    this.options.logger.info('whatsapp channel stopped');
  }

  status(): WhatsAppChannelStatus {
    return this.board.snapshot();
  }

  restart(): void {
    if (!this.started || this.stopping || !['needs-pairing', 'failed', 'reconnecting'].includes(this.board.current)) return;
    this.options.logger.info({ from: this.board.current }, 'whatsapp channel restarted by an admin');
    clearTimeout(this.timer);
    this.backoff.reset();
    this.board.show({});
    void this.takeLeaseAndOpen();
  }

  async resetSession(): Promise<void> {
    if (!this.started || this.stopping || !this.store) return;
    this.options.logger.warn({ session: this.options.config.session }, 'whatsapp session deleted by an admin; pairing again');
    clearTimeout(this.timer);
    this.closeSocket();
    await this.credsWrites;
    await this.store.whatsappSessions.clearAuthValues(this.options.config.session);
    this.auth = undefined;
    this.backoff.reset();
    this.board.show({});
    await this.takeLeaseAndOpen();
  }

  deliver(userId: string, text: string): Promise<DeliveryResult> {
    const jid = toJid(userId);
    if (!jid) return Promise.resolve({ status: 'failed', retryable: false, error: `"${userId}" is not a WhatsApp user id` });
    return this.queue.run(userId, () => this.sender.send(jid, splitText(text)));
  }

  readonly outboxSender: OutboxSender = {
    channel: 'whatsapp',
    send: async (userId, text) => toSendOutcome(await this.deliver(userId, text)),
  };

  whenIdle(): Promise<void> {
    return this.intake.then(() => this.queue.drain());
  }

  /** Takes the lease, loads the auth state and connects; waits in standby while another instance holds the lease. */
  private async takeLeaseAndOpen(): Promise<void> {
    if (!(await this.takeLease())) return;
    try {
      this.auth ??= await loadAuthState(this.store!.whatsappSessions, this.options.config.session, this.options.logger);
    } catch (error) {
      if (error instanceof UnreadableCredsError) {
        this.board.fail('failed', { kind: 'unreadable-creds', message: error.message });
        return;
      }
      const retryInMs = this.backoff.nextDelay(this.now());
      this.options.logger.error({ err: error, retryInMs }, 'whatsapp auth state could not be loaded; retrying');
      this.schedule(retryInMs, () => void this.takeLeaseAndOpen());
      return;
    }
    this.connect();
  }

  private async takeLease(): Promise<boolean> {
    const acquired = await this.lease!.take();
    if (acquired || this.stopping) return acquired && !this.stopping;
    if (this.board.current !== 'standby') this.options.logger.warn({ retryInMs: this.tuning.leaseRetryMs }, 'whatsapp session is held by another instance; standing by');
    this.board.set('standby');
    this.schedule(this.tuning.leaseRetryMs, () => void this.takeLeaseAndOpen());
    return false;
  }

  private onLeaseLost(): void {
    if (this.stopping) return;
    this.board.alert('lease-lost', 'Another instance took the WhatsApp session lease; this instance closed its connection and stands by.', 'warn');
    this.closeSocket();
    this.board.set('standby');
    this.schedule(this.tuning.leaseRetryMs, () => void this.takeLeaseAndOpen());
  }

  /** Builds a new socket and attaches every listener to it. */
  private connect(): void {
    if (this.stopping) return;
    const generation = ++this.generation;
    this.pairing.reset();
    this.board.show({});
    if (this.board.current !== 'reconnecting') this.board.set('connecting');

    const factory = this.options.socketFactory ?? createBaileysSocket;
    let socket: WhatsAppSocket;
    try {
      socket = factory({
        auth: this.auth!.state,
        getMessage: (key) => this.sender.getMessage(key),
        msgRetryCounterCache: this.retryCounters,
        logger: baileysLogger(this.options.logger),
      });
    } catch (error) {
      void this.onClose(generation, error);
      return;
    }
    this.socket = socket;

    this.detach = attachListeners(socket, {
      'creds.update': () => this.saveCreds(),
      'connection.update': (update) => this.onConnectionUpdate(generation, update),
      'messages.upsert': (event) => {
        if (generation !== this.generation) return;
        this.intake = this.intake.then(() => this.credsWrites).then(() => this.inbound.receiveUpsert(event));
      },
      'lid-mapping.update': (mapping) => {
        if (generation === this.generation) void this.inbound.receiveMapping(mapping);
      },
    });
  }

  /** Queues a write of the whole creds object; a failed write is logged, and the next update writes it again. */
  private saveCreds(): void {
    const auth = this.auth;
    if (!auth) return;
    this.credsWrites = this.credsWrites.then(() =>
      auth.saveCreds().catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'whatsapp creds could not be saved; a restart now would need a new pairing');
      }),
    );
  }

  private onConnectionUpdate(generation: number, update: Partial<ConnectionState>): void {
    if (generation !== this.generation || this.stopping) return;
    if (update.qr) this.onQr(generation, update.qr);
    if (update.isNewLogin) this.options.logger.info('whatsapp device paired with the office phone; reconnecting');
    if (update.connection === 'open') this.onOpen();
    if (update.connection === 'close') void this.onClose(generation, update.lastDisconnect?.error);
  }

  private onQr(generation: number, qr: string): void {
    if (!this.pairing.usesCode(this.auth!.registered)) {
      this.showPrompt(this.pairing.showQr(qr));
      return;
    }
    void this.pairing.requestCode(this.socket!).then((prompt) => {
      if (prompt && generation === this.generation) this.showPrompt(prompt);
    });
  }

  private showPrompt(prompt: PairingPrompt): void {
    this.board.show(prompt);
    this.board.set('pairing');
  }

  private onOpen(): void {
    const account = this.auth!.state.creds.me?.id;
    this.board.show(account ? { account } : {});
    this.board.set('open');
    this.backoff.markOpen(this.now());
    this.board.markUp();
    this.inbound.connectionOpened();
    this.options.logger.info('whatsapp connected');
    void this.sender.prune(new Date(this.now() - this.tuning.sentMessageRetentionMs));
  }

  private async onClose(generation: number, error: unknown): Promise<void> {
    if (generation !== this.generation) return;
    this.detach?.();
    this.detach = undefined;
    this.socket = undefined;
    if (this.stopping) return;
    await this.credsWrites;
    if (generation !== this.generation) return;

    const statusCode = statusCodeOf(error);
    const message = error instanceof Error ? error.message : 'connection closed';
    this.board.recordClose(message, statusCode, this.options.clock());
    const action = decideOnDisconnect({ statusCode, showedQr: this.pairing.showedQr, registered: this.auth!.registered });

    if (action.kind === 'reconnect-now') {
      this.options.logger.info({ statusCode }, 'whatsapp asked for a restart of the connection; reconnecting now');
      this.connect();
    } else if (action.kind === 'reconnect-later') {
      this.scheduleReconnect(statusCode, message);
    } else if (action.kind === 'logged-out') {
      await this.onLoggedOut();
    } else if (action.reason === 'pairing-expired') {
      this.board.fail('needs-pairing', { kind: action.reason, message: stopReasonMessages[action.reason] }, 'warn');
    } else {
      this.board.fail('failed', { kind: action.reason, message: stopReasonMessages[action.reason] });
    }
  }

  /** Schedules a new socket after the backoff wait, with one log line per attempt. */
  private scheduleReconnect(statusCode: number | undefined, message: string): void {
    const now = this.now();
    const retryInMs = this.backoff.nextDelay(now);
    this.board.set('reconnecting');
    this.board.show({ retryInMs });
    const hint = networkHintFor(message);
    this.options.logger.warn({ statusCode, error: message, attempt: this.backoff.attempt, retryInMs, ...(hint ? { hint } : {}) }, 'whatsapp connection closed; reconnecting');
    this.board.markDown(now, message, this.tuning.alertAfterDownMs);
    this.schedule(retryInMs, () => this.connect());
  }

  /** 401: the phone unlinked the device. Its keys are useless, so they are wiped and the channel waits for a new pairing. */
  private async onLoggedOut(): Promise<void> {
    try {
      await this.auth!.reset();
    } catch (error) {
      this.options.logger.error({ err: error }, 'whatsapp session keys could not be deleted after the logout');
    }
    const message = 'The office phone unlinked this device (401 logged out). Pair the number again from /whatsapp.';
    this.board.fail('needs-pairing', { kind: 'logged-out', message });
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.detach?.();
    this.detach = undefined;
    this.socket = undefined;
    this.generation++;
    if (!socket) return;
    try {
      void Promise.resolve(socket.end(undefined)).catch(() => undefined);
    } catch (error) {
      this.options.logger.debug({ err: error }, 'whatsapp socket was already closed');
    }
  }

  private schedule(delayMs: number, task: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopping) task();
    }, delayMs);
    this.timer.unref();
  }

  private now(): number {
    return this.options.clock().getTime();
  }
}

/**
 * Maps a delivery to the outbox's outcome. WhatsApp reports no blocked recipients to a
 * linked device, so nothing is `unreachable`.
 */
function toSendOutcome(result: DeliveryResult): SendOutcome {
  if (result.status === 'sent') return result;
  return result.retryable ? { status: 'retry', error: result.error } : { status: 'failed', error: result.error };
}
