import { describe, expect, it } from 'vitest';
import { wib } from '../calendar/office-calendar.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';
import { TestClock } from '../support/harness.js';
import { createReminderRig } from './reminder-rig.js';

/**
 * One complaint from arrival to the automatic close on a simulated clock. It arrives on
 * Friday 29 May 2026 at 15:00 WIB; Monday 1 June is Hari Lahir Pancasila, so the office is
 * closed from Friday 16:30 to Tuesday 07:30. The expected instants are worked out by hand
 * from the office hours (Mon–Thu 07:30–12:00 and 13:00–16:00, Fri 07:30–11:30 and
 * 13:00–16:30) and the 2026 holiday list.
 */
describe('a complaint received on a Friday afternoon before a holiday', () => {
  it('pings on time, then closes itself', async () => {
    const clock = new TestClock(wib('2026-05-29T15:00'));
    const rig = await createReminderRig({ clock });
    const { calendar, complaints, scheduler, store } = rig;

    const receivedAt = wib('2026-05-29T15:00');
    const ringanDue = calendar.computeDeadline(receivedAt, { amount: 3, unit: 'officeHours' });
    // 1.5 office hours on Friday, then 1.5 on Tuesday from 07:30.
    expect(ringanDue).toEqual(wib('2026-06-02T09:00'));
    const filed = await fileComplaint(store, newComplaint({ year: 2026, receivedAt, dueAt: ringanDue, channel: 'web', userId: 'warga-jumat' }));
    const { ticket } = filed;

    /** Ticks one minute before `at` (nothing of this ticket is due) and at `at` (exactly `expected`). */
    const expectDueAt = async (at: Date, expected: string[]) => {
      clock.set(new Date(at.getTime() - 60_000));
      expect((await scheduler.tick())?.queued.filter((key) => key.startsWith(ticket)), `nothing before ${at.toISOString()}`).toEqual([]);
      clock.set(at);
      expect((await scheduler.tick())?.queued.filter((key) => key.startsWith(ticket)), `due at ${at.toISOString()}`).toEqual(expected);
    };
    const key = (rule: string, dueAt: Date) => `${ticket}|${rule}|${dueAt.toISOString()}`;

    // Arrival: the Pejabat Pengelola Pengaduan is pinged at once.
    clock.set(receivedAt);
    expect((await scheduler.tick())?.queued).toContain(`${ticket}|baru`);

    // Unclassified, the 3 office hours to classify count: 50% at Friday's closing, 80% on Tuesday.
    await expectDueAt(wib('2026-05-29T16:30'), [key('setengah-waktu', ringanDue)]);
    await expectDueAt(wib('2026-06-02T08:24'), [key('delapan-puluh-persen', ringanDue)]);

    // Classified as normatif before its ringan deadline: 5 working days from the day of receipt.
    clock.set(wib('2026-06-02T08:30'));
    const classified = await complaints.classify(ticket, 'normatif', 'pengelola');
    const due = wib('2026-06-08T16:00');
    expect(classified.dueAt).toEqual(due);
    // The ringan deadline no longer applies.
    clock.set(wib('2026-06-02T09:00'));
    expect((await scheduler.tick())?.queued.filter((each) => each.startsWith(ticket))).toEqual([]);

    // 39 office hours from receipt to the deadline: 50% after 19.5, 80% after 31.2.
    await expectDueAt(wib('2026-06-04T10:30'), [key('setengah-waktu', due)]);
    await expectDueAt(wib('2026-06-05T16:12'), [key('delapan-puluh-persen', due)]);
    await expectDueAt(due, [key('batas-waktu', due), key('eskalasi-atasan', due)]);
    await expectDueAt(wib('2026-06-10T16:00'), [key('eskalasi-sekretaris', due)]);
    await expectDueAt(wib('2026-06-15T16:00'), [key('eskalasi-kepala-dinas', due)]);

    // Who received what, in order.
    const recipients = async (text: string) =>
      (await store.listDeliveries({ ticket, limit: 1000 })).filter((each) => each.text.includes(text)).map((each) => each.userId);
    expect(await recipients('Pengaduan baru')).toEqual(['pengelola']);
    expect(await recipients('Pengingat')).toEqual(['pengelola', 'pengelola', 'pengelola', 'pengelola']);
    expect(await recipients('Batas waktu pengaduan')).toEqual(['pengelola']);
    expect(await recipients('Eskalasi')).toEqual(['atasan-kelembagaan', 'atasan-umum', 'sekretaris', 'kadis']);

    // The answer, then the citizen says it is not settled, then a second answer.
    clock.set(wib('2026-06-16T10:00'));
    await complaints.setStatus(ticket, 'diproses', 'pengelola');
    await complaints.setStatus(ticket, 'dijawab', 'pengelola', { answer: 'Izin Bapak/Ibu sudah terbit dan dapat diambil di loket.' });
    clock.set(wib('2026-06-17T09:00'));
    await complaints.setStatus(ticket, 'diproses', 'citizen', { note: 'Belum selesai: izinnya belum ada di loket.' });
    // Reopened, it is still overdue, but nothing is sent twice.
    expect((await scheduler.tick())?.queued.filter((each) => each.startsWith(ticket))).toEqual([]);
    clock.set(wib('2026-06-18T10:00'));
    await complaints.setStatus(ticket, 'dijawab', 'pengelola', { answer: 'Mohon maaf, izin sudah kami antar ke loket pagi ini.' });

    // No reply for 10 working days after the second answer: Thursday 2 July at closing.
    clock.set(wib('2026-07-02T15:59'));
    expect((await scheduler.tick())?.closed).toEqual([]);
    clock.set(wib('2026-07-02T16:00'));
    expect((await scheduler.tick())?.closed).toEqual([ticket]);
    const closed = await store.findComplaint(ticket);
    expect(closed?.status).toBe('selesai');
    expect(closed?.history.at(-1)).toMatchObject({
      actor: 'system',
      from: 'dijawab',
      to: 'selesai',
      note: 'Ditutup otomatis: pelapor tidak membalas dalam 10 hari kerja setelah dijawab',
    });
    const citizenMessages = await store.listOutbound({ channel: 'web', userId: 'warga-jumat' });
    expect(citizenMessages.at(-1)?.text).toContain('Selesai');
    // Closing twice does nothing.
    clock.set(wib('2026-07-03T08:00'));
    expect((await scheduler.tick())?.closed).toEqual([]);
  });
});
