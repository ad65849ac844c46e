import path from 'node:path';
import { loadHolidayCalendar } from './calendar/load-holiday-calendar.js';
import { WorkingCalendar } from './calendar/working-calendar.js';
import { loadCatalog, type Catalog } from './catalog/load.js';
import { createMatcher } from './catalog/matcher.js';
import { startWebServer, type WebServer } from './channels/web/server.js';
import type { Config } from './config/config.js';
import { ConversationService } from './conversation/conversation-service.js';
import type { Logger } from './log/logger.js';
import { InboundPipeline } from './pipeline/inbound-pipeline.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** Maximum wait for messages in flight at shutdown, in milliseconds. */
const shutdownGraceMs = 10_000;

/** The running bot. */
export interface App {
  catalog: Catalog;
  calendar: WorkingCalendar;
  pipeline: InboundPipeline;
  store: Store;
  web: WebServer;
  /** Stops taking messages, finishes the ones in flight, then closes the server and the store. */
  close(): Promise<void>;
}

/** Wires the parts from the config and starts them. `clock` is injected for tests. */
export async function startApp(config: Config, logger: Logger, clock: () => Date = () => new Date()): Promise<App> {
  const catalog = await loadCatalog(config.officeDir);
  logger.info({ office: catalog.office.id, services: catalog.services.length }, 'office content loaded');

  const calendar = new WorkingCalendar({
    timeZone: catalog.office.timeZone,
    timeZoneLabel: catalog.office.timeZoneLabel,
    officeHours: catalog.office.officeHours,
    years: await loadHolidayCalendar(path.join(config.flowsDir, 'holidays')),
  });
  for (const warning of calendar.warnings(clock())) logger.warn({ year: warning.year, status: warning.status }, warning.message);

  const store = await openStore(config, logger);

  const conversations = new ConversationService({
    catalog,
    matcher: createMatcher(catalog),
    store,
    calendar,
    logger,
    idleMinutes: config.sessionIdleMinutes,
  });
  const pipeline = new InboundPipeline({ conversations, catalog, logger });

  const web = await startWebServer({
    host: config.host,
    port: config.port,
    pipeline,
    logger,
    office: catalog.office,
    simulatorEnabled: config.simulatorEnabled,
    clock,
    takeOutbound: (channel, userId) => store.takeOutbound(channel, userId),
  });
  logger.info({ url: web.url, simulator: config.simulatorEnabled }, 'web server listening');

  return {
    catalog,
    calendar,
    pipeline,
    store,
    web,
    async close() {
      const drained = await pipeline.close(shutdownGraceMs);
      if (!drained) logger.warn({ graceMs: shutdownGraceMs }, 'shutdown grace period ended with messages in flight');
      await web.close();
      await store.close();
      logger.info('stopped');
    },
  };
}
