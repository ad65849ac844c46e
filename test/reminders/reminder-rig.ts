import { ComplaintService } from '../../src/complaints/complaint-service.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { OutboxDispatcher } from '../../src/outbox/outbox-dispatcher.js';
import type { OutboxSender } from '../../src/outbox/outbox-sender.js';
import type { Roster } from '../../src/officers/roster.js';
import { OfficerNotices } from '../../src/reminders/officer-notices.js';
import { ReminderScan } from '../../src/reminders/reminder-scan.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { loadShippedCalendar, loadShippedCatalog, TestClock } from '../support/harness.js';
import { standardTestRoster } from './test-roster.js';

/** The scheduler's parts on one store with a test clock, as the app wires them. */
export async function createReminderRig(options: { store?: Store; clock?: TestClock; directory?: Roster; senders?: OutboxSender[] } = {}) {
  const catalog = await loadShippedCatalog();
  const calendar = await loadShippedCalendar();
  const store = options.store ?? SqliteStore.open(':memory:');
  const clock = options.clock ?? new TestClock();
  const directory = options.directory ?? standardTestRoster();
  const logger = createSilentLogger();
  const complaints = new ComplaintService({ store, settings: catalog.complaints, calendar, clock: clock.now, logger });
  const notices = new OfficerNotices({ catalog, complaintSettings: catalog.complaints, calendar, directory });
  const scan = new ReminderScan({ store, complaints, notices, directory, settings: catalog.complaints.reminders, complaintSettings: catalog.complaints, calendar, logger });
  const dispatcher = new OutboxDispatcher({ store, senders: options.senders ?? [], clock: clock.now, logger, pause: async () => {} });
  const scheduler = new Scheduler({ store, scan, dispatcher, clock: clock.now, logger, scanCron: '* * * * *', timeZone: calendar.timeZone });
  return { catalog, calendar, store, clock, directory, complaints, notices, scan, dispatcher, scheduler };
}
