import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHolidayCalendar } from '../../src/calendar/load-holiday-calendar.js';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load.js';
import { createMatcher } from '../../src/catalog/matcher.js';
import { createWebApp, startWebServer, type WebServer, type WebServerOptions } from '../../src/channels/web/server.js';
import { ConversationService } from '../../src/conversation/conversation-service.js';
import type { Reply } from '../../src/conversation/reply.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { toOutboundMessages } from '../../src/pipeline/deliver-later.js';
import { createMessageHandlers } from '../../src/officers/create-handlers.js';
import { InboundPipeline } from '../../src/pipeline/inbound-pipeline.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/** Root of the repository, for loading the shipped office content in tests. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shipped office folder. */
export const officeDir = path.join(repositoryRoot, 'flows', 'diskopukm-kalbar');

let cachedCatalog: Promise<Catalog> | undefined;
let cachedCalendar: Promise<WorkingCalendar> | undefined;

/** Loads the shipped office content once per test file. */
export function loadShippedCatalog(): Promise<Catalog> {
  cachedCatalog ??= loadCatalog(officeDir);
  return cachedCatalog;
}

/** Builds the office's working calendar from the shipped office hours and holiday files. */
export function loadShippedCalendar(): Promise<WorkingCalendar> {
  cachedCalendar ??= (async () => {
    const { office } = await loadShippedCatalog();
    return new WorkingCalendar({
      timeZone: office.timeZone,
      timeZoneLabel: office.timeZoneLabel,
      officeHours: office.officeHours,
      years: await loadHolidayCalendar(path.join(repositoryRoot, 'flows', 'holidays')),
    });
  })();
  return cachedCalendar;
}

/** A simulated clock that tests move by hand. */
export class TestClock {
  constructor(private current: Date = new Date('2026-12-07T02:00:00Z')) {}
  now = (): Date => new Date(this.current);
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
  /** Moves the clock to `instant`, forwards or back. */
  set(instant: Date): void {
    this.current = new Date(instant);
  }
}

/** The simulator API's JSON response. */
export interface SimulatorResponse {
  status: number;
  body: { replies?: Reply[]; duplicate?: boolean; error?: string };
}

/**
 * The whole inbound path (web app, pipeline, conversation, store) in one process, driven
 * through the simulator API with in-process HTTP requests.
 */
export class BotHarness {
  private constructor(
    readonly catalog: Catalog,
    readonly calendar: WorkingCalendar,
    readonly store: Store,
    readonly clock: TestClock,
    readonly pipeline: InboundPipeline,
    readonly app: ReturnType<typeof createWebApp>,
  ) {}

  static async create(options: { store?: Store; clock?: TestClock; idleMinutes?: number; catalog?: Catalog } = {}) {
    const catalog = options.catalog ?? (await loadShippedCatalog());
    const store = options.store ?? SqliteStore.open(':memory:');
    const clock = options.clock ?? new TestClock();
    const calendar = await loadShippedCalendar();
    const logger = createSilentLogger();
    const idleMinutes = options.idleMinutes ?? 30;
    const conversations = new ConversationService({
      catalog,
      matcher: createMatcher(catalog),
      store,
      calendar,
      logger,
      idleMinutes,
    });
    const pipeline = new InboundPipeline({
      conversations,
      handlers: createMessageHandlers({ catalog, store, calendar, logger, clock: clock.now, idleMinutes }),
      catalog,
      logger,
      pingStore: () => store.ping(),
      deliverLater: async (message, replies) => {
        await store.enqueueOutbound(toOutboundMessages(message, replies, clock.now()));
      },
    });
    const app = createWebApp(webOptionsOf({ catalog, store, clock, pipeline }));
    return new BotHarness(catalog, calendar, store, clock, pipeline, app);
  }

  /** Returns web server options on this harness's pipeline, store and clock, simulator on; `overrides` replace any of them. */
  webOptions(overrides: Partial<WebServerOptions> = {}): WebServerOptions {
    return webOptionsOf(this, overrides);
  }

  /** Starts a web server on this harness on a free loopback port. */
  serve(overrides: Partial<WebServerOptions> = {}): Promise<WebServer> {
    return startWebServer({ host: '127.0.0.1', port: 0, ...this.webOptions(overrides) });
  }

  /** Posts a raw JSON body to the simulator API. */
  async post(body: unknown): Promise<SimulatorResponse> {
    const response = await this.app.request('/api/simulator/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as SimulatorResponse['body'] };
  }

  /** Sends a message as `user` and returns the replies; fails the test on a non-200 response. */
  async send(user: string, text: string, id?: string): Promise<Reply[]> {
    const response = await this.post({ user, text, id: id ?? `m-${randomUUID()}` });
    if (response.status !== 200) throw new Error(`Simulator answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.replies ?? [];
  }

  /** Sends a message and returns all reply texts joined, for text assertions. */
  async sendText(user: string, text: string): Promise<string> {
    return joinReplies(await this.send(user, text));
  }
}

/** Joins reply texts with blank lines. */
export function joinReplies(replies: Reply[]): string {
  return replies.map((reply) => reply.text).join('\n\n');
}

/** Returns the options of the last reply that has any. */
export function lastOptions(replies: Reply[]): Array<{ key: string; label: string }> {
  return [...replies].reverse().find((reply) => reply.options)?.options ?? [];
}

/** Builds web server options from a harness's parts; see BotHarness.webOptions. */
function webOptionsOf(
  parts: { catalog: Catalog; store: Store; clock: TestClock; pipeline: InboundPipeline },
  overrides: Partial<WebServerOptions> = {},
): WebServerOptions {
  return {
    pipeline: parts.pipeline,
    logger: createSilentLogger(),
    office: parts.catalog.office,
    simulatorEnabled: true,
    clock: parts.clock.now,
    takeOutbound: (channel, userId, now) => parts.store.takeOutbound(channel, userId, now),
    ...overrides,
  };
}
