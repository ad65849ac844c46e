import { beforeEach, describe, expect, it } from 'vitest';
import type { BotHarness } from '../support/harness.js';
import { TestClock } from '../support/harness.js';
import { wib } from '../calendar/office-calendar.js';
import { citizen, createOfficerBot, fileFor, manager, queued, supervisor, teamMember } from './support.js';

const usagePrefix = 'Mohon maaf, perintahnya belum lengkap atau belum tepat.';

let bot: BotHarness;
beforeEach(async () => {
  bot = await createOfficerBot();
});

const say = (user: string, text: string) => bot.sendText(user, text);

describe('officer recognition', () => {
  it('treats a citizen command as citizen text', async () => {
    const { ticket } = await fileFor(bot);
    const reply = await say(citizen, `klasifikasi ${ticket} normatif`);
    expect(reply).not.toContain('diklasifikasikan sebagai');
    expect((await bot.store.findComplaint(ticket))?.status).toBe('diterima');
  });

  it('passes an officer non-command to the conversation', async () => {
    expect(await say(manager, 'halo')).toContain('Selamat datang');
  });

  it.each(['daftar', 'DAFTAR', '/daftar', '/Daftar@SapaLayananBot', ' daftar. '])('reads %j as daftar', async (text) => {
    expect(await say(manager, text)).toBe('Tidak ada pengaduan yang belum selesai.');
  });

  it('recognizes officers on other channels', async () => {
    const result = await bot.pipeline.receive({ channel: 'whatsapp', userId: '6281200000002@s.whatsapp.net', messageId: 'wa-1', text: 'daftar', receivedAt: bot.clock.now() });
    expect(result.replies[0]?.text).toBe('Tidak ada pengaduan yang belum selesai.');
  });

  it('ignores a redelivered command', async () => {
    const { ticket } = await fileFor(bot);
    const first = await bot.post({ user: manager, text: `catat ${ticket} Pelapor sudah ditelepon.`, id: 'cmd-1' });
    const again = await bot.post({ user: manager, text: `catat ${ticket} Pelapor sudah ditelepon.`, id: 'cmd-1' });
    expect(first.body.replies?.[0]?.text).toContain('Catatan untuk pengaduan');
    expect(again.body).toMatchObject({ duplicate: true, replies: [] });
    expect((await bot.store.findComplaint(ticket))?.history).toHaveLength(2);
  });
});

describe('unauthorized senders', () => {
  const changing = [
    'klasifikasi {t} normatif',
    'tugaskan {t} budi',
    'jawab {t} Sudah kami proses.',
    'selesai {t}',
    'tolak {t} Bukan pengaduan.',
    'alihkan {t} Ombudsman RI',
    'catat {t} Catatan internal.',
    'catat-aduan datang - Surat balasan pertek belum diterima sejak Oktober.',
  ];

  it.each(changing)('citizen typing %j changes nothing', async (command) => {
    const { ticket, revision } = await fileFor(bot);
    const reply = await say(citizen, command.replace('{t}', ticket));
    expect(reply).not.toMatch(/Mohon maaf, perintah|Pengaduan sudah dicatat|Catatan untuk pengaduan|ditugaskan kepada/);
    expect((await bot.store.findComplaint(ticket))?.revision).toBe(revision);
    expect(await bot.store.findComplaint('ADU-2026-00002')).toBeUndefined();
  });

  it.each(changing)('atasan typing %j is refused', async (command) => {
    const { ticket, revision } = await fileFor(bot);
    expect(await say(supervisor, command.replace('{t}', ticket))).toMatch(/^Mohon maaf, perintah \*[a-z-]+\* hanya untuk /);
    expect((await bot.store.findComplaint(ticket))?.revision).toBe(revision);
    expect(await bot.store.findComplaint('ADU-2026-00002')).toBeUndefined();
  });
});

describe('bantuan', () => {
  it('lists every command for the demo officer', async () => {
    const help = await say(manager, 'bantuan');
    for (const word of ['daftar', 'lihat', 'klasifikasi', 'tugaskan', 'jawab', 'selesai', 'tolak', 'alihkan', 'catat', 'catat-aduan', 'template', 'bantuan']) {
      expect(help).toContain(`*${word}`);
    }
    expect(help).toContain('Contoh: klasifikasi ADU-2026-00042 normatif');
  });

  it('lists only allowed commands', async () => {
    const help = await say(teamMember, '/bantuan');
    expect(help).toContain('*jawab <tiket>');
    expect(help).toContain('*catat <tiket>');
    expect(help).not.toContain('*klasifikasi');
    expect(help).not.toContain('*catat-aduan');
    const supervisorHelp = await say(supervisor, 'bantuan');
    expect(supervisorHelp).toContain('*daftar*');
    expect(supervisorHelp).not.toContain('*jawab');
  });
});

describe('daftar', () => {
  it('lists open complaints soonest first', async () => {
    const first = await fileFor(bot);
    bot.clock.advanceMinutes(60);
    const second = await fileFor(bot, { identity: 'confidential', citizenName: 'Siti Rahma' });
    bot.clock.advanceMinutes(60);
    const closed = await fileFor(bot);
    await say(manager, `tolak ${closed.ticket} Bukan pengaduan.`);
    await say(manager, `klasifikasi ${first.ticket} normatif`);
    await say(manager, `tugaskan ${first.ticket} budi`);
    bot.clock.advanceMinutes(60 * 24);

    const list = await say(teamMember, 'daftar');
    expect(list).toContain('(2)');
    expect(list.indexOf(second.ticket)).toBeLessThan(list.indexOf(first.ticket));
    expect(list).not.toContain(closed.ticket);
    expect(list).toContain(`1. *${second.ticket}* · Diterima, menunggu verifikasi petugas · belum diklasifikasikan`);
    expect(list).toContain('Batas waktu: Senin, 7 Desember 2026 pukul 14.00 WIB (TERLAMBAT)');
    expect(list).toContain(`2. *${first.ticket}* · Sedang ditindaklanjuti · Pengaduan bersifat normatif`);
    expect(list).toContain('Batas waktu: Senin, 14 Desember 2026 pukul 16.00 WIB\nPetugas: Budi Santoso (contoh) (budi)');
    expect(list).not.toContain('Siti Rahma');
  });

  it('rejects extra words', async () => {
    expect(await say(manager, 'daftar semua')).toBe(`${usagePrefix}\n*daftar*: pengaduan yang belum selesai, batas waktu terdekat di atas.\nContoh: daftar`);
  });
});

describe('lihat', () => {
  it('shows details, history and messages', async () => {
    const { ticket } = await fileFor(bot, { evidence: [{ mediaId: 'm1', mimeType: 'image/jpeg', size: 10 }] });
    await say(manager, `klasifikasi ${ticket} ringan`);
    const details = await say(manager, `lihat ${ticket.toLowerCase()}`);
    expect(details).toContain(`*${ticket}*\nStatus: Sudah diverifikasi petugas\nKlasifikasi: Pengaduan ringan`);
    expect(details).toContain('Pelapor: Budi Santoso (web warga-1)');
    expect(details).toContain('Bukti: 1 berkas');
    expect(details).toContain('• 07/12/2026 09.00 · pelapor · diterima');
    expect(details).toContain('• 07/12/2026 09.00 · petugas-demo · diterima → diverifikasi\n  Diklasifikasikan sebagai ringan');
    expect(details).toContain('*Pesan kepada pelapor:*\n- "Bapak/Ibu, status pengaduan ADU-2026-00…" (Senin, 7 Desember 2026 pukul 09.00 WIB): menunggu dikirim');

    // The citizen's web chat takes the message: it is recorded as sent.
    await bot.store.takeOutbound('web', 'warga-1', bot.clock.now());
    const after = await say(manager, `lihat ${ticket}`);
    expect(after).toContain('(Senin, 7 Desember 2026 pukul 09.00 WIB): terkirim Senin, 7 Desember 2026 pukul 09.00 WIB');
  });

  it('masks a confidential citizen from the team', async () => {
    const { ticket } = await fileFor(bot, { identity: 'confidential', citizenName: 'Siti Rahma' });
    const forTeam = await say(teamMember, `lihat ${ticket}`);
    expect(forTeam).toContain('Pelapor: dirahasiakan');
    expect(forTeam).not.toContain('Siti Rahma');
    expect(forTeam).not.toContain(citizen);
    expect(await say(manager, `lihat ${ticket}`)).toContain(`Pelapor: Siti Rahma (web ${citizen})`);
  });

  it.each([
    ['lihat', usagePrefix],
    ['lihat ADU-2026-00099', 'Mohon maaf, pengaduan ADU-2026-00099 tidak ditemukan.'],
    ['lihat tiket-saya', 'Mohon maaf, "tiket-saya" bukan nomor tiket. Tulis seperti ADU-2026-00042.'],
    ['lihat ADU-2026-00001 sekarang', usagePrefix],
  ])('answers %j clearly', async (text, expected) => {
    await fileFor(bot);
    expect(await say(manager, text)).toContain(expected);
  });

  it.each([
    'lihat *ADU-2026-00001*',
    'lihat ADU-2026-00001.',
    'lihat (ADU-2026-00001)',
    'lihat "adu-2026-1"',
    'lihat adu 2026 1',
    'lihat ADU 2026-00001',
    'lihat ADU\u20132026\u201300001',
    'lihat ＡＤＵ-２０２６-００００１',
  ])('reads the ticket in %j', async (text) => {
    await fileFor(bot);
    expect(await say(manager, text)).toContain('*ADU-2026-00001*\nStatus: Diterima');
  });

  it.each([
    ['lihat ADU-2026-00001abc', 'Mohon maaf, "ADU-2026-00001abc" bukan nomor tiket.'],
    ['lihat adu 2026', 'Mohon maaf, "adu" bukan nomor tiket.'],
    ['lihat adu 2026 1 sekarang', usagePrefix],
    ['lihat ADU-2026-00000', 'Mohon maaf, "ADU-2026-00000" bukan nomor tiket.'],
  ])('rejects the ticket in %j', async (text, expected) => {
    await fileFor(bot);
    expect(await say(manager, text)).toContain(expected);
  });
});

describe('klasifikasi', () => {
  it('sets class, deadline and status', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(manager, `klasifikasi ${ticket} tidak-berkadar`)).toBe(
      `Pengaduan ${ticket} diklasifikasikan sebagai Pengaduan tidak berkadar pengawasan.\n` +
        'Batas waktu: Selasa, 29 Desember 2026 pukul 16.00 WIB\nStatus: Sudah diverifikasi petugas',
    );
    expect(await bot.store.findComplaint(ticket)).toMatchObject({ status: 'diverifikasi', classId: 'tidak_berkadar_pengawasan' });
    expect((await queued(bot, 'web', citizen)).at(-1)).toContain('Pengaduan tidak berkadar pengawasan');
    expect(await say(manager, `klasifikasi ${ticket} tidak_berkadar_pengawasan`)).toContain('sudah berjenis');
  });

  it.each([
    ['klasifikasi ADU-2026-00001 berat', 'Mohon maaf, jenis pengaduan "berat" tidak dikenal. Pilih salah satu: ringan, normatif'],
    ['klasifikasi ADU-2026-00001', usagePrefix],
    ['klasifikasi', usagePrefix],
    ['klasifikasi ADU-2026-00001 ringan sekali', usagePrefix],
  ])('answers %j clearly', async (text, expected) => {
    await fileFor(bot);
    expect(await say(manager, text)).toContain(expected);
  });

  it('refuses the complaint team', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(teamMember, `klasifikasi ${ticket} normatif`)).toBe(
      'Mohon maaf, perintah *klasifikasi* hanya untuk Pejabat Pengelola Pengaduan. Ketik *bantuan* untuk melihat perintah yang dapat Bapak/Ibu pakai.',
    );
    expect((await bot.store.findComplaint(ticket))?.status).toBe('diterima');
  });

  it('names the status of a closed complaint', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `alihkan ${ticket} DPMPTSP Provinsi Kalimantan Barat`);
    expect(await say(manager, `klasifikasi ${ticket} ringan`)).toBe(
      `Mohon maaf, perintah *klasifikasi* tidak dapat dijalankan karena pengaduan ${ticket} berstatus *Dialihkan ke instansi lain*.`,
    );
  });
});

describe('tugaskan', () => {
  it('assigns and pings the assignee', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    expect(await say(manager, `tugaskan ${ticket} BUDI`)).toBe(
      `Pengaduan ${ticket} ditugaskan kepada Budi Santoso (contoh) (budi), dan pemberitahuan dikirim kepada petugas tersebut. Status: Sedang ditindaklanjuti.`,
    );
    expect(await bot.store.findComplaint(ticket)).toMatchObject({ status: 'diproses', assignee: 'budi' });
    const pings = await queued(bot, 'whatsapp', '6281200000002');
    expect(pings).toHaveLength(1);
    expect(pings[0]).toContain(`pengaduan ${ticket} ditugaskan kepada Budi Santoso (contoh) oleh Petugas Demo (simulator web)`);
    expect(await say(manager, `tugaskan ${ticket} budi`)).toContain('sudah ditugaskan kepada Budi Santoso (contoh) (budi)');
  });

  it('pings the backup of an absent assignee', async () => {
    const clock = new TestClock(wib('2026-12-22T09:00'));
    bot = await createOfficerBot(clock);
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    await say(manager, `tugaskan ${ticket} budi`);
    expect(await queued(bot, 'whatsapp', '6281200000002')).toEqual([]);
    const toBackup = [...(await queued(bot, 'whatsapp', '6281200000003')), ...(await queued(bot, 'telegram', '100000003'))];
    expect(toBackup).toHaveLength(2);
    expect(toBackup[0]).toContain('Bapak/Ibu Sari Wulandari (contoh), pengaduan');
  });

  it.each([
    ['tugaskan ADU-2026-00001 joko', 'Mohon maaf, petugas "joko" tidak ada dalam daftar petugas. Tim Pengelola Aduan: petugas-demo'],
    ['tugaskan ADU-2026-00001 rina', 'Mohon maaf, Rina Marlina (contoh) (rina) bukan anggota Tim Pengelola Aduan.'],
    ['tugaskan ADU-2026-00001 budi', 'Mohon maaf, pengaduan ADU-2026-00001 belum diklasifikasikan. Klasifikasikan dahulu'],
    ['tugaskan ADU-2026-00001', usagePrefix],
  ])('answers %j clearly', async (text, expected) => {
    await fileFor(bot);
    expect(await say(manager, text)).toContain(expected);
  });

  it('refuses the complaint team', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(teamMember, `tugaskan ${ticket} budi`)).toContain('hanya untuk Pejabat Pengelola Pengaduan');
  });
});

describe('jawab', () => {
  it('sends the answer from diverifikasi', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    expect(await say(teamMember, `jawab ${ticket} Surat balasan sudah kami kirim.\nSilakan cek email.`)).toBe(
      `Jawaban untuk pengaduan ${ticket} dikirim kepada pelapor. Status: Sudah dijawab.`,
    );
    const complaint = await bot.store.findComplaint(ticket);
    expect(complaint).toMatchObject({ status: 'dijawab', answer: 'Surat balasan sudah kami kirim.\nSilakan cek email.' });
    expect(complaint?.history.slice(-2).map((entry) => entry.actor)).toEqual(['tim-web', 'tim-web']);
    const toCitizen = (await queued(bot, 'web', citizen)).at(-1);
    expect(toCitizen).toContain('Surat balasan sudah kami kirim.\nSilakan cek email.');
    expect(toCitizen).toContain('balas *selesai*');
  });

  it('uses a saved template', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    await say(manager, `jawab ${ticket} #tanpa-biaya`);
    expect((await bot.store.findComplaint(ticket))?.answer).toMatch(/^Semua layanan kami tidak dipungut biaya/);
  });

  it.each([
    ['jawab ADU-2026-00001 #tidak-ada', 'Mohon maaf, template "#tidak-ada" tidak ada. Template yang tersedia: #izin-dalam-proses,'],
    ['jawab ADU-2026-00001', usagePrefix],
    ['jawab ADU-2026-00001 Sudah selesai.', 'belum diklasifikasikan'],
  ])('answers %j clearly', async (text, expected) => {
    await fileFor(bot);
    expect(await say(manager, text)).toContain(expected);
  });

  it('takes the answer after a ticket typed with spaces', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    await say(manager, 'jawab adu 2026 1 5 hari lagi izin terbit.');
    expect((await bot.store.findComplaint(ticket))?.answer).toBe('5 hari lagi izin terbit.');
  });

  it.each([
    ['#', '"#"'],
    ['#izin dalam proses', '"#izin dalam proses"'],
    ['#tanpa-biaya.', '"#tanpa-biaya."'],
    ['#tanpa-biaya terima kasih', '"#tanpa-biaya terima kasih"'],
  ])('rejects the template in %j', async (answer, quoted) => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    const outboxBefore = await queued(bot, 'web', citizen);

    const reply = await say(manager, `jawab ${ticket} ${answer}`);

    expect(reply).toContain(`Mohon maaf, template ${quoted} tidak ada. Template yang tersedia: #izin-dalam-proses,`);
    expect((await bot.store.findComplaint(ticket))?.status).toBe('diverifikasi');
    expect(await queued(bot, 'web', citizen)).toEqual(outboxBefore);
  });

  it('uses a template named in capitals', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    await say(manager, `jawab ${ticket} #Tanpa-Biaya`);
    expect((await bot.store.findComplaint(ticket))?.answer).toMatch(/^Semua layanan kami tidak dipungut biaya/);
  });

  it.each(['\u200b', '\u2060 \u200b', '\u0000', '\u200b\n\u200d'])('rejects the invisible answer %j', async (answer) => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    const outboxBefore = await queued(bot, 'web', citizen);

    expect(await say(manager, `jawab ${ticket} ${answer}`)).toContain(usagePrefix);
    expect((await bot.store.findComplaint(ticket))?.status).toBe('diverifikasi');
    expect(await queued(bot, 'web', citizen)).toEqual(outboxBefore);
  });

  it('refuses an atasan', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(supervisor, `jawab ${ticket} Baik.`)).toContain('hanya untuk Tim Pengelola Aduan dan Pejabat Pengelola Pengaduan');
  });
});

describe('selesai, tolak, alihkan, catat', () => {
  it('closes an answered complaint only', async () => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    expect(await say(teamMember, `selesai ${ticket}`)).toContain('berstatus *Sudah diverifikasi petugas*');
    await say(teamMember, `jawab ${ticket} Sudah kami proses.`);
    expect(await say(teamMember, `selesai ${ticket}`)).toBe(`Pengaduan ${ticket} ditutup. Status: Selesai.`);
    expect(await say(teamMember, 'selesai')).toContain(usagePrefix);
  });

  it('rejects with the reason to the citizen', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(manager, `tolak ${ticket} Bukan pengaduan atas layanan dinas.`)).toContain('ditolak');
    expect((await queued(bot, 'web', citizen)).at(-1)).toContain('Alasan: Bukan pengaduan atas layanan dinas.');
    expect(await say(manager, 'tolak ADU-2026-00001')).toContain(usagePrefix);
    expect(await say(teamMember, `tolak ${ticket} Tidak relevan.`)).toContain('hanya untuk Pejabat Pengelola Pengaduan');
  });

  it('forwards to another agency', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(manager, `alihkan ${ticket} DPMPTSP Provinsi Kalimantan Barat`)).toBe(
      `Pengaduan ${ticket} dialihkan kepada DPMPTSP Provinsi Kalimantan Barat, dan pemberitahuan dikirim kepada pelapor. Status: Dialihkan ke instansi lain.`,
    );
    expect(await say(manager, 'alihkan ADU-2026-00001')).toContain(usagePrefix);
  });

  it('notes without telling the citizen', async () => {
    const { ticket } = await fileFor(bot);
    expect(await say(teamMember, `catat ${ticket} Pelapor minta ditelepon sore.`)).toBe(
      `Catatan untuk pengaduan ${ticket} sudah disimpan. Catatan ini tidak dikirim kepada pelapor.`,
    );
    const complaint = await bot.store.findComplaint(ticket);
    expect(complaint?.status).toBe('diterima');
    expect(complaint?.history.at(-1)).toMatchObject({ actor: 'tim-web', note: 'Catatan: Pelapor minta ditelepon sore.' });
    expect(await queued(bot, 'web', citizen)).toEqual([]);
    expect(await say(teamMember, `catat ${ticket}`)).toContain(usagePrefix);
    expect(await say(supervisor, `catat ${ticket} Catatan.`)).toContain('hanya untuk Tim Pengelola Aduan');
  });
});

describe('invisible details', () => {
  it.each([
    'tolak {t} \u200b',
    'alihkan {t} \u2060',
    'catat {t} \u0000',
  ])('%j changes nothing', async (command) => {
    const { ticket } = await fileFor(bot);
    await say(manager, `klasifikasi ${ticket} normatif`);
    const revision = (await bot.store.findComplaint(ticket))?.revision;

    expect(await say(manager, command.replace('{t}', ticket))).toContain(usagePrefix);
    expect((await bot.store.findComplaint(ticket))?.revision).toBe(revision);
  });
});

describe('template', () => {
  it('lists saved answers', async () => {
    const list = await say(teamMember, 'template');
    expect(list).toContain('*#izin-dalam-proses*\nPermohonan Bapak/Ibu sudah kami periksa');
    expect(list).toContain('*#tanpa-biaya*');
  });
});

describe('catat-aduan', () => {
  it('files with a WhatsApp number', async () => {
    const reply = await say(manager, 'catat-aduan telepon 0812-3456-7890 Surat balasan pertek kantor kas belum diterima sejak Oktober.');
    expect(reply).toMatch(/^Pengaduan sudah dicatat dengan nomor tiket \*ADU-2026-00001\*\.\nPIN: \*\d{4}\*\n/);
    expect(reply).toContain('Kabar pengaduan ini dikirim ke WhatsApp 6281234567890.');
    const complaint = await bot.store.findComplaint('ADU-2026-00001');
    expect(complaint).toMatchObject({ source: 'phone', channel: 'whatsapp', userId: '6281234567890', status: 'diterima' });
    expect(complaint?.description).toBe('Surat balasan pertek kantor kas belum diterima sejak Oktober.');
    expect(complaint?.history[0]?.actor).toBe('petugas-demo');

    await say(manager, 'klasifikasi ADU-2026-00001 normatif');
    expect(await queued(bot, 'whatsapp', '6281234567890')).toHaveLength(1);
  });

  it('files without a number', async () => {
    const reply = await say(manager, 'catat_aduan surat - 2 Desember pemohon mengirim surat: berkas pertek belum diproses.');
    expect(reply).toContain('mohon sampaikan kabar ini langsung kepada pelapor');
    const complaint = await bot.store.findComplaint('ADU-2026-00001');
    expect(complaint).toMatchObject({ source: 'letter', channel: 'offline', description: '2 Desember pemohon mengirim surat: berkas pertek belum diproses.' });
    expect(await say(manager, 'klasifikasi ADU-2026-00001 ringan')).toContain('mohon sampaikan kabar ini langsung kepada pelapor');
    expect(await bot.store.listOutbound({ channel: 'offline' })).toEqual([]);
  });

  it('keeps a day number in the description', async () => {
    await say(manager, 'catat-aduan datang 081234567890 2 Desember berkas pertek kantor kas dikembalikan tanpa alasan.');
    expect((await bot.store.findComplaint('ADU-2026-00001'))?.description).toBe('2 Desember berkas pertek kantor kas dikembalikan tanpa alasan.');
  });

  it('takes only the word after the source as the number', async () => {
    const reply = await say(manager, 'catat-aduan datang 0812345678 500 ribu rupiah diminta oleh petugas untuk mempercepat izin kantor kas');
    expect(reply).toContain('Kabar pengaduan ini dikirim ke WhatsApp 62812345678.');
    const complaint = await bot.store.findComplaint('ADU-2026-00001');
    expect(complaint?.userId).toBe('62812345678');
    expect(complaint?.description).toBe('500 ribu rupiah diminta oleh petugas untuk mempercepat izin kantor kas');
  });

  it.each([
    ['+6281234567890', '6281234567890'],
    ['6281234567890', '6281234567890'],
    ['(0812)3456.7890', '6281234567890'],
    ['081234567890123', '6281234567890123'],
  ])('reads the number %j', async (typed, stored) => {
    await say(manager, `catat-aduan telepon ${typed} Surat balasan pertek belum diterima sejak Oktober.`);
    expect((await bot.store.findComplaint('ADU-2026-00001'))?.userId).toBe(stored);
  });

  it.each(['0812 3456 7890', '+62 81234567890', '081234567', '0812345678901234', '0212345678', '62212345678', '08123456789x'])(
    'rejects the number in %j',
    async (typed) => {
      const reply = await say(manager, `catat-aduan telepon ${typed} Surat balasan pertek belum diterima sejak Oktober.`);
      expect(reply).toContain(`Mohon maaf, "${typed.split(' ')[0]}" bukan nomor WhatsApp.`);
      expect(reply).toContain('*catat-aduan <datang|telepon|surat> <nomor WhatsApp atau -> <uraian>*');
      expect(await bot.store.findComplaint('ADU-2026-00001')).toBeUndefined();
    },
  );

  it.each([
    ['catat-aduan datang 12345 Surat balasan pertek belum diterima.', 'Mohon maaf, "12345" bukan nomor WhatsApp.'],
    ['catat-aduan datang - Terlalu singkat.', 'uraian pengaduan harus 20 sampai 3000 karakter, sedangkan uraian ini 16 karakter'],
    ['catat-aduan email - Surat balasan pertek belum diterima.', usagePrefix],
    ['catat-aduan datang', usagePrefix],
    ['catat-aduan datang 081234567890', usagePrefix],
    ['catat-aduan datang - \u200b', usagePrefix],
  ])('answers %j clearly', async (text, expected) => {
    expect(await say(manager, text)).toContain(expected);
    expect(await bot.store.findComplaint('ADU-2026-00001')).toBeUndefined();
  });

  it('refuses the complaint team', async () => {
    expect(await say(teamMember, 'catat-aduan datang - Surat balasan pertek belum diterima.')).toContain('hanya untuk Pejabat Pengelola Pengaduan');
  });

  it('files once for a redelivery', async () => {
    const text = 'catat-aduan datang - Surat balasan pertek belum diterima sejak Oktober.';
    await bot.post({ user: manager, text, id: 'walk-in-1' });
    expect((await bot.post({ user: manager, text, id: 'walk-in-1' })).body.duplicate).toBe(true);
    expect(await bot.store.findComplaint('ADU-2026-00002')).toBeUndefined();
  });
});
