import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHolidayCalendar } from '../../src/calendar/load-holiday-calendar.js';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load.js';
import { createMatcher } from '../../src/catalog/matcher.js';
import { createWebApp } from '../../src/channels/web/server.js';
import { ConversationService } from '../../src/conversation/conversation-service.js';
import type { Reply } from '../../src/conversation/reply.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { toOutboundMessages } from '../../src/pipeline/deliver-later.js';
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
    const conversations = new ConversationService({
      catalog,
      matcher: createMatcher(catalog),
      store,
      calendar,
      logger,
      idleMinutes: options.idleMinutes ?? 30,
    });
    const pipeline = new InboundPipeline({
      conversations,
      catalog,
      logger,
      pingStore: () => store.ping(),
      deliverLater: async (message, replies) => {
        await store.enqueueOutbound(toOutboundMessages(message, replies, clock.now()));
      },
    });
    const app = createWebApp({
      pipeline,
      logger,
      office: catalog.office,
      simulatorEnabled: true,
      clock: clock.now,
      takeOutbound: (channel, userId, now) => store.takeOutbound(channel, userId, now),
    });
    return new BotHarness(catalog, calendar, store, clock, pipeline, app);
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
