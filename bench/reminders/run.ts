/**
 * Measures the reminder scan and the outbox dispatcher on the embedded store: a scan over
 * many open complaints (the first one queues every point that is due, later ones find
 * nothing new), and dispatcher rounds with a sender that returns at once.
 *
 * Usage: npm run bench:reminders -- [--complaints 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ComplaintService } from '../../src/complaints/complaint-service.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { OutboxDispatcher } from '../../src/outbox/outbox-dispatcher.js';
import { OfficerNotices } from '../../src/reminders/officer-notices.js';
import { ReminderScan } from '../../src/reminders/reminder-scan.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fileComplaint, newComplaint } from '../../test/complaints/complaint-fixtures.js';
import { standardTestRoster } from '../../test/reminders/test-roster.js';
import { loadShippedCalendar, loadShippedCatalog } from '../../test/support/harness.js';

const { values } = parseArgs({ options: { complaints: { type: 'string', default: '2000' } } });
const count = Number(values.complaints);

const folder = mkdtempSync(path.join(tmpdir(), 'sapa-bench-reminders-'));
try {
  const catalog = await loadShippedCatalog();
  const calendar = await loadShippedCalendar();
  const store = SqliteStore.open(folder);
  const logger = createSilentLogger();
  const directory = standardTestRoster();
  let now = new Date('2026-12-07T02:00:00Z');
  const clock = () => now;
  const complaints = new ComplaintService({ store, settings: catalog.complaints, calendar, clock, logger });
  const notices = new OfficerNotices({ catalog, complaintSettings: catalog.complaints, calendar, directory });
  const scan = new ReminderScan({ store, complaints, notices, directory, settings: catalog.complaints.reminders, complaintSettings: catalog.complaints, calendar, logger });

  // Complaints received over the 30 days before the scan, a quarter of each class.
  const classes = ['ringan', 'normatif', 'tidak_berkadar_pengawasan', 'berkadar_pengawasan'];
  for (let index = 0; index < count; index++) {
    const receivedAt = new Date(now.getTime() - ((index * 37) % (30 * 24 * 60)) * 60_000);
    const filed = await fileComplaint(store, newComplaint({ receivedAt, dueAt: receivedAt, channel: 'web', userId: `warga-${index}` }));
    await complaints.classify(filed.ticket, classes[index % classes.length]!, 'pengelola');
  }

  const timed = async <T>(run: () => Promise<T>) => {
    const start = performance.now();
    const result = await run();
    return { result, ms: performance.now() - start };
  };
  const first = await timed(() => scan.run(now));
  const again = await timed(() => scan.run(now));

  // Dispatcher: every queued officer message through a sender that succeeds at once.
  const senders = [{ channel: 'web', send: async () => ({ status: 'sent' as const }) }];
  const dispatcher = new OutboxDispatcher({ store, senders, clock, logger, tuning: { batchSize: 200, minIntervalMs: {} } });
  let sent = 0;
  const dispatch = await timed(async () => {
    for (;;) {
      const attempted = await dispatcher.runOnce();
      if (attempted === 0) return;
      sent += attempted;
    }
  });
  now = new Date(now.getTime() + 60_000);

  console.log(`complaints: ${count}`);
  console.log(`first scan: ${first.ms.toFixed(0)} ms, ${first.result.queued.length} notices queued`);
  console.log(`next scan: ${again.ms.toFixed(0)} ms, ${again.result.queued.length} notices queued`);
  console.log(`dispatch: ${sent} messages in ${dispatch.ms.toFixed(0)} ms (${((sent / dispatch.ms) * 1000).toFixed(0)} msg/s)`);
  await store.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
