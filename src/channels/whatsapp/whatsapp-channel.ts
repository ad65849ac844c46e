import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionState } from '@whiskeysockets/baileys';
import type { Logger } from '../../log/logger.js';
import { KeyedQueue } from '../../pipeline/keyed-queue.js';
import { settledWithin } from '../../pipeline/settled-within.js';
import { loadAuthState, UnreadableCredsError, type StoredAuthState } from './auth-state.js';
import {
  defaultTuning,
  type WhatsAppAlert,
  type WhatsAppChannel,
  type WhatsAppChannelOptions,
  type WhatsAppChannelState,
  type WhatsAppChannelStatus,
  type WhatsAppChannelStore,
  type WhatsAppChannelTuning,
} from './channel-options.js';
import { decideOnDisconnect, ReconnectBackoff, statusCodeOf, stopReasonMessages } from './connection-policy.js';
import { toJid } from './identity.js';
import { InboundHandler } from './inbound-handler.js';
import { MessageSender, type DeliveryResult } from './message-sender.js';
import { splitText } from './outbound-text.js';
import { printQrToTerminal } from './qr-code.js';
import { SendPacer } from './send-pacer.js';
import { createBaileysSocket, createRetryCounterCache, type WhatsAppSocket } from './socket.js';

export type { WhatsAppAlert, WhatsAppChannel, WhatsAppChannelOptions, WhatsAppChannelState, WhatsAppChannelStatus } from './channel-options.js';

/**
 * Creates the WhatsApp channel for one office number. Call `start(store)` once the store is
 * reachable and `stop()` before closing the pipeline.
 */
export function createWhatsAppChannel(options: WhatsAppChannelOptions): WhatsAppChannel {
  return new WhatsAppChannelRunner(options);
}

/** Error texts of a host that cannot reach WhatsApp at all: no DNS, no route, refused or timed out. */
const networkErrorPattern = /ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNREFUSED|ETIMEDOUT/;

/** Listeners attached to one socket, kept to detach them when it closes. */
type Detach = () => void;

class WhatsAppChannelRunner implements WhatsAppChannel {
  private readonly tuning: WhatsAppChannelTuning;
  private readonly queue = new KeyedQueue();
  private readonly backoff: ReconnectBackoff;
  private readonly sender: MessageSender;
  private readonly inbound: InboundHandler;
  /** Created once, so that decryption retry counts survive reconnects. */
  private readonly retryCounters = createRetryCounterCache();
  private store: WhatsAppChannelStore | undefined;
  private auth: StoredAuthState | undefined;
  /** The live socket. Code that sends reads it here each time, never keeps an old one. */
  private socket: WhatsAppSocket | undefined;
  private detach: Detach | undefined;
  /** Incremented for each socket; events of an older socket are dropped. */
  private generation = 0;
  private state: WhatsAppChannelState = 'stopped';
  private details: Omit<WhatsAppChannelStatus, 'state' | 'lastError'> = {};
  private lastError: WhatsAppChannelStatus['lastError'];
  private showedQr = false;
  private pairingRequested = false;
  /** Pending creds writes, in order; message handling waits for them. */
  private credsWrites: Promise<void> = Promise.resolve();
  /** Upserts being read, in order, so that one citizen's messages queue in arrival order. */
  private intake: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private holdsLease = false;
  private downSince: number | undefined;
  private alertedDown = false;
  private started = false;
  private stopping = false;

  constructor(private readonly options: WhatsAppChannelOptions) {
    this.tuning = { ...defaultTuning, ...options.tuning };
    this.backoff = new ReconnectBackoff(this.tuning.reconnectBackoff, options.random);
    const pacer = new SendPacer(this.tuning.pacing, () => options.clock().getTime(), (ms) => sleep(ms));
    this.sender = new MessageSender({
      session: options.config.session,
      socket: () => (this.state === 'open' ? this.socket : undefined),
      sessions: () => this.store?.whatsappSessions,
      pacer,
      clock: options.clock,
      logger: options.logger,
    });
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
    this.setState('starting');
    this.options.logger.info({ session: this.options.config.session, pairing: this.options.config.pairingNumber ? 'code' : 'qr' }, 'whatsapp channel starting');
    void this.takeLeaseAndOpen();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    clearInterval(this.leaseTimer);
    this.closeSocket();
    const drained = await settledWithin(Promise.all([this.intake, this.queue.drain()]), this.tuning.stopGraceMs);
    if (!drained) this.options.logger.warn({ pending: this.queue.size }, 'whatsapp channel stopped with messages still in progress');
    await this.credsWrites;
    await this.releaseLease();
    this.setState('stopped');
    this.options.logger.info('whatsapp channel stopped');
  }

  status(): WhatsAppChannelStatus {
    return { state: this.state, ...this.details, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  restart(): void {
    if (!this.started || this.stopping || !['needs-pairing', 'failed', 'reconnecting'].includes(this.state)) return;
    this.options.logger.info({ from: this.state }, 'whatsapp channel restarted by an admin');
    clearTimeout(this.timer);
    this.backoff.reset();
    this.details = {};
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
    this.details = {};
    await this.takeLeaseAndOpen();
  }

  deliver(userId: string, text: string): Promise<DeliveryResult> {
    const jid = toJid(userId);
    if (!jid) return Promise.resolve({ status: 'failed', retryable: false, error: `"${userId}" is not a WhatsApp user id` });
    return this.queue.run(userId, () => this.sender.send(jid, splitText(text)));
  }

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
        this.fail('unreadable-creds', error.message);
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
    const { lease } = this.options;
    if (!lease || this.holdsLease) return true;
    let acquired = false;
    try {
      acquired = await lease.acquire();
    } catch (error) {
      this.options.logger.error({ err: error }, 'whatsapp session lease could not be taken');
    }
    if (this.stopping) return false;
    if (!acquired) {
      if (this.state !== 'standby') this.options.logger.warn({ retryInMs: this.tuning.leaseRetryMs }, 'whatsapp session is held by another instance; standing by');
      this.setState('standby');
      this.schedule(this.tuning.leaseRetryMs, () => void this.takeLeaseAndOpen());
      return false;
    }
    this.holdsLease = true;
    this.leaseTimer = setInterval(() => void this.renewLease(), this.tuning.leaseRenewMs);
    this.leaseTimer.unref();
    return true;
  }

  private async renewLease(): Promise<void> {
    let renewed = false;
    try {
      renewed = await this.options.lease!.acquire();
    } catch (error) {
      this.options.logger.error({ err: error }, 'whatsapp session lease could not be renewed');
      return;
    }
    if (renewed || this.stopping) return;
    this.alert('lease-lost', 'Another instance took the WhatsApp session lease; this instance closed its connection and stands by.', 'warn');
    clearInterval(this.leaseTimer);
    this.holdsLease = false;
    this.closeSocket();
    this.setState('standby');
    this.schedule(this.tuning.leaseRetryMs, () => void this.takeLeaseAndOpen());
  }

  private async releaseLease(): Promise<void> {
    if (!this.holdsLease) return;
    this.holdsLease = false;
    try {
      await this.options.lease!.release();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'whatsapp session lease could not be released; it expires by itself');
    }
  }

  /** Builds a new socket and attaches every listener to it. */
  private connect(): void {
    if (this.stopping) return;
    const generation = ++this.generation;
    this.showedQr = false;
    this.pairingRequested = false;
    this.details = {};
    if (this.state !== 'reconnecting') this.setState('connecting');

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

    const onCreds = () => this.saveCreds();
    const onConnection = (update: Partial<ConnectionState>) => this.onConnectionUpdate(generation, update);
    const onUpsert = (event: Parameters<InboundHandler['receiveUpsert']>[0]) => {
      if (generation !== this.generation) return;
      this.intake = this.intake.then(() => this.credsWrites).then(() => this.inbound.receiveUpsert(event));
    };
    const onMapping = (mapping: { lid: string; pn: string }) => {
      if (generation === this.generation) void this.inbound.receiveMapping(mapping);
    };
    socket.ev.on('creds.update', onCreds);
    socket.ev.on('connection.update', onConnection);
    socket.ev.on('messages.upsert', onUpsert);
    socket.ev.on('lid-mapping.update', onMapping);
    this.detach = () => {
      socket.ev.off('creds.update', onCreds);
      socket.ev.off('connection.update', onConnection);
      socket.ev.off('messages.upsert', onUpsert);
      socket.ev.off('lid-mapping.update', onMapping);
    };
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
    if (update.qr) this.onQr(update.qr);
    if (update.isNewLogin) this.options.logger.info('whatsapp device paired with the office phone; reconnecting');
    if (update.connection === 'open') this.onOpen();
    if (update.connection === 'close') void this.onClose(generation, update.lastDisconnect?.error);
  }

  private onQr(qr: string): void {
    this.showedQr = true;
    const { pairingNumber } = this.options.config;
    if (pairingNumber && !this.auth!.registered) {
      if (!this.pairingRequested) void this.requestPairingCode(pairingNumber);
      return;
    }
    this.details = { qr };
    this.setState('pairing');
    (this.options.printQr ?? printQrToTerminal)(qr);
    this.options.logger.info('whatsapp pairing: scan the QR code printed above, or open /whatsapp on the web server, with the office phone (Linked devices)');
  }

  /** Requests the pairing code once per socket, on its first QR event, when the creds are unpaired. */
  private async requestPairingCode(phoneNumber: string): Promise<void> {
    this.pairingRequested = true;
    const socket = this.socket;
    try {
      const code = await socket!.requestPairingCode(phoneNumber);
      if (socket !== this.socket) return;
      this.details = { pairingCode: code };
      this.setState('pairing');
      this.options.logger.info(
        { pairingCode: code },
        'whatsapp pairing: on the office phone open Linked devices, choose "Link with phone number instead" and enter this code',
      );
    } catch (error) {
      this.options.logger.error({ err: error }, 'whatsapp pairing code could not be requested; start pairing again from /whatsapp');
    }
  }

  private onOpen(): void {
    const account = this.auth!.state.creds.me?.id;
    this.details = account ? { account } : {};
    this.setState('open');
    this.backoff.markOpen(this.now());
    if (this.alertedDown) this.options.logger.warn('whatsapp connection restored');
    this.downSince = undefined;
    this.alertedDown = false;
    this.inbound.connectionOpened();
    this.options.logger.info('whatsapp connected');
    void this.pruneSentMessages();
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
    this.lastError = { message, ...(statusCode === undefined ? {} : { statusCode }), at: this.options.clock() };
    const action = decideOnDisconnect({ statusCode, showedQr: this.showedQr, registered: this.auth!.registered });

    if (action.kind === 'reconnect-now') {
      this.options.logger.info({ statusCode }, 'whatsapp asked for a restart of the connection; reconnecting now');
      this.connect();
    } else if (action.kind === 'reconnect-later') {
      this.scheduleReconnect(statusCode, message);
    } else if (action.kind === 'logged-out') {
      await this.onLoggedOut();
    } else if (action.reason === 'pairing-expired') {
      this.setState('needs-pairing', { kind: action.reason, message: stopReasonMessages[action.reason] });
      this.alert(action.reason, stopReasonMessages[action.reason], 'warn');
    } else {
      this.fail(action.reason, stopReasonMessages[action.reason]);
    }
  }

  /** Schedules a new socket after the backoff wait, with one log line per attempt. */
  private scheduleReconnect(statusCode: number | undefined, message: string): void {
    const now = this.now();
    const retryInMs = this.backoff.nextDelay(now);
    this.downSince ??= now;
    this.setState('reconnecting');
    this.details = { retryInMs };
    const hint = networkErrorPattern.test(message) ? "WhatsApp's servers cannot be reached from this host; check its network. Other channels keep working." : undefined;
    this.options.logger.warn({ statusCode, error: message, attempt: this.backoff.attempt, retryInMs, ...(hint ? { hint } : {}) }, 'whatsapp connection closed; reconnecting');
    if (!this.alertedDown && now - this.downSince >= this.tuning.alertAfterDownMs) {
      this.alertedDown = true;
      this.alert('down', `WhatsApp has been disconnected for ${Math.round((now - this.downSince) / 60_000)} minutes (last error: ${message}); still retrying.`, 'error');
    }
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
    this.setState('needs-pairing', { kind: 'logged-out', message });
    this.alert('logged-out', message, 'error');
  }

  private fail(kind: string, message: string): void {
    this.setState('failed', { kind, message });
    this.alert(kind, message, 'error');
  }

  private alert(kind: string, message: string, level: 'error' | 'warn'): void {
    const alert: WhatsAppAlert = { channel: 'whatsapp', kind, message };
    this.options.logger[level]({ alert: kind }, `whatsapp alert: ${message}`);
    try {
      this.options.onAlert?.(alert);
    } catch (error) {
      this.options.logger.error({ alert: kind, err: error }, 'whatsapp alert handler failed');
    }
  }

  private setState(state: WhatsAppChannelState, problem?: { kind: string; message: string }): void {
    this.state = state;
    if (problem) this.details = { reason: problem.message, reasonKind: problem.kind };
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

  private async pruneSentMessages(): Promise<void> {
    const before = new Date(this.now() - this.tuning.sentMessageRetentionMs);
    try {
      const deleted = await this.store!.whatsappSessions.deleteSentMessagesBefore(this.options.config.session, before);
      if (deleted > 0) this.options.logger.debug({ deleted }, 'whatsapp sent messages past retention deleted');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'whatsapp sent messages could not be pruned');
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
 * Returns the logger Baileys writes to: at warn or above, because Baileys logs every
 * connection attempt and stanza at info and below, which would flood the log while offline.
 */
function baileysLogger(logger: Logger): Logger {
  const warn = logger.levels.values.warn!;
  const current = logger.levelVal;
  return logger.child({ module: 'baileys' }, { level: current > warn ? logger.level : 'warn' });
}
