import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../src/calendar/index.js';
import type { Complaint, NewComplaint } from '../../src/complaints/complaint.js';
import { ComplaintService } from '../../src/complaints/complaint-service.js';
import type { ComplaintSettings } from '../../src/complaints/complaint-settings.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ComplaintUpdate, Store } from '../../src/store/store.js';
import { loadOfficeCalendar, toWib, wib } from '../calendar/office-calendar.js';
import { loadShippedCatalog } from '../support/harness.js';
import { fileComplaint, newComplaint } from './complaint-fixtures.js';

let settings: ComplaintSettings;
let calendar: WorkingCalendar;
let store: SqliteStore;
let now: Date;

beforeAll(async () => {
  settings = (await loadShippedCatalog()).complaints;
  calendar = await loadOfficeCalendar();
});

beforeEach(() => {
  store = SqliteStore.open(':memory:');
  now = wib('2026-12-07T09:00');
});

function createService(onStore: Store = store): ComplaintService {
  return new ComplaintService({ store: onStore, settings, calendar, clock: () => new Date(now), logger: createSilentLogger() });
}

/** Files a complaint received at a WIB wall-clock time, with the unclassified (ringan) deadline. */
async function file(receivedAtWib = '2026-12-04T14:00', overrides: Partial<NewComplaint> = {}): Promise<Complaint> {
  const receivedAt = wib(receivedAtWib);
  const dueAt = calendar.computeDeadline(receivedAt, { amount: 3, unit: 'officeHours' });
  return fileComplaint(store, newComplaint({ receivedAt, dueAt, ...overrides }));
}

async function queuedTexts(complaint: Complaint = { channel: 'telegram', userId: '1001' } as Complaint): Promise<string[]> {
  return (await store.listOutbound({ channel: complaint.channel, userId: complaint.userId })).map((message) => message.text);
}

async function thrownBy(promise: Promise<unknown>): Promise<{ code?: string; ticket?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; ticket?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('ComplaintService.classify', () => {
  // Each deadline worked out by hand. Office hours: Mon–Thu 07:30–12:00 and 13:00–16:00,
  // Fri 07:30–11:30 and 13:00–16:30, WIB; the 2026 SKB holidays apply.
  it.each([
    // Friday 14:00: 2.5 h to closing at 16:30, then 0.5 h from Monday 07:30.
    ['2026-12-04T14:00', 'ringan', '2026-12-07T08:00'],
    // Friday 11:00: 0.5 h before the Friday break, 2.5 h from 13:00.
    ['2026-12-04T11:00', 'ringan', '2026-12-04T15:30'],
    // Saturday: counting starts at Monday's opening.
    ['2026-12-05T09:00', 'ringan', '2026-12-07T10:30'],
    // Friday: Mon 7 to Fri 11 December are the five working days; Friday closes at 16:30.
    ['2026-12-04T14:00', 'normatif', '2026-12-11T16:30'],
    // Tuesday 17 March: 18–24 March are Nyepi, Idulfitri, cuti bersama and a weekend, so the
    // five days are 25, 26, 27, 30 and 31 March.
    ['2026-03-17T10:00', 'normatif', '2026-03-31T16:00'],
    // Friday 8 May, alias of tidak_berkadar_pengawasan: 14 May, 15 May, 27 May, 28 May and
    // 1 June are holidays, so the 14th working day is Thursday 4 June.
    ['2026-05-08T15:00', 'tidak-berkadar', '2026-06-04T16:00'],
  ])('counts the deadline from receipt at %s for %s: due %s WIB', async (receivedAt, className, dueAt) => {
    const filed = await file(receivedAt);
    const classified = await createService().classify(filed.ticket, className, 'officer:rina');
    expect(classified.status).toBe('diverifikasi');
    expect(toWib(classified.dueAt)).toBe(dueAt);
    expect(toWib((await store.findComplaint(filed.ticket))!.dueAt)).toBe(dueAt);
  });

  it('counts from receipt however late the complaint is classified', async () => {
    const filed = await file('2026-12-04T14:00');
    now = wib('2026-12-10T15:00');
    const classified = await createService().classify(filed.ticket, 'berkadar', 'officer:rina');
    expect(classified.classId).toBe('berkadar_pengawasan');
    expect(classified.dueAt).toEqual(calendar.computeDeadline(filed.receivedAt, { amount: 60, unit: 'workingDays' }));
  });

  it('records the history entry and queues the citizen message', async () => {
    const filed = await file('2026-12-04T14:00');
    const classified = await createService().classify(filed.ticket, 'NORMATIF', 'officer:rina', 'Menyangkut prosedur izin.');
    expect(classified.classId).toBe('normatif');
    expect(classified.history).toEqual([
      { at: filed.receivedAt, actor: 'citizen', from: null, to: 'diterima' },
      { at: now, actor: 'officer:rina', from: 'diterima', to: 'diverifikasi', note: 'Diklasifikasikan sebagai normatif\nMenyangkut prosedur izin.' },
    ]);
    expect(await queuedTexts()).toEqual([
      'Bapak/Ibu, status pengaduan ADU-2026-00001 sekarang: *Sudah diverifikasi petugas*.\n\n' +
        'Jenis pengaduan: Pengaduan bersifat normatif\n' +
        'Batas waktu penyelesaian: Jumat, 11 Desember 2026 pukul 16.30 WIB\n\n' +
        'Terima kasih.',
    ]);
    const [message] = await store.listOutbound({});
    expect(message).toMatchObject({ channel: 'telegram', userId: '1001', ticket: 'ADU-2026-00001', createdAt: now });
  });

  it('reclassifies a complaint in progress without changing its status', async () => {
    const filed = await file('2026-12-04T14:00');
    const service = createService();
    await service.classify(filed.ticket, 'normatif', 'officer:rina');
    await service.setStatus(filed.ticket, 'diproses', 'officer:rina');
    now = wib('2026-12-08T10:00');
    const reclassified = await service.classify(filed.ticket, 'tidak_berkadar_pengawasan', 'officer:andi');
    expect(reclassified).toMatchObject({ status: 'diproses', classId: 'tidak_berkadar_pengawasan' });
    // 14 working days after Friday 4 December: 7–11, 14–18 and 21–23 December are 13, then
    // 24 (cuti bersama) and 25 December (Natal) are holidays, so the 14th is Monday 28 December.
    expect(toWib(reclassified.dueAt)).toBe('2026-12-28T16:00');
    expect(reclassified.history.at(-1)).toEqual({
      at: now,
      actor: 'officer:andi',
      from: 'diproses',
      to: 'diproses',
      note: 'Jenis diubah dari normatif menjadi tidak_berkadar_pengawasan',
    });
    expect((await queuedTexts()).at(-1)).toBe(
      'Bapak/Ibu, petugas mengubah jenis pengaduan ADU-2026-00001. Statusnya tetap: *Sedang ditindaklanjuti*.\n\n' +
        'Jenis pengaduan: Pengaduan tidak berkadar pengawasan\n' +
        'Batas waktu penyelesaian: Senin, 28 Desember 2026 pukul 16.00 WIB\n\n' +
        'Terima kasih.',
    );
  });

  it('changes nothing when a verified complaint already has the class', async () => {
    const filed = await file();
    const service = createService();
    const first = await service.classify(filed.ticket, 'normatif', 'officer:rina');
    const second = await service.classify(filed.ticket, 'normatif', 'officer:rina');
    expect(second.revision).toBe(first.revision);
    expect(await queuedTexts()).toHaveLength(1);
  });

  it('rejects an unknown class, listing the valid names', async () => {
    const filed = await file();
    const error = await thrownBy(createService().classify(filed.ticket, 'berat', 'officer:rina'));
    expect(error).toMatchObject({ code: 'unknown-class', ticket: filed.ticket });
    expect(error.message).toContain('ringan, normatif, tidak_berkadar_pengawasan');
    expect((await store.findComplaint(filed.ticket))!.revision).toBe(1);
  });

  it.each(['ditolak', 'dialihkan', 'selesai', 'dijawab'] as const)('rejects a class change on a %s complaint', async (status) => {
    const filed = await file();
    const service = createService();
    await service.classify(filed.ticket, 'ringan', 'officer:rina');
    await service.setStatus(filed.ticket, 'diproses', 'officer:rina');
    const details = { reason: 'Bukan kewenangan kami.', agency: 'Ombudsman RI', answer: 'Sudah kami tindak lanjuti.' };
    if (status === 'selesai') await service.setStatus(filed.ticket, 'dijawab', 'officer:rina', details);
    await service.setStatus(filed.ticket, status, 'officer:rina', details);
    const before = await store.findComplaint(filed.ticket);
    const queued = (await queuedTexts()).length;

    const error = await thrownBy(service.classify(filed.ticket, 'normatif', 'officer:rina'));
    expect(error).toMatchObject({ code: 'transition-not-allowed', ticket: filed.ticket });
    expect(await store.findComplaint(filed.ticket)).toEqual(before);
    expect(await queuedTexts()).toHaveLength(queued);
  });
});

describe('ComplaintService.setStatus', () => {
  async function processing(): Promise<{ service: ComplaintService; ticket: string }> {
    const filed = await file();
    const service = createService();
    await service.classify(filed.ticket, 'normatif', 'officer:rina');
    await service.setStatus(filed.ticket, 'diproses', 'officer:rina', { note: 'Diteruskan ke bidang kelembagaan.' });
    return { service, ticket: filed.ticket };
  }

  const header = (label: string) => `Bapak/Ibu, status pengaduan ADU-2026-00001 sekarang: *${label}*.`;

  it('moves to diproses with an optional note and tells the citizen', async () => {
    const { ticket } = await processing();
    const complaint = (await store.findComplaint(ticket))!;
    expect(complaint.status).toBe('diproses');
    expect(complaint.history.at(-1)).toEqual({ at: now, actor: 'officer:rina', from: 'diverifikasi', to: 'diproses', note: 'Diteruskan ke bidang kelembagaan.' });
    expect((await queuedTexts()).at(-1)).toBe(`${header('Sedang ditindaklanjuti')}\n\nTerima kasih.`);
  });

  it('stores the answer of dijawab and sends it', async () => {
    const { service, ticket } = await processing();
    const answered = await service.setStatus(ticket, 'dijawab', 'officer:rina', { answer: '  Izin Bapak/Ibu sudah terbit.  ' });
    expect(answered).toMatchObject({ status: 'dijawab', answer: 'Izin Bapak/Ibu sudah terbit.' });
    expect(answered.history.at(-1)).toMatchObject({ from: 'diproses', to: 'dijawab', note: 'Jawaban: Izin Bapak/Ibu sudah terbit.' });
    expect((await queuedTexts()).at(-1)).toBe(
      `${header('Sudah dijawab')}\n\nJawaban petugas:\nIzin Bapak/Ibu sudah terbit.\n\nTerima kasih.\n\n` +
        'Bila masalah Bapak/Ibu sudah selesai, balas *selesai*.\n' +
        'Bila belum, balas *belum selesai* diikuti alasannya, misalnya: belum selesai, surat balasan belum saya terima.',
    );
  });

  it('stores the reason of ditolak and sends it', async () => {
    const { service, ticket } = await processing();
    const rejected = await service.setStatus(ticket, 'ditolak', 'officer:rina', { reason: 'Laporan tidak disertai identitas.' });
    expect(rejected).toMatchObject({ status: 'ditolak', rejectionReason: 'Laporan tidak disertai identitas.' });
    expect((await queuedTexts()).at(-1)).toBe(`${header('Ditolak')}\n\nAlasan: Laporan tidak disertai identitas.\n\nTerima kasih.`);
  });

  it('stores the agency of dialihkan and sends it', async () => {
    const filed = await file();
    const forwarded = await createService().setStatus(filed.ticket, 'dialihkan', 'officer:rina', { agency: 'Dinas Perindustrian dan Perdagangan' });
    expect(forwarded).toMatchObject({ status: 'dialihkan', forwardedTo: 'Dinas Perindustrian dan Perdagangan' });
    expect(forwarded.history.at(-1)).toMatchObject({ from: 'diterima', to: 'dialihkan', note: 'Dialihkan kepada: Dinas Perindustrian dan Perdagangan' });
    expect(await queuedTexts()).toEqual([
      `${header('Dialihkan ke instansi lain')}\n\n` +
        'Pengaduan Bapak/Ibu kami teruskan kepada Dinas Perindustrian dan Perdagangan untuk ditindaklanjuti.\n\nTerima kasih.',
    ]);
  });

  it('reopens an answered complaint and closes it', async () => {
    const { service, ticket } = await processing();
    await service.setStatus(ticket, 'dijawab', 'officer:rina', { answer: 'Sudah kami proses.' });
    await service.setStatus(ticket, 'diproses', 'officer:rina', { note: 'Warga menyatakan belum selesai.' });
    await service.setStatus(ticket, 'dijawab', 'officer:rina', { answer: 'Izin sudah terbit.' });
    const closed = await service.setStatus(ticket, 'selesai', 'officer:rina');
    expect(closed.history.map((entry) => `${entry.from}->${entry.to}`)).toEqual([
      'null->diterima',
      'diterima->diverifikasi',
      'diverifikasi->diproses',
      'diproses->dijawab',
      'dijawab->diproses',
      'diproses->dijawab',
      'dijawab->selesai',
    ]);
    expect((await queuedTexts()).at(-1)).toBe(`${header('Selesai')}\n\nTerima kasih.`);
  });

  it.each([
    ['ditolak', 'reason'],
    ['dialihkan', 'agency'],
    ['dijawab', 'answer'],
  ] as const)('requires the detail of %s', async (status, field) => {
    const { service, ticket } = await processing();
    const before = await store.findComplaint(ticket);
    for (const details of [{}, { [field]: '   ' }, { note: 'hanya catatan' }]) {
      const error = await thrownBy(service.setStatus(ticket, status, 'officer:rina', details));
      expect(error).toMatchObject({ code: 'missing-note', ticket });
      expect(error.message).toContain(`for ${status} on complaint ${ticket}`);
    }
    expect(await store.findComplaint(ticket)).toEqual(before);
    expect(await queuedTexts()).toHaveLength(2);
  });

  it('sends diverifikasi to classify', async () => {
    const filed = await file();
    const error = await thrownBy(createService().setStatus(filed.ticket, 'diverifikasi', 'officer:rina'));
    expect(error).toMatchObject({ code: 'transition-not-allowed', ticket: filed.ticket });
    expect(error.message).toContain('only by classifying it');
  });

  it('leaves the complaint unchanged and queues nothing on a forbidden transition', async () => {
    const filed = await file();
    const before = await store.findComplaint(filed.ticket);
    for (const to of ['diproses', 'dijawab', 'selesai', 'diterima'] as const) {
      const error = await thrownBy(createService().setStatus(filed.ticket, to, 'officer:rina', { answer: 'x' }));
      expect(error).toMatchObject({ code: 'transition-not-allowed', ticket: filed.ticket });
      expect(error.message).toContain(`from diterima to ${to}`);
    }
    expect(await store.findComplaint(filed.ticket)).toEqual(before);
    expect(await queuedTexts()).toEqual([]);
  });
});

describe('ComplaintService lookups and errors', () => {
  it('shows and lists complaints', async () => {
    const first = await file('2026-12-04T14:00');
    const second = await file('2026-12-04T11:00', { userId: '1002' });
    const service = createService();
    expect((await service.show(first.ticket)).ticket).toBe('ADU-2026-00001');
    // Soonest deadline first: the complaint received at 11:00 is due at 15:30 the same day.
    expect((await service.list()).map((complaint) => complaint.ticket)).toEqual([second.ticket, first.ticket]);
    expect(await service.list({ statuses: ['selesai'] })).toEqual([]);
  });

  it('reports an unknown ticket as not-found, naming it', async () => {
    const service = createService();
    const attempts = [
      () => service.show('ADU-2026-00042'),
      () => service.classify('ADU-2026-00042', 'ringan', 'officer:rina'),
      () => service.setStatus('ADU-2026-00042', 'ditolak', 'officer:rina', { reason: 'Duplikat.' }),
    ];
    for (const attempt of attempts) {
      const error = await thrownBy(attempt());
      expect(error).toMatchObject({ code: 'not-found', ticket: 'ADU-2026-00042' });
      expect(error.message).toContain('ADU-2026-00042');
    }
  });
});

describe('ComplaintService concurrency', () => {
  /** Wraps the store so that `beforeUpdate` runs before each updateComplaint call. */
  function interceptUpdates(beforeUpdate: (update: ComplaintUpdate, call: number) => Promise<void>): Store {
    let calls = 0;
    return new Proxy(store, {
      get(target, property) {
        if (property === 'updateComplaint') {
          return async (update: ComplaintUpdate) => {
            await beforeUpdate(update, ++calls);
            return target.updateComplaint(update);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  it('reloads and retries when another officer changed the complaint in between', async () => {
    const filed = await file();
    await createService().classify(filed.ticket, 'normatif', 'officer:rina');
    const other = createService();
    const racing = createService(
      interceptUpdates(async (_update, call) => {
        if (call === 1) await other.classify(filed.ticket, 'berkadar', 'officer:andi');
      }),
    );
    const result = await racing.setStatus(filed.ticket, 'diproses', 'officer:rina');
    expect(result).toMatchObject({ status: 'diproses', classId: 'berkadar_pengawasan', revision: 4 });
    expect(result.history.slice(2).map((entry) => [entry.actor, entry.from, entry.to])).toEqual([
      ['officer:andi', 'diverifikasi', 'diverifikasi'],
      ['officer:rina', 'diverifikasi', 'diproses'],
    ]);
    expect(await queuedTexts()).toHaveLength(3);
  });

  it('checks the transition again on the reloaded complaint', async () => {
    const filed = await file();
    await createService().classify(filed.ticket, 'normatif', 'officer:rina');
    const other = createService();
    const racing = createService(
      interceptUpdates(async (_update, call) => {
        if (call === 1) await other.setStatus(filed.ticket, 'ditolak', 'officer:andi', { reason: 'Duplikat.' });
      }),
    );
    const error = await thrownBy(racing.setStatus(filed.ticket, 'diproses', 'officer:rina'));
    expect(error).toMatchObject({ code: 'transition-not-allowed' });
    expect((await store.findComplaint(filed.ticket))!.status).toBe('ditolak');
  });

  it('gives up with concurrent-change when the complaint keeps changing', async () => {
    const filed = await file();
    const other = createService();
    let calls = 0;
    const racing = createService(
      interceptUpdates(async (_update, call) => {
        calls = call;
        const current = (await store.findComplaint(filed.ticket))!;
        await other.classify(filed.ticket, current.classId === 'normatif' ? 'ringan' : 'normatif', 'officer:andi');
      }),
    );
    const error = await thrownBy(racing.setStatus(filed.ticket, 'dialihkan', 'officer:rina', { agency: 'Ombudsman RI' }));
    expect(error).toMatchObject({ code: 'concurrent-change', ticket: filed.ticket });
    expect(error.message).toContain('try again');
    expect(calls).toBe(5);
    const complaint = (await store.findComplaint(filed.ticket))!;
    expect(complaint.status).toBe('diverifikasi');
    expect(complaint.history.filter((entry) => entry.actor === 'officer:rina')).toEqual([]);
  });
});
