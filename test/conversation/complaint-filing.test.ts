import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { BotHarness, joinReplies, lastOptions } from '../support/harness.js';
import { asMedia, elfBytes, jpegBytes, pdfBytes } from '../support/media.js';

const user = 'pelapor-1';
const description = 'Tanggal 2 Desember saya mengajukan pertek kantor kas, tetapi belum ada kabar sampai sekarang.';

/** Walks the dialogue from the main menu to the summary with a named complaint about service 6. */
async function fillDraft(bot: BotHarness, who = user): Promise<void> {
  await bot.send(who, 'halo');
  await bot.send(who, '2');
  await bot.send(who, '6');
  await bot.send(who, description);
  await bot.send(who, 'lewati');
  await bot.send(who, '1');
  await bot.send(who, 'Budi Santoso');
}

describe('filing dialogue', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
    await bot.send(user, 'halo');
  });

  it('topic menu lists services, general and payment', async () => {
    const options = lastOptions(await bot.send(user, '2'));
    expect(options).toHaveLength(10);
    expect(options[5]!.label).toContain('Kantor Kas');
    expect(options[8]).toEqual({ key: '9', label: 'Lainnya (umum)' });
    expect(options[9]).toEqual({ key: '10', label: 'Diminta membayar / pungutan liar' });
  });

  it('free text starts the dialogue', async () => {
    const options = lastOptions(await bot.send(user, 'mau komplain'));
    expect(options).toHaveLength(10);
  });

  it('topic asks for the description with an example', async () => {
    await bot.send(user, '2');
    expect(await bot.sendText(user, '6')).toContain('Contoh:');
  });

  it('payment topic explains the gratification officer', async () => {
    await bot.send(user, '2');
    expect(await bot.sendText(user, '10')).toContain('Pejabat Pengendalian Gratifikasi');
  });

  it('topic out of range is refused', async () => {
    await bot.send(user, '2');
    expect(await bot.sendText(user, '11')).toContain('pilihan 11 tidak ada');
  });

  it('short description asks again with an example', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    const text = await bot.sendText(user, 'lama');
    expect(text).toContain('minimal 20 karakter');
    expect(text).toContain('Contoh:');
  });

  it('description over the limit is refused with the limit', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    expect(await bot.sendText(user, 'a'.repeat(3001))).toContain('maksimal 3.000 karakter');
  });

  it('10,000 characters are refused with the limit', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    expect(await bot.sendText(user, 'b'.repeat(10_000))).toContain('maksimal 3.000 karakter');
  });

  it('description at the limit is accepted', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    expect(await bot.sendText(user, 'c'.repeat(3000))).toContain('lewati');
  });

  it('free text at the summary shows it again', async () => {
    await fillDraft(bot);
    const replies = await bot.send(user, 'sudah benar');
    expect(joinReplies(replies)).toContain('silakan pilih dengan mengetik');
    expect(lastOptions(replies).map((option) => option.label)).toEqual(['Kirim', 'Ubah', 'Batal']);
  });

  it('free text at the resume offer continues the draft', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, 'menu');
    await bot.send(user, '2');
    expect(await bot.sendText(user, 'lanjut saja')).toContain('ceritakan');
  });

  it('back at the summary asks identity again', async () => {
    await fillDraft(bot);
    expect(await bot.sendText(user, '0')).toContain('Bagaimana identitas');
  });

  it('walks to the summary', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, description);
    await bot.send(user, 'lewati');
    expect(await bot.sendText(user, '1')).toContain('ketik nama');
    const replies = await bot.send(user, 'Budi Santoso');
    const text = joinReplies(replies);
    expect(text).toContain('Pelayanan Pertimbangan Teknis Ijin Pembukaan Kantor Kas Koperasi');
    expect(text).toContain(description);
    expect(text).toContain('Bukti: tidak ada');
    expect(text).toContain('Identitas: Budi Santoso');
    expect(lastOptions(replies).map((option) => option.label)).toEqual(['Kirim', 'Ubah', 'Batal']);
  });

  it('submit issues ticket, PIN and deadline', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, description);
    await bot.send(user, 'lewati');
    await bot.send(user, '1');
    await bot.send(user, 'Budi Santoso');
    const text = await bot.sendText(user, '1');
    expect(text).toContain('Nomor tiket: *ADU-2026-00001*');
    expect(text).toMatch(/PIN: \*\d{4}\*/);
    // Received Monday 7 December 2026 09:00 WIB: three office hours end at 12:00.
    expect(text).toContain('Senin, 7 Desember 2026 pukul 12.00 WIB');
  });

  it('submit confirms first, then shows the main menu', async () => {
    await fillDraft(bot);
    const replies = await bot.send(user, '1');
    expect(replies[0]!.text).toContain('Nomor tiket');
    expect(lastOptions(replies).map((option) => option.key)).toEqual(['1', '2', '3', '4']);
  });

  it('filed complaint is stored with its fields', async () => {
    await fillDraft(bot, 'pelapor-2');
    await bot.send('pelapor-2', '1');
    const complaint = await bot.store.findComplaint('ADU-2026-00001');
    expect(complaint?.status).toBe('diterima');
    expect(complaint?.topic).toEqual({ kind: 'service', serviceNumber: 6 });
    expect(complaint?.description).toBe(description);
    expect(complaint?.citizenName).toBe('Budi Santoso');
    expect(complaint?.identity).toBe('named');
    expect(complaint?.channel).toBe('web');
    expect(complaint?.userId).toBe('pelapor-2');
    expect(complaint?.dueAt.toISOString()).toBe('2026-12-07T05:00:00.000Z');
    expect(complaint?.history).toHaveLength(1);
  });

  it('second submit files nothing more', async () => {
    await fillDraft(bot);
    await bot.send(user, '1');
    const again = await bot.send(user, '1');
    expect(lastOptions(again)).toHaveLength(8);
    expect(await bot.store.listComplaints({})).toHaveLength(1);
  });

  it('redelivered submit files once', async () => {
    await fillDraft(bot);
    await bot.post({ user, text: '1', id: 'submit' });
    const second = await bot.post({ user, text: '1', id: 'submit' });
    expect(second.body.duplicate).toBe(true);
    expect(await bot.store.listComplaints({})).toHaveLength(1);
  });

  it('confidential identity hides the name', async () => {
    await bot.send(user, '2');
    await bot.send(user, '9');
    await bot.send(user, description);
    await bot.send(user, 'lewati');
    expect(await bot.sendText(user, '2')).toContain('Identitas: dirahasiakan');
    await bot.send(user, '1');
    const complaint = (await bot.store.listComplaints({}))[0]!;
    expect(complaint.identity).toBe('confidential');
    expect(complaint.citizenName).toBeUndefined();
  });

  it('invalid name asks again', async () => {
    await bot.send(user, '2');
    await bot.send(user, '9');
    await bot.send(user, description);
    await bot.send(user, 'lewati');
    await bot.send(user, '1');
    expect(await bot.sendText(user, '!!')).toContain('2 sampai 80 huruf');
  });

  it('edit changes the description and returns to the summary', async () => {
    await fillDraft(bot);
    await bot.send(user, '2');
    expect(await bot.sendText(user, '2')).toContain('ceritakan');
    const text = await bot.sendText(user, 'Uraian baru: petugas tidak membalas surat saya sejak bulan lalu.');
    expect(text).toContain('Uraian baru');
    expect(text).toContain('*Ringkasan pengaduan*');
  });

  it('back moves one step', async () => {
    await bot.send(user, '2');
    await bot.send(user, '6');
    const replies = await bot.send(user, '0');
    expect(lastOptions(replies)).toHaveLength(10);
  });

  it('back from an empty topic saves nothing', async () => {
    await bot.send(user, '2');
    expect(await bot.sendText(user, '0')).not.toContain('tetap tersimpan');
  });
});

describe('cancel', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, description);
  });

  it('batal asks for confirmation', async () => {
    const replies = await bot.send(user, 'batal');
    expect(joinReplies(replies)).toContain('yakin ingin membatalkan');
    expect(lastOptions(replies).map((option) => option.label)).toEqual(['Ya, batalkan', 'Tidak, lanjutkan']);
  });

  it('confirmed cancel discards the draft', async () => {
    await bot.send(user, 'batal');
    expect(await bot.sendText(user, '1')).toContain('draf pengaduan sudah dihapus');
    expect(lastOptions(await bot.send(user, '2'))).toHaveLength(10);
  });

  it('declined cancel continues at the same step', async () => {
    await bot.send(user, 'batal');
    expect(await bot.sendText(user, '2')).toContain('lewati');
  });

  it('batal twice discards', async () => {
    await bot.send(user, 'batal');
    expect(await bot.sendText(user, 'batal')).toContain('sudah dihapus');
  });

  it('batal at the summary via option 3', async () => {
    await bot.send(user, 'lewati');
    await bot.send(user, '2');
    expect(await bot.sendText(user, '3')).toContain('yakin ingin membatalkan');
  });
});

describe('draft keeping', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('menu keeps the draft and 2 offers it', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, description);
    expect(await bot.sendText(user, 'menu')).toContain('tetap tersimpan');
    const offer = await bot.send(user, '2');
    expect(lastOptions(offer).map((option) => option.label)).toEqual(['Lanjutkan draf', 'Mulai pengaduan baru']);
    expect(await bot.sendText(user, '1')).toContain('lewati');
  });

  it('restart new discards the old draft', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, 'menu');
    await bot.send(user, '2');
    expect(lastOptions(await bot.send(user, '2'))).toHaveLength(10);
  });

  it('draft survives a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-draft-'));
    dirs.push(dir);
    const before = await BotHarness.create({ store: SqliteStore.open(dir) });
    await before.send(user, 'halo');
    await before.send(user, '2');
    await before.send(user, '6');
    await before.store.close();

    const after = await BotHarness.create({ store: SqliteStore.open(dir), clock: before.clock });
    expect(await after.sendText(user, description)).toContain('lewati');
    await after.store.close();
  });

  it('idle timeout offers the draft', async () => {
    const bot = await BotHarness.create({ idleMinutes: 30 });
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    bot.clock.advanceMinutes(90);
    const replies = await bot.send(user, description);
    expect(joinReplies(replies)).toContain('sudah lama tidak aktif');
    expect(lastOptions(replies).map((option) => option.label)).toEqual(['Lanjutkan draf', 'Mulai pengaduan baru']);
    expect(await bot.sendText(user, '1')).toContain('ceritakan');
  });
});

describe('photo with its story as caption', () => {
  it('caption becomes the description and the photo evidence', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    const response = await bot.post({ user, text: description, media: [asMedia(jpegBytes(), 'antrean.jpg')] });
    const text = joinReplies(response.body.replies ?? []);
    expect(text).toContain('Bukti diterima (1 dari');
    await bot.send(user, 'lanjut');
    const summary = await bot.sendText(user, '2');
    expect(summary).toContain(description);
    expect(summary).toContain('1 berkas (antrean.jpg)');
  });

  it('short caption asks for the story first', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    const response = await bot.post({ user, text: 'ini', media: [asMedia(jpegBytes(), 'foto.jpg')] });
    expect(joinReplies(response.body.replies ?? [])).toContain('Berkas tanpa uraian belum kami simpan');
  });
});

describe('evidence', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '2');
    await bot.send(user, '6');
    await bot.send(user, description);
  });

  async function sendFiles(files: Array<ReturnType<typeof asMedia>>, text = '') {
    const response = await bot.post({ user, text, media: files });
    expect(response.status).toBe(200);
    return joinReplies(response.body.replies ?? []);
  }

  it('photo is accepted and counted', async () => {
    expect(await sendFiles([asMedia(jpegBytes(), 'foto.jpg', 'image/jpeg')])).toContain('Bukti diterima (1 dari paling banyak 5 berkas)');
  });

  it('PDF is accepted', async () => {
    expect(await sendFiles([asMedia(pdfBytes(), 'surat.pdf')])).toContain('Bukti diterima');
  });

  it('several files in one message', async () => {
    expect(await sendFiles([asMedia(jpegBytes(), 'a.jpg'), asMedia(pdfBytes(), 'b.pdf')])).toContain('(2 dari');
  });

  it('executable renamed pdf is rejected by content', async () => {
    expect(await sendFiles([asMedia(elfBytes(), 'surat.pdf', 'application/pdf')])).toContain('surat.pdf tidak dapat kami terima');
  });

  it('30 MB photo is refused with the limit', async () => {
    const text = await sendFiles([asMedia(jpegBytes(30 * 1024 * 1024), 'besar.jpg')]);
    expect(text).toContain('besar.jpg terlalu besar (30 MB)');
    expect(text).toContain('10 MB');
  });

  it('empty file is refused', async () => {
    expect(await sendFiles([asMedia(Buffer.alloc(0), 'kosong.jpg')])).toContain('kosong');
  });

  it('sixth file is not kept', async () => {
    const five = Array.from({ length: 5 }, (_, index) => asMedia(jpegBytes(), `f${index}.jpg`));
    await sendFiles(five);
    expect(await sendFiles([asMedia(jpegBytes(), 'f6.jpg')])).toContain('Batas 5 berkas sudah tercapai');
  });

  it('stored evidence is attached to the complaint', async () => {
    await sendFiles([asMedia(jpegBytes(), 'foto.jpg')]);
    await bot.send(user, 'lanjut');
    await bot.send(user, '2');
    await bot.send(user, '1');
    const complaint = (await bot.store.listComplaints({}))[0]!;
    expect(complaint.evidence).toHaveLength(1);
    expect(complaint.evidence[0]!.mimeType).toBe('image/jpeg');
    const media = await bot.store.findMedia(complaint.evidence[0]!.mediaId);
    expect(media?.bytes.equals(jpegBytes())).toBe(true);
  });

  it('files beyond the limit are not stored', async () => {
    const six = Array.from({ length: 6 }, (_, index) => asMedia(jpegBytes(), `f${index}.jpg`));
    expect(await sendFiles(six)).toContain('Batas 5 berkas sudah tercapai');
    const draft = await draftEvidence();
    expect(draft).toHaveLength(5);
  });

  it('discarded draft deletes its files', async () => {
    await sendFiles([asMedia(jpegBytes(), 'foto.jpg')]);
    const [stored] = await draftEvidence();
    expect(await bot.store.findMedia(stored!.mediaId)).toBeDefined();
    await bot.send(user, 'batal');
    await bot.send(user, '1');
    expect(await bot.store.findMedia(stored!.mediaId)).toBeUndefined();
  });

  it('replaced evidence deletes the old files', async () => {
    await sendFiles([asMedia(jpegBytes(), 'lama.jpg')]);
    const [old] = await draftEvidence();
    await bot.send(user, 'lanjut');
    await bot.send(user, '2');
    await bot.send(user, '2');
    await bot.send(user, '3');
    expect(await bot.store.findMedia(old!.mediaId)).toBeUndefined();
  });

  /** Returns the evidence list of the user's stored draft. */
  async function draftEvidence(): Promise<Array<{ mediaId: string }>> {
    const record = await bot.store.findConversation(`web:${user}`);
    return (record?.snapshot as { context: { draft?: { evidence: Array<{ mediaId: string }> } } }).context.draft?.evidence ?? [];
  }

  it('text other than lanjut reminds what is expected', async () => {
    expect(await bot.sendText(user, 'sebentar ya')).toContain('Kami menunggu foto');
  });

  it('files outside the dialogue are not stored', async () => {
    const other = await BotHarness.create();
    await other.send('lain', 'halo');
    const response = await other.post({ user: 'lain', text: '', media: [asMedia(jpegBytes(), 'foto.jpg')] });
    expect(joinReplies(response.body.replies ?? [])).toContain('belum meminta berkas');
  });
});
