import { beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, joinReplies, lastOptions } from '../support/harness.js';

const owner = 'pemilik';
const stranger = 'orang-lain';
const description = 'Surat permohonan data koperasi saya belum dijawab sejak dua minggu lalu.';

/** Files a named complaint as `owner` and returns its ticket and PIN. */
async function fileComplaint(bot: BotHarness): Promise<{ ticket: string; pin: string }> {
  await bot.send(owner, 'halo');
  await bot.send(owner, '2');
  await bot.send(owner, '2');
  await bot.send(owner, description);
  await bot.send(owner, 'lewati');
  await bot.send(owner, '2');
  const text = await bot.sendText(owner, '1');
  const ticket = /Nomor tiket: \*(ADU-\d{4}-\d{5})\*/.exec(text)?.[1];
  const pin = /PIN: \*(\d{4})\*/.exec(text)?.[1];
  if (!ticket || !pin) throw new Error(`No ticket or PIN in: ${text}`);
  return { ticket, pin };
}

/** Returns a 4-digit PIN different from `pin`. */
function wrongPin(pin: string): string {
  return String((Number(pin) + 1) % 10_000).padStart(4, '0');
}

describe('status without complaints', () => {
  it('menu 3 says none and asks for a ticket', async () => {
    const bot = await BotHarness.create();
    await bot.send(owner, 'halo');
    const text = await bot.sendText(owner, '3');
    expect(text).toContain('Belum ada pengaduan');
    expect(text).toContain('ADU-2026-00042');
  });

  it('invalid ticket asks again', async () => {
    const bot = await BotHarness.create();
    await bot.send(owner, 'halo');
    await bot.send(owner, '3');
    expect(await bot.sendText(owner, 'tiket saya hilang')).toContain('tidak kami kenali');
  });
});

describe('status of own complaint', () => {
  let bot: BotHarness;
  let ticket: string;
  beforeEach(async () => {
    bot = await BotHarness.create();
    ({ ticket } = await fileComplaint(bot));
  });

  it('menu 3 lists own complaints', async () => {
    const options = lastOptions(await bot.send(owner, '3'));
    expect(options).toEqual([{ key: '1', label: `${ticket} — Diterima, menunggu verifikasi petugas` }]);
  });

  it('choosing from the list shows the status', async () => {
    await bot.send(owner, '3');
    const text = await bot.sendText(owner, '1');
    expect(text).toContain(`*Status pengaduan ${ticket}*`);
    expect(text).toContain('Status: Diterima, menunggu verifikasi petugas');
    expect(text).toContain('Klasifikasi: belum diklasifikasikan');
    expect(text).toContain('Batas waktu: Senin, 7 Desember 2026 pukul 12.00 WIB');
  });

  it('cek with ticket needs no PIN', async () => {
    expect(await bot.sendText(owner, `cek ${ticket}`)).toContain('Status: Diterima');
  });

  it.each(['ADU 2026 1', 'adu-2026-0001', 'cek adu 2026 00001', 'status ADU/2026/1'])('ticket typed as %s is understood', async (typed) => {
    expect(await bot.sendText(owner, typed)).toContain(`*Status pengaduan ${ticket}*`);
  });

  it('status pengaduan saya lists complaints', async () => {
    expect(lastOptions(await bot.send(owner, 'status pengaduan saya'))[0]!.label).toContain(ticket);
  });

  it('answer shows once given', async () => {
    const complaint = (await bot.store.findComplaint(ticket))!;
    await bot.store.updateComplaint({
      ticket,
      expectedRevision: complaint.revision,
      changes: { status: 'ditolak', rejectionReason: 'Bukan kewenangan dinas.' },
      history: { at: bot.clock.now(), actor: 'petugas', from: 'diterima', to: 'ditolak', note: 'Bukan kewenangan dinas.' },
      outbound: [],
      now: bot.clock.now(),
    });
    const text = await bot.sendText(owner, `cek ${ticket}`);
    expect(text).toContain('Status: Ditolak');
    expect(text).toContain('Keterangan: Bukan kewenangan dinas.');
  });

  it('status ends at the main menu', async () => {
    await bot.send(owner, `cek ${ticket}`);
    expect(lastOptions(await bot.send(owner, '1'))).toHaveLength(8);
  });
});

describe('status from another channel', () => {
  let bot: BotHarness;
  let ticket: string;
  let pin: string;
  beforeEach(async () => {
    bot = await BotHarness.create();
    ({ ticket, pin } = await fileComplaint(bot));
    await bot.send(stranger, 'halo');
  });

  it('asks for the PIN', async () => {
    expect(await bot.sendText(stranger, `cek ${ticket}`)).toContain('ketik PIN 4 angka');
  });

  it('right PIN shows the status', async () => {
    await bot.send(stranger, `cek ${ticket}`);
    expect(await bot.sendText(stranger, pin)).toContain(`*Status pengaduan ${ticket}*`);
  });

  it('wrong PIN says the tries left', async () => {
    await bot.send(stranger, `cek ${ticket}`);
    expect(await bot.sendText(stranger, wrongPin(pin))).toContain('Kesempatan mencoba tinggal 4 kali');
  });

  it('PIN of wrong length asks again', async () => {
    await bot.send(stranger, `cek ${ticket}`);
    expect(await bot.sendText(stranger, '12345')).toContain('PIN terdiri dari 4 angka');
  });

  it('unknown ticket answers like a wrong PIN', async () => {
    await bot.send(stranger, 'cek ADU-2026-00999');
    expect(await bot.sendText(stranger, '1234')).toContain('tidak cocok');
  });

  it('ten guesses lock out even the right PIN', async () => {
    const replies: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const asked = await bot.sendText(stranger, `cek ${ticket}`);
      // Once locked, the check says so at once instead of asking for a PIN.
      replies.push(asked.includes('ketik PIN') ? await bot.sendText(stranger, wrongPin(pin)) : asked);
    }
    expect(replies[3]).toContain('Kesempatan mencoba tinggal 1 kali');
    expect(replies[4]).toContain('terlalu banyak PIN yang salah');
    expect(replies.slice(5).every((reply) => reply.includes('terlalu banyak'))).toBe(true);
    expect(await bot.sendText(stranger, `cek ${ticket}`)).toContain('terlalu banyak');
  });

  it('lock ends after the window', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await bot.send(stranger, `cek ${ticket}`);
      await bot.send(stranger, wrongPin(pin));
    }
    bot.clock.advanceMinutes(61);
    await bot.send(stranger, `cek ${ticket}`);
    expect(await bot.sendText(stranger, pin)).toContain(`*Status pengaduan ${ticket}*`);
  });

  it('guesses across tickets count for the user', async () => {
    for (let sequence = 1; sequence <= 5; sequence++) {
      await bot.send(stranger, `cek ADU-2026-0000${sequence}`);
      await bot.send(stranger, '0000');
    }
    expect(await bot.sendText(stranger, `cek ${ticket}`)).toContain('terlalu banyak');
  });

  it('back leaves the PIN question', async () => {
    await bot.send(stranger, `cek ${ticket}`);
    expect(lastOptions(await bot.send(stranger, '0')).map((option) => option.key)).toEqual(['1', '2', '3', '4']);
  });
});

describe('queued messages', () => {
  it('GET returns queued messages once', async () => {
    const bot = await BotHarness.create();
    const { ticket } = await fileComplaint(bot);
    const complaint = (await bot.store.findComplaint(ticket))!;
    await bot.store.updateComplaint({
      ticket,
      expectedRevision: complaint.revision,
      changes: { status: 'diverifikasi', classId: 'normatif' },
      history: { at: bot.clock.now(), actor: 'petugas', from: 'diterima', to: 'diverifikasi' },
      outbound: [{ channel: 'web', userId: owner, text: `Pengaduan ${ticket} sudah diverifikasi.`, ticket, createdAt: bot.clock.now() }],
      now: bot.clock.now(),
    });

    const first = await bot.app.request(`/api/simulator/messages?user=${owner}`);
    const body = (await first.json()) as { messages: Array<{ text: string; ticket?: string }> };
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.text).toContain('sudah diverifikasi');
    expect(body.messages[0]!.ticket).toBe(ticket);

    const second = (await (await bot.app.request(`/api/simulator/messages?user=${owner}`)).json()) as { messages: unknown[] };
    expect(second.messages).toHaveLength(0);
  });

  it('GET without user is rejected', async () => {
    const bot = await BotHarness.create();
    const response = await bot.app.request('/api/simulator/messages');
    expect(response.status).toBe(400);
    expect(joinReplies([{ text: ((await response.json()) as { error: string }).error }])).toContain('user');
  });
});
