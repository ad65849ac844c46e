import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadHolidayCalendar } from './calendar/load-holiday-calendar.js';
import { WorkingCalendar } from './calendar/working-calendar.js';
import { loadCatalog, type Catalog } from './catalog/load.js';
import { createMatcher } from './catalog/matcher.js';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/telegram-channel.js';
import { startWebServer, type WebServer } from './channels/web/server.js';
import { addWhatsAppAdminRoutes } from './channels/whatsapp/admin-page.js';
import type { SocketFactory } from './channels/whatsapp/socket.js';
import { createWhatsAppChannel, type WhatsAppChannel } from './channels/whatsapp/whatsapp-channel.js';
import type { Config } from './config/config.js';
import { ConversationService } from './conversation/conversation-service.js';
import type { Logger } from './log/logger.js';
import type { Complaint } from './complaints/complaint.js';
import { ComplaintService } from './complaints/complaint-service.js';
import { createMessageHandlers } from './officers/create-handlers.js';
import { Roster } from './officers/roster.js';
import { OutboxDispatcher } from './outbox/outbox-dispatcher.js';
import type { OutboxSender } from './outbox/outbox-sender.js';
import { AdminAlerts } from './reminders/admin-alerts.js';
import { OfficerNotices } from './reminders/officer-notices.js';
import { ReminderScan } from './reminders/reminder-scan.js';
import { Scheduler } from './scheduler/scheduler.js';
import { toOutboundMessages } from './pipeline/deliver-later.js';
import { InboundPipeline, type RetryOptions } from './pipeline/inbound-pipeline.js';
import { StoreUnavailableError } from './store/errors.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** A start-up failure whose message tells the operator which setting to fix. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Maximum wait for the store's response to a readiness ping, in milliseconds. */
const readinessTimeoutMs = 1000;

/**
 * Returns whether the store is connected and responds to a ping within the readiness timeout,
 * so `/readyz` reports an outage that began after start-up too.
 */
async function isStoreReachable(store: Store | undefined): Promise<boolean> {
  if (!store) return false;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), readinessTimeoutMs);
  });
  const answered = store.ping().then(
    () => true,
    () => false,
  );
  const reachable = await Promise.race([answered, timedOut]);
  clearTimeout(timer);
  return reachable;
}

/** Maximum wait for messages in flight at shutdown, in milliseconds. */
const shutdownGraceMs = 10_000;

/** Waits between attempts to reach the store at start-up: doubling from the first to the cap, in milliseconds. */
const connectBackoff = { firstMs: 1000, maxMs: 30_000 };

/** The running bot. */
export interface App {
  catalog: Catalog;
  calendar: WorkingCalendar;
  pipeline: InboundPipeline;
  web: WebServer;
  /** The Telegram channel, when TELEGRAM_BOT_TOKEN is set. */
  telegram?: TelegramChannel;
  /** The WhatsApp channel, unless WHATSAPP_ENABLED=false. */
  whatsapp?: WhatsAppChannel;
  /** Resolves with the store once it is reachable. Until then the bot replies that it is busy. */
  storeReady: Promise<Store>;
  /** Stops taking messages, finishes the ones in flight, then closes the server and the store. */
  close(): Promise<void>;
}

/** Options for tests: an injected clock and faster retries. */
export interface StartOptions {
  clock?: () => Date;
  retry?: Partial<RetryOptions>;
  connectBackoff?: { firstMs: number; maxMs: number };
  /** Builds WhatsApp sockets; tests pass a fake so that nothing connects to WhatsApp. */
  whatsappSocketFactory?: SocketFactory;
}

/**
 * Wires the parts from the config and starts them. Office content errors stop the start.
 * An unreachable database server does not: the web server starts at once, `/readyz` reports
 * not ready, and the server is retried with capped backoff while messages are held.
 */
export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<App> {
  const clock = options.clock ?? (() => new Date());
  const catalog = await loadCatalog(config.officeDir);
  logger.info({ office: catalog.office.id, services: catalog.services.length }, 'office content loaded');

  const calendar = new WorkingCalendar({
    timeZone: catalog.office.timeZone,
    timeZoneLabel: catalog.office.timeZoneLabel,
    officeHours: catalog.office.officeHours,
    years: await loadHolidayCalendar(path.join(config.flowsDir, 'holidays')),
  });
  for (const warning of calendar.warnings(clock())) logger.warn({ year: warning.year, status: warning.status }, warning.message);

  let store: Store | undefined;
  let scheduler: Scheduler | undefined;
  const pipeline = new InboundPipeline({
    catalog,
    logger,
    pingStore: async () => {
      if (!store) throw new StoreUnavailableError('The store is not connected yet');
      await store.ping();
    },
    deliverLater: async (message, replies) => {
      if (!store) throw new StoreUnavailableError('The store is not connected yet');
      await store.enqueueOutbound(toOutboundMessages(message, replies, clock()));
    },
    ...(options.retry ? { retry: options.retry } : {}),
  });

  // Replies held during an outage go through the outbox: the web chat pulls them, and the
  // outbox dispatcher sends them to Telegram.
  let backOffice: BackOffice | undefined;
  const telegram = config.telegram
    ? createTelegramChannel({
        config: config.telegram,
        pipeline,
        catalog,
        logger,
        clock,
        // The lease and the unreachable chats live in the store, once it is connected.
        store: () => store,
        // Before the store is ready the channel's log line is the only alert.
        onAlert: (alert) => backOffice?.alerts.channelProblem(alert),
      })
    : undefined;

  const whatsapp = config.whatsapp
    ? createWhatsAppChannel({
        config: config.whatsapp,
        pipeline,
        catalog,
        logger,
        clock,
        onAlert: (alert) => void backOffice?.alerts.channelProblem(alert),
        ...(options.whatsappSocketFactory ? { socketFactory: options.whatsappSocketFactory } : {}),
      })
    : undefined;

  const web = await startWebServer({
    host: config.host,
    port: config.port,
    pipeline,
    logger,
    office: catalog.office,
    simulatorEnabled: config.simulatorEnabled,
    clock,
    isReady: () => isStoreReachable(store),
    routes: (app) => {
      const webhook = telegram?.webhook;
      if (webhook) app.post(webhook.path, (c) => webhook.handle(c.req.raw));
      if (whatsapp) {
        addWhatsAppAdminRoutes(app, {
          channel: whatsapp,
          office: catalog.office,
          logger,
          ...(config.whatsapp?.adminToken ? { adminToken: config.whatsapp.adminToken } : {}),
        });
      }
    },
    takeOutbound: async (channel, userId, now) => {
      if (!store) throw new StoreUnavailableError('The store is not connected yet');
      return store.takeOutbound(channel, userId, now);
    },
  });
  logger.info({ url: web.url, simulator: config.simulatorEnabled }, 'web server listening');
  if (telegram) {
    telegram.start();
    logger.info({ mode: telegram.status().mode }, 'telegram channel starting');
  }

  const abort = new AbortController();
  // The embedded SQLite file is opened at once and not retried: a failure to open it is a
  // setting or disk problem that waiting does not fix.
  const embedded = config.mongodbUri ? undefined : await openEmbeddedStore(config, logger, web);
  const connecting = embedded
    ? Promise.resolve(embedded)
    : connectWithRetry(config, logger, abort.signal, options.connectBackoff ?? connectBackoff);
  const senders = [telegram?.outboxSender, whatsapp?.outboxSender].filter((sender) => sender !== undefined);
  const storeReady = connecting.then((connected) => {
    store = connected;
    backOffice = startBackOffice({ config, catalog, calendar, store: connected, logger, clock, senders });
    scheduler = backOffice.scheduler;
    const idleMinutes = config.sessionIdleMinutes;
    pipeline.attach(
      new ConversationService({ catalog, matcher: createMatcher(catalog), store, calendar, logger, idleMinutes, onComplaintFiled: backOffice.announce }),
      createMessageHandlers({ catalog, store, calendar, logger, clock, idleMinutes, roster: backOffice.roster, complaints: backOffice.complaints }),
    );
    whatsapp?.start(connected);
    logger.info('ready');
    return connected;
  });
  // The start-up path does not wait for the store; failures after an abort are expected.
  storeReady.catch((error: unknown) => {
    if (!abort.signal.aborted) logger.fatal({ err: error }, 'store connection loop failed');
  });

  return {
    catalog,
    calendar,
    pipeline,
    web,
    ...(telegram ? { telegram } : {}),
    ...(whatsapp ? { whatsapp } : {}),
    storeReady,
    async close() {
      abort.abort();
      await scheduler?.stop();
      await telegram?.stop();
      await whatsapp?.stop();
      const drained = await pipeline.close(shutdownGraceMs);
      if (!drained) logger.warn({ graceMs: shutdownGraceMs }, 'shutdown grace period ended with messages in flight');
      await web.close();
      await store?.close();
      logger.info('stopped');
    },
  };
}

/**
 * Starts the work behind the officers: the complaint service shared by every path, the
 * reminder scan, admin alerts, and the scheduler with the outbox dispatcher of the channels
 * that push messages.
 */
function startBackOffice(deps: {
  config: Config;
  catalog: Catalog;
  calendar: WorkingCalendar;
  store: Store;
  logger: Logger;
  clock: () => Date;
  senders: OutboxSender[];
}) {
  const { config, catalog, calendar, store, logger, clock } = deps;
  const roster = Roster.fromCatalog(catalog);
  const notices = new OfficerNotices({ catalog, complaintSettings: catalog.complaints, calendar, directory: roster });
  // The scan needs the complaint service and the service's filing hook needs the scan.
  const holder: { scan?: ReminderScan } = {};
  const announce = async (complaint: Complaint) => holder.scan?.announce(complaint, clock());
  const complaints = new ComplaintService({ store, settings: catalog.complaints, calendar, clock, logger, onComplaintFiled: announce });
  const scan = new ReminderScan({ store, complaints, notices, directory: roster, settings: catalog.complaints.reminders, complaintSettings: catalog.complaints, calendar, logger });
  holder.scan = scan;
  const alerts = new AdminAlerts({ store, directory: roster, notices, clock, logger });
  const dispatcher = new OutboxDispatcher({
    store,
    senders: deps.senders,
    clock,
    logger,
    onDeadLetter: (dead) => alerts.deadLetter(dead),
    onLongWait: (wait) => alerts.longWait(wait),
  });
  const scheduler = new Scheduler({ store, scan, dispatcher, clock, logger, scanCron: config.schedulerCron, timeZone: calendar.timeZone });
  scheduler.start();
  logger.info({ scanCron: config.schedulerCron, channels: dispatcher.channels }, 'scheduler started');
  return { roster, complaints, alerts, scheduler, announce };
}

type BackOffice = ReturnType<typeof startBackOffice>;

/**
 * Opens a database server's store, retrying with capped exponential backoff and logging
 * each failed attempt.
 */
async function connectWithRetry(
  config: Config,
  logger: Logger,
  signal: AbortSignal,
  backoff: { firstMs: number; maxMs: number },
): Promise<Store> {
  let delayMs = backoff.firstMs;
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    try {
      return await openStore(config, logger);
    } catch (error) {
      logger.error({ err: error, attempt, retryInMs: delayMs }, 'store unreachable at start-up; retrying');
    }
    await sleep(delayMs, undefined, { signal });
    delayMs = Math.min(delayMs * 2, backoff.maxMs);
  }
}

/** Opens the SQLite store; on failure closes the web server and raises a StartupError naming DATA_DIR. */
async function openEmbeddedStore(config: Config, logger: Logger, web: WebServer): Promise<Store> {
  try {
    return await openStore(config, logger);
  } catch (error) {
    await web.close();
    throw new StartupError(
      `Cannot open the SQLite database in DATA_DIR=${config.dataDir}: ${(error as Error).message}. Set DATA_DIR to a writable folder.`,
      { cause: error },
    );
  }
}
