import { once } from 'node:events';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { wib } from '../../calendar/office-calendar.js';
import { fileComplaint, newComplaint } from '../complaint-fixtures.js';

/**
 * Files complaints from a separate process, for the two-process ticket-sequence test:
 * `tsx file-complaints.ts <data dir> <count> <user prefix>`. Prints `ready` once the store is
 * open, starts filing when a line arrives on stdin, so that two processes start together,
 * then prints the tickets as a JSON array.
 */
const [dataDir, count, prefix] = process.argv.slice(2);
if (!dataDir || !count || !prefix) throw new Error('usage: file-complaints.ts <data dir> <count> <user prefix>');

const store = SqliteStore.open(dataDir);
console.log('ready');
await once(process.stdin, 'data');
process.stdin.pause();

const tickets: string[] = [];
for (let index = 0; index < Number(count); index++) {
  const complaint = await fileComplaint(store, newComplaint({ userId: `${prefix}-${index}`, receivedAt: wib('2026-12-04T14:00') }));
  tickets.push(complaint.ticket);
  // A filing takes well under a millisecond; the pause spreads this process's filings out so
  // that they interleave with the other process's.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await store.close();
console.log(JSON.stringify(tickets));
