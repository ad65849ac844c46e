import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { wib } from '../calendar/office-calendar.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';
import { TestClock } from '../support/harness.js';
import { createReminderRig } from './reminder-rig.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function dataDir(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'sapa-reminders-'));
  folders.push(folder);
  return folder;
}

/**
 * A normatif complaint received Monday 7 Dec 2026 09:00 WIB has 43.5 office hours until its
 * deadline, Monday 14 Dec 16:00: 50% falls on Thursday 10 Dec 08:15, 80% on Friday 11 Dec 15:18.
 */
const receivedAt = wib('2026-12-07T09:00');

describe('reminder scheduler', () => {
  it('sends missed reminders once after restart', async () => {
    const folder = dataDir();
    const before = await createReminderRig({ store: SqliteStore.open(folder), clock: new TestClock(receivedAt) });
    const filed = await fileComplaint(before.store, newComplaint({ receivedAt, dueAt: receivedAt, channel: 'web', userId: 'warga-henti' }));
    const classified = await before.complaints.classify(filed.ticket, 'normatif', 'pengelola');
    const due = classified.dueAt;
    expect(due).toEqual(wib('2026-12-14T16:00'));
    before.clock.set(wib('2026-12-09T12:00'));
    expect((await before.scheduler.tick())?.queued.filter((each) => each.startsWith(filed.ticket))).toEqual([]);
    // Stopped without releasing its lease, as a crash would.
    await before.store.close();

    // Back a day after the deadline: the lease has expired, and three points are overdue.
    const after = await createReminderRig({ store: SqliteStore.open(folder), clock: new TestClock(wib('2026-12-15T08:00')) });
    const queued = (await after.scheduler.tick())?.queued ?? [];
    const key = (rule: string) => `${filed.ticket}|${rule}|${due.toISOString()}`;
    expect(queued).toEqual(
      expect.arrayContaining([key('setengah-waktu'), key('delapan-puluh-persen'), key('batas-waktu'), key('eskalasi-atasan')]),
    );
    expect(queued.filter((each) => each.startsWith(filed.ticket))).toHaveLength(4);
    // The next runs send none of them again.
    after.clock.advanceMinutes(1);
    expect((await after.scheduler.tick())?.queued.filter((each) => each.startsWith(filed.ticket))).toEqual([]);
    const reminders = (await after.store.listDeliveries({ ticket: filed.ticket, limit: 100 })).filter((each) => each.text.startsWith('Pengingat'));
    expect(reminders.map((each) => each.text.match(/memakai (\d+)%/)?.[1])).toEqual(['50', '80']);
    await after.store.close();
  });

  it('one instance scans, other takes over', async () => {
    const folder = dataDir();
    const clock = new TestClock(receivedAt);
    const first = await createReminderRig({ store: SqliteStore.open(folder), clock });
    const second = await createReminderRig({ store: SqliteStore.open(folder), clock });
    const filed = await fileComplaint(first.store, newComplaint({ receivedAt, dueAt: receivedAt, channel: 'web', userId: 'warga-dua' }));
    await first.complaints.classify(filed.ticket, 'normatif', 'pengelola');

    clock.set(wib('2026-12-10T10:00'));
    const [a, b] = await Promise.all([first.scheduler.tick(), second.scheduler.tick()]);
    expect([a, b].filter((result) => result === undefined)).toHaveLength(1);
    expect([...(a?.queued ?? []), ...(b?.queued ?? [])].filter((each) => each.startsWith(filed.ticket))).toHaveLength(1);

    // The lease holder dies without releasing it; once it has expired the other instance scans.
    const holder = a === undefined ? second : first;
    const other = holder === first ? second : first;
    await holder.store.close();
    clock.set(wib('2026-12-11T15:18'));
    expect((await other.scheduler.tick())?.queued.filter((each) => each.startsWith(filed.ticket))).toHaveLength(1);
    await other.store.close();
  });

  it('concurrent scans queue each point once', async () => {
    const folder = dataDir();
    const clock = new TestClock(receivedAt);
    const first = await createReminderRig({ store: SqliteStore.open(folder), clock });
    const second = await createReminderRig({ store: SqliteStore.open(folder), clock });
    const filed = await fileComplaint(first.store, newComplaint({ receivedAt, dueAt: receivedAt, channel: 'web', userId: 'warga-lomba' }));
    await first.complaints.classify(filed.ticket, 'normatif', 'pengelola');

    const at = wib('2026-12-15T08:00');
    const [a, b] = await Promise.all([first.scan.run(at), second.scan.run(at)]);
    const queued = [...a.queued, ...b.queued].filter((each) => each.startsWith(filed.ticket));
    expect(queued).toHaveLength(new Set(queued).size);
    expect(queued).toHaveLength(4);
    await Promise.all([first.store.close(), second.store.close()]);
  });

  it('keeps scanning after a failed scan', async () => {
    const rig = await createReminderRig({ clock: new TestClock(receivedAt) });
    await rig.store.close();
    expect(await rig.scheduler.tick()).toBeUndefined();
    expect(await rig.scheduler.dispatch()).toBe(0);
  });
});
