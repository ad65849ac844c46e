import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log/logger.js';
import { AdminAlerts } from '../../src/reminders/admin-alerts.js';
import { wib } from '../calendar/office-calendar.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';
import { TestClock } from '../support/harness.js';
import { createReminderRig } from './reminder-rig.js';
import { testRoster } from './test-roster.js';

const monday = wib('2026-12-07T09:00');

describe('officer pings', () => {
  it('shows a confidential citizen only to the Pejabat Pengelola Pengaduan', async () => {
    const rig = await createReminderRig({ clock: new TestClock(monday) });
    const complaint = await fileComplaint(
      rig.store,
      newComplaint({
        receivedAt: monday,
        dueAt: wib('2026-12-07T12:00'),
        topic: { kind: 'payment' },
        identity: 'confidential',
        citizenName: 'Rahasia Sekali',
        channel: 'whatsapp',
        userId: '6281234567890',
      }),
    );
    expect(await rig.scan.announce(complaint, monday)).toBe(true);
    // Announced once only, also by the scan.
    expect(await rig.scan.announce(complaint, monday)).toBe(false);
    expect((await rig.scheduler.tick())?.queued).not.toContain(`${complaint.ticket}|baru`);

    const pings = await rig.store.listDeliveries({ ticket: complaint.ticket });
    expect(pings.map((ping) => ping.userId)).toEqual(['pengelola', 'gratifikasi']);
    const [forManager, forGratification] = pings;
    expect(forManager?.text).toContain('Rahasia Sekali (whatsapp 6281234567890)');
    expect(forGratification?.text).not.toContain('Rahasia');
    expect(forGratification?.text).not.toContain('6281234567890');
    expect(forGratification?.text).toContain('Pelapor: dirahasiakan');
    expect(forManager?.text).toContain(`lihat ${complaint.ticket}`);
  });

  it('sends reminders of an absent assignee to the backup', async () => {
    const directory = testRoster([
      { id: 'pengelola', roles: ['pengelola_pengaduan'] },
      { id: 'tim-1', roles: ['tim_pengelola'], absences: [{ from: '2026-12-09', until: '2026-12-11', backup: 'tim-2' }] },
      { id: 'tim-2', roles: ['tim_pengelola'] },
    ]);
    const rig = await createReminderRig({ clock: new TestClock(monday), directory });
    const filed = await fileComplaint(rig.store, newComplaint({ receivedAt: monday, dueAt: monday, channel: 'web', userId: 'warga-cuti' }));
    const classified = await rig.complaints.classify(filed.ticket, 'normatif', 'pengelola');
    const assigned = await rig.store.updateComplaint({
      ticket: filed.ticket,
      expectedRevision: classified.revision,
      changes: { assignee: 'tim-1' },
      history: { at: monday, actor: 'pengelola', from: 'diverifikasi', to: 'diverifikasi', note: 'Ditugaskan kepada tim-1' },
      outbound: [],
      now: monday,
    });
    expect(assigned).not.toBe('conflict');

    // 50% falls on Thursday 10 December and 80% on Friday, during the absence; the deadline on
    // Monday 14 December, after it.
    for (const at of ['2026-12-10T08:15', '2026-12-11T15:18', '2026-12-14T16:00']) {
      rig.clock.set(wib(at));
      await rig.scheduler.tick();
    }
    const officerMessages = (await rig.store.listDeliveries({ ticket: filed.ticket })).filter((each) => each.userId !== 'warga-cuti');
    const reminders = officerMessages.filter((each) => !each.text.includes('Eskalasi'));
    expect(reminders.map((each) => [each.userId, each.text.split('\n')[0]])).toEqual([
      ['tim-2', expect.stringContaining('50%')],
      ['tim-2', expect.stringContaining('80%')],
      ['tim-1', expect.stringContaining('Batas waktu')],
    ]);
    // This roster has no atasan: the escalation is recorded without a message.
    expect(officerMessages.filter((each) => each.text.includes('Eskalasi'))).toEqual([]);
  });

  it('sends each handler a morning digest once per working day', async () => {
    const rig = await createReminderRig({ clock: new TestClock(wib('2026-12-07T07:00')) });
    await fileComplaint(rig.store, newComplaint({ receivedAt: wib('2026-12-04T10:00'), dueAt: wib('2026-12-04T13:00'), channel: 'web', userId: 'warga-a' }));
    const later = await fileComplaint(
      rig.store,
      newComplaint({ receivedAt: wib('2026-12-07T06:00'), dueAt: wib('2026-12-07T10:30'), channel: 'web', userId: 'warga-b' }),
    );

    // Before the opening at 07:30 no digest; at 07:30 one for the Pejabat Pengelola Pengaduan.
    expect((await rig.scheduler.tick())?.queued.filter((key) => key.startsWith('ringkasan'))).toEqual([]);
    rig.clock.set(wib('2026-12-07T07:30'));
    expect((await rig.scheduler.tick())?.queued.filter((key) => key.startsWith('ringkasan'))).toEqual(['ringkasan|2026-12-07|pengelola']);
    rig.clock.set(wib('2026-12-07T07:31'));
    expect((await rig.scheduler.tick())?.queued.filter((key) => key.startsWith('ringkasan'))).toEqual([]);

    const [digest] = await rig.store.listOutbound({ channel: 'web', userId: 'pengelola' }).then((messages) => messages.filter((each) => each.text.includes('Ringkasan')));
    const lines = digest!.text.split('\n');
    expect(lines[0]).toContain('2 pengaduan terbuka');
    expect(lines[1]).toMatch(/ADU-2026-\d{5}: .*\(terlambat\)$/);
    expect(lines[2]).toContain(later.ticket);
    expect(lines[2]).not.toContain('terlambat');
    // 2027's holiday file is provisional, so the digest carries the calendar warning.
    expect(digest!.text).toContain('Perhatian kalender');

    // Saturday: no digest.
    rig.clock.set(wib('2026-12-12T09:00'));
    expect((await rig.scheduler.tick())?.queued.filter((key) => key.startsWith('ringkasan'))).toEqual([]);
  });

  it('alerts admins once per problem', async () => {
    const directory = testRoster([
      { id: 'pengelola', roles: ['pengelola_pengaduan'] },
      { id: 'admin', roles: ['admin'] },
    ]);
    const rig = await createReminderRig({ clock: new TestClock(monday), directory });
    const alerts = new AdminAlerts({ store: rig.store, directory, notices: rig.notices, clock: rig.clock.now, logger: createSilentLogger() });
    const message = { id: 'pesan-1', channel: 'telegram', userId: '555', text: 'Status berubah', ticket: 'ADU-2026-00042', createdAt: monday, attempts: 7, claimToken: 'x' };

    await alerts.deadLetter({ message, error: '502 Bad Gateway (after 8 attempts)', unreachable: false });
    await alerts.deadLetter({ message, error: '502 Bad Gateway (after 8 attempts)', unreachable: false });
    await alerts.deadLetter({ message: { ...message, id: 'pesan-2' }, error: '403 Forbidden', unreachable: true });
    // An officer of the roster that cannot be reached is a wrong address: the admins hear of it.
    await alerts.deadLetter({ message: { ...message, id: 'pesan-4', channel: 'web', userId: 'pengelola' }, error: 'chat not found', unreachable: true });
    // An alert to the admin itself that failed does not alert again.
    await alerts.deadLetter({ message: { ...message, id: 'pesan-3', channel: 'web', userId: 'admin' }, error: 'gagal', unreachable: false });
    await alerts.longWait({ channel: 'telegram', retryAfterMs: 7_200_000 });
    await alerts.longWait({ channel: 'telegram', retryAfterMs: 7_200_000 });
    await alerts.channelProblem({ channel: 'telegram', kind: 'token-rejected' });
    await alerts.channelProblem({ channel: 'telegram', kind: 'token-rejected' });
    await alerts.channelProblem({ channel: 'whatsapp', kind: 'something-new' });

    const received = await rig.store.listOutbound({ channel: 'web', userId: 'admin' });
    expect(received.map((each) => each.text)).toEqual([
      'Pesan tentang ADU-2026-00042 tidak dapat dikirim lewat telegram: 502 Bad Gateway (after 8 attempts)',
      'Pesan tentang ADU-2026-00042 tidak dapat dikirim lewat web: chat not found',
      'Layanan telegram meminta bot menunggu 120 menit sebelum mengirim lagi. Pesan tetap diantrekan.',
      '*Kanal telegram bermasalah:* Telegram menolak token bot. Periksa TELEGRAM_BOT_TOKEN lalu jalankan ulang bot.',
      '*Kanal whatsapp bermasalah:* Kanal sedang terganggu. Periksa log bot.',
    ]);
  });
});
