import { beforeEach, describe, expect, it } from 'vitest';
import type { BotHarness } from '../support/harness.js';
import { BotHarness as Harness } from '../support/harness.js';
import { ComplaintService } from '../../src/complaints/complaint-service.js';
import { createSilentLogger } from '../../src/log/logger.js';
import { catalogWithWebOfficers, citizen, createOfficerBot, fileFor, manager, queued } from '../officers/support.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await createOfficerBot();
});

const say = (user: string, text: string) => bot.sendText(user, text);

/** Files a complaint of the citizen and answers it as the demo officer, optionally assigning it first. */
async function answered(options: { assignee?: string } = {}): Promise<string> {
  const { ticket } = await fileFor(bot);
  await say(manager, `klasifikasi ${ticket} normatif`);
  if (options.assignee) await say(manager, `tugaskan ${ticket} ${options.assignee}`);
  await say(manager, `jawab ${ticket} Surat balasan sudah kami kirim melalui DPMPTSP.`);
  return ticket;
}

describe('selesai from the citizen', () => {
  it('closes the answered complaint', async () => {
    const ticket = await answered();
    const before = (await queued(bot, 'web', citizen)).length;
    expect(await say(citizen, 'Selesai.')).toBe(`Terima kasih, Bapak/Ibu. Pengaduan ${ticket} kami tutup dengan status *Selesai*.`);
    const complaint = await bot.store.findComplaint(ticket);
    expect(complaint?.status).toBe('selesai');
    expect(complaint?.history.at(-1)).toMatchObject({ actor: 'citizen', from: 'dijawab', to: 'selesai' });
    expect(await queued(bot, 'web', citizen)).toHaveLength(before);
  });

  it('invites to the survey when there is one', async () => {
    const catalog = await catalogWithWebOfficers();
    bot = await Harness.create({ catalog: { ...catalog, complaints: { ...catalog.complaints, survey: { url: 'https://skm.example.go.id' } } } });
    await answered();
    expect(await say(citizen, 'selesai')).toContain('Survei Kepuasan Masyarakat agar layanan kami makin baik: https://skm.example.go.id');
  });

  it('ignores a redelivery', async () => {
    const ticket = await answered();
    await bot.post({ user: citizen, text: 'selesai', id: 'fb-1' });
    expect((await bot.post({ user: citizen, text: 'selesai', id: 'fb-1' })).body.duplicate).toBe(true);
    expect((await bot.store.findComplaint(ticket))?.history).toHaveLength(5);
  });

  it('leaves other citizens to the conversation', async () => {
    expect(await say('warga-lain', 'selesai')).not.toContain('kami tutup');
  });
});

describe('belum selesai from the citizen', () => {
  it('reopens and pings the assignee', async () => {
    const ticket = await answered({ assignee: 'budi' });
    const pingsBefore = (await queued(bot, 'whatsapp', '6281200000002')).length;
    expect(await say(citizen, 'belum selesai, surat balasan belum saya terima')).toBe(
      `Terima kasih atas penjelasan Bapak/Ibu. Pengaduan ${ticket} kami teruskan kembali kepada petugas. Status: *Sedang ditindaklanjuti*.`,
    );
    const complaint = await bot.store.findComplaint(ticket);
    expect(complaint?.status).toBe('diproses');
    expect(complaint?.history.at(-1)).toMatchObject({
      actor: 'citizen',
      from: 'dijawab',
      to: 'diproses',
      note: 'Menurut pelapor belum selesai: surat balasan belum saya terima',
    });
    const pings = await queued(bot, 'whatsapp', '6281200000002');
    expect(pings).toHaveLength(pingsBefore + 1);
    expect(pings.at(-1)).toBe(
      `Pelapor menyatakan pengaduan ${ticket} belum selesai.\nAlasan: surat balasan belum saya terima\n` +
        `Status kembali menjadi Sedang ditindaklanjuti. Ketik *lihat ${ticket}* untuk rinciannya.`,
    );
    expect(await queued(bot, 'telegram', '-100000000001')).toHaveLength(1);
    expect(await queued(bot, 'web', manager)).toEqual([]);
  });

  it('pings the managers without an assignee', async () => {
    const ticket = await answered();
    await say(citizen, `belum selesai ${ticket} izin belum terbit`);
    expect(await queued(bot, 'web', manager)).toHaveLength(1);
    expect(await queued(bot, 'whatsapp', '6281200000001')).toHaveLength(1);
    expect(await queued(bot, 'telegram', '100000001')).toHaveLength(1);
  });

  it('asks for a missing reason', async () => {
    const ticket = await answered();
    expect(await say(citizen, 'belum selesai')).toBe(
      `Mohon maaf bila masalah Bapak/Ibu belum selesai. Apa yang belum selesai dari pengaduan ${ticket}? Silakan tulis dalam satu pesan.`,
    );
    expect((await bot.store.findComplaint(ticket))?.status).toBe('dijawab');
    expect(await say(citizen, 'oh')).toContain('minimal 5 karakter');
    expect(await say(citizen, 'Surat balasan belum sampai.')).toContain('kami teruskan kembali kepada petugas');
    expect((await bot.store.findComplaint(ticket))?.history.at(-1)?.note).toBe('Menurut pelapor belum selesai: Surat balasan belum sampai.');
  });

  it('lets menu leave the question', async () => {
    const ticket = await answered();
    await say(citizen, 'belum selesai');
    expect(await say(citizen, 'menu')).toContain('Silakan pilih menu');
    expect(await say(citizen, 'Surat balasan belum sampai.')).not.toContain('kami teruskan kembali');
    expect((await bot.store.findComplaint(ticket))?.status).toBe('dijawab');
  });

  it('lets the question lapse', async () => {
    const ticket = await answered();
    await say(citizen, 'belum selesai');
    bot.clock.advanceMinutes(31);
    expect(await say(citizen, 'Surat balasan belum sampai.')).not.toContain('kami teruskan kembali');
    expect((await bot.store.findComplaint(ticket))?.status).toBe('dijawab');
  });
});

describe('several answered complaints', () => {
  it('asks which one to close', async () => {
    const first = await answered();
    const second = await answered();
    const replies = await bot.send(citizen, 'selesai');
    expect(replies[0]?.text).toContain('Pengaduan mana yang Bapak/Ibu maksud?');
    expect(replies[0]?.options).toEqual([
      { key: '1', label: first },
      { key: '2', label: second },
    ]);
    expect(await say(citizen, '2')).toContain(`Pengaduan ${second} kami tutup`);
    expect((await bot.store.findComplaint(first))?.status).toBe('dijawab');
  });

  it('keeps the reason while asking which', async () => {
    const first = await answered();
    await answered();
    await say(citizen, 'belum selesai, izin belum terbit');
    expect(await say(citizen, first)).toContain(`Pengaduan ${first} kami teruskan kembali`);
    expect((await bot.store.findComplaint(first))?.history.at(-1)?.note).toContain('izin belum terbit');
  });

  it('uses a ticket given with the words', async () => {
    await answered();
    const second = await answered();
    expect(await say(citizen, `${second} selesai`)).toContain(`Pengaduan ${second} kami tutup`);
  });

  it('names the complaints that await a reply', async () => {
    const first = await answered();
    const other = await fileFor(bot);
    expect(await say(citizen, `selesai ${other.ticket}`)).toBe(
      `Pengaduan ${other.ticket} tidak sedang menunggu tanggapan Bapak/Ibu. Pengaduan yang sudah dijawab: ${first}.`,
    );
    expect((await bot.store.findComplaint(first))?.status).toBe('dijawab');
  });

  it('passes an unrelated reply to the conversation', async () => {
    await answered();
    await answered();
    await say(citizen, 'selesai');
    expect(await say(citizen, 'syarat izin kantor kas')).toContain('Kantor Kas');
  });
});

describe('natural replies', () => {
  it.each(['sudah selesai', 'selesai, terima kasih', 'Selesai terima kasih pak 🙏', 'selesai ya bu, makasih banyak!'])('closes on %j', async (text) => {
    const ticket = await answered();
    expect(await say(citizen, text)).toBe(`Terima kasih, Bapak/Ibu. Pengaduan ${ticket} kami tutup dengan status *Selesai*.`);
    expect((await bot.store.findComplaint(ticket))?.status).toBe('selesai');
  });

  it.each([
    ['masih belum selesai, izin belum terbit', 'izin belum terbit'],
    ['belum selesai pak, surat balasan belum sampai', 'surat balasan belum sampai'],
    ['Belum selesai bu 🙏 surat balasan belum sampai', 'surat balasan belum sampai'],
  ])('reopens on %j with the reason', async (text, reason) => {
    const ticket = await answered();
    expect(await say(citizen, text)).toContain(`Pengaduan ${ticket} kami teruskan kembali kepada petugas`);
    expect((await bot.store.findComplaint(ticket))?.history.at(-1)?.note).toBe(`Menurut pelapor belum selesai: ${reason}`);
  });

  it.each(['belum selesai pak', 'masih belum selesai bu 🙏', 'belum selesai, terima kasih'])('asks the reason after %j', async (text) => {
    const ticket = await answered();
    expect(await say(citizen, text)).toContain(`Apa yang belum selesai dari pengaduan ${ticket}?`);
    expect((await bot.store.findComplaint(ticket))?.status).toBe('dijawab');
  });

  it('leaves a long message with selesai to the conversation', async () => {
    const ticket = await answered();
    const reply = await say(citizen, 'selesai urus izin usaha kantor kas berapa lama ya pak, dan apa saja syaratnya');
    expect(reply).not.toContain('kami tutup');
    expect(reply).not.toContain('sudah tidak menunggu');
    expect((await bot.store.findComplaint(ticket))?.status).toBe('dijawab');
  });
});

describe('replies after the closing', () => {
  const noLongerAwaiting = (ticket: string) => `Pengaduan ${ticket} sudah tidak menunggu tanggapan Bapak/Ibu. Ketik *menu* untuk pilihan lain.`;

  it.each(['selesai', 'belum selesai, izin belum terbit', 'sudah selesai terima kasih'])('answers %j after the officer closed it', async (text) => {
    const ticket = await answered();
    await say(manager, `selesai ${ticket}`);
    expect(await say(citizen, text)).toBe(noLongerAwaiting(ticket));
    expect((await bot.store.findComplaint(ticket))?.status).toBe('selesai');
  });

  it('answers after the automatic close', async () => {
    const ticket = await answered();
    const complaints = new ComplaintService({ store: bot.store, settings: bot.catalog.complaints, calendar: bot.calendar, clock: () => bot.clock.now(), logger: createSilentLogger() });
    await complaints.setStatus(ticket, 'selesai', 'system', { note: 'Ditutup otomatis' });
    expect(await say(citizen, 'belum selesai pak, surat balasan belum sampai')).toBe(noLongerAwaiting(ticket));
    expect((await bot.store.findComplaint(ticket))?.status).toBe('selesai');
  });

  it('prefers an answered complaint', async () => {
    const closed = await answered();
    await say(manager, `selesai ${closed}`);
    const open = await answered();
    expect(await say(citizen, 'selesai')).toContain(`Pengaduan ${open} kami tutup`);
  });

  it('leaves an old closing to the conversation', async () => {
    const ticket = await answered();
    await say(manager, `selesai ${ticket}`);
    bot.clock.advanceMinutes(15 * 24 * 60);
    expect(await say(citizen, 'selesai')).toContain('Mohon maaf, kami belum memahami');
  });

  it('leaves a citizen without complaints to the conversation', async () => {
    expect(await say('warga-lain', 'belum selesai, izin belum terbit')).not.toContain('sudah tidak menunggu');
  });
});
