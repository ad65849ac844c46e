import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../src/calendar/index.js';
import { offlineChannel, type Complaint, type NewComplaint } from '../../src/complaints/complaint.js';
import { ComplaintService } from '../../src/complaints/complaint-service.js';
import type { ComplaintSettings } from '../../src/complaints/complaint-settings.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { loadOfficeCalendar, wib } from '../calendar/office-calendar.js';
import { loadShippedCatalog } from '../support/harness.js';
import { fileComplaint, newComplaint } from './complaint-fixtures.js';

let settings: ComplaintSettings;
let calendar: WorkingCalendar;
let store: SqliteStore;
let service: ComplaintService;
const now = wib('2026-12-07T09:00');

beforeAll(async () => {
  settings = (await loadShippedCatalog()).complaints;
  calendar = await loadOfficeCalendar();
});

beforeEach(() => {
  store = SqliteStore.open(':memory:');
  service = new ComplaintService({ store, settings, calendar, clock: () => new Date(now), logger: createSilentLogger() });
});

async function file(overrides: Partial<NewComplaint> = {}): Promise<Complaint> {
  return fileComplaint(store, newComplaint({ receivedAt: wib('2026-12-04T14:00'), ...overrides }));
}

async function verified(overrides: Partial<NewComplaint> = {}): Promise<string> {
  const { ticket } = await file(overrides);
  await service.classify(ticket, 'normatif', 'rina');
  return ticket;
}

const citizenTexts = async () => (await store.listOutbound({ channel: 'telegram', userId: '1001' })).map((message) => message.text);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('expected a rejection');
}

describe('ComplaintService.assign', () => {
  it('moves diverifikasi to diproses with the ping', async () => {
    const ticket = await verified();
    const assigned = await service.assign(ticket, 'budi', 'rina', {
      officerMessages: (complaint) => [{ channel: 'whatsapp', userId: '6281200000002', text: `Tugas ${complaint.ticket}` }],
    });
    expect(assigned).toMatchObject({ status: 'diproses', assignee: 'budi' });
    expect(assigned.history.at(-1)).toEqual({ at: now, actor: 'rina', from: 'diverifikasi', to: 'diproses', note: 'Ditugaskan kepada budi' });
    expect((await citizenTexts()).at(-1)).toContain('*Sedang ditindaklanjuti*');
    expect(await store.listOutbound({ channel: 'whatsapp', userId: '6281200000002' })).toMatchObject([{ text: `Tugas ${ticket}`, ticket }]);
  });

  it('reassigns without telling the citizen', async () => {
    const ticket = await verified();
    await service.assign(ticket, 'budi', 'rina');
    const before = (await citizenTexts()).length;
    const reassigned = await service.assign(ticket, 'sari', 'rina');
    expect(reassigned).toMatchObject({ status: 'diproses', assignee: 'sari' });
    expect(reassigned.history.at(-1)?.note).toBe('Ditugaskan kepada sari (sebelumnya budi)');
    expect(await citizenTexts()).toHaveLength(before);
  });

  it('changes nothing for the same assignee', async () => {
    const ticket = await verified();
    const first = await service.assign(ticket, 'budi', 'rina');
    expect((await service.assign(ticket, 'budi', 'rina')).revision).toBe(first.revision);
  });

  it('rejects unclassified and final complaints', async () => {
    const { ticket } = await file();
    expect(await codeOf(service.assign(ticket, 'budi', 'rina'))).toBe('transition-not-allowed');
    await service.setStatus(ticket, 'ditolak', 'rina', { reason: 'Bukan pengaduan.' });
    expect(await codeOf(service.assign(ticket, 'budi', 'rina'))).toBe('transition-not-allowed');
  });
});

describe('ComplaintService.answer', () => {
  it('passes through diproses from diverifikasi', async () => {
    const ticket = await verified();
    const before = (await citizenTexts()).length;
    const answered = await service.answer(ticket, 'Izin sudah terbit.', 'budi');
    expect(answered).toMatchObject({ status: 'dijawab', answer: 'Izin sudah terbit.' });
    expect(answered.history.slice(-2).map((entry) => [entry.from, entry.to, entry.actor])).toEqual([
      ['diverifikasi', 'diproses', 'budi'],
      ['diproses', 'dijawab', 'budi'],
    ]);
    const texts = await citizenTexts();
    expect(texts).toHaveLength(before + 1);
    expect(texts.at(-1)).toContain('Izin sudah terbit.');
    expect(texts.at(-1)).toMatch(/balas \*belum selesai\* diikuti alasannya/);
  });

  it('keeps the status on an empty answer', async () => {
    const ticket = await verified();
    expect(await codeOf(service.answer(ticket, '   ', 'budi'))).toBe('missing-note');
    expect((await store.findComplaint(ticket))?.status).toBe('diverifikasi');
  });

  it.each(['\u200b', '\u2060\u200d', '\u0000 \u0007', '\ufeff'])('keeps the status on the invisible answer %j', async (answer) => {
    const ticket = await verified();
    expect(await codeOf(service.answer(ticket, answer, 'budi'))).toBe('missing-note');
    expect((await store.findComplaint(ticket))?.status).toBe('diverifikasi');
  });

  it.each(['.', '5', '✓'])('accepts the one-character answer %j', async (answer) => {
    const ticket = await verified();
    expect((await service.answer(ticket, answer, 'budi')).answer).toBe(answer);
  });
});

describe('ComplaintService.addNote', () => {
  it('records a note without a message', async () => {
    const ticket = await verified();
    const before = (await citizenTexts()).length;
    const noted = await service.addNote(ticket, 'Sudah menelepon pelapor.', 'budi');
    expect(noted.status).toBe('diverifikasi');
    expect(noted.history.at(-1)).toEqual({ at: now, actor: 'budi', from: 'diverifikasi', to: 'diverifikasi', note: 'Catatan: Sudah menelepon pelapor.' });
    expect(await citizenTexts()).toHaveLength(before);
    expect(await codeOf(service.addNote(ticket, '', 'budi'))).toBe('missing-note');
  });
});

describe('ComplaintService citizen messages', () => {
  it('queues nothing for an offline complaint', async () => {
    const { ticket } = await file({ channel: offlineChannel, userId: '-', source: 'walk-in' });
    await service.classify(ticket, 'ringan', 'rina');
    expect(await store.listOutbound({ channel: offlineChannel })).toEqual([]);
  });

  it('skips the citizen when asked', async () => {
    const ticket = await verified();
    await service.answer(ticket, 'Izin sudah terbit.', 'budi');
    const before = (await citizenTexts()).length;
    await service.setStatus(ticket, 'selesai', 'citizen', {}, { notifyCitizen: false });
    expect(await citizenTexts()).toHaveLength(before);
  });
});

describe('ComplaintService.fileOnBehalf', () => {
  it('files once per officer message', async () => {
    const message = { channel: 'web', messageId: randomUUID(), userKey: 'web:petugas-demo', processedAt: now };
    const input = newComplaint({ source: 'phone', channel: 'whatsapp', userId: '6281234567890', receivedAt: now, dueAt: now });
    const filed = await service.fileOnBehalf(input, 'petugas-demo', message);
    expect(filed).toMatchObject({ ticket: 'ADU-2026-00001', source: 'phone', history: [{ actor: 'petugas-demo', to: 'diterima' }] });
    expect(await service.fileOnBehalf(input, 'petugas-demo', message)).toBeUndefined();
    expect(await store.findComplaint('ADU-2026-00002')).toBeUndefined();
  });
});
