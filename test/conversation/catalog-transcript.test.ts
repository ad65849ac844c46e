import { beforeEach, describe, expect, it } from 'vitest';
import { serviceSections } from '../../src/catalog/sections.js';
import { decreeFacts } from '../fixtures/decree-facts.js';
import { BotHarness, joinReplies, lastOptions } from '../support/harness.js';

/** Numbered lines (`N. text`) of a reply, in order. */
function numberedLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\d+\. /.test(line));
}

describe('first contact', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
  });

  it('greets with the office name', async () => {
    const replies = await bot.send('warga-1', 'halo');
    expect(replies[0]!.text).toContain('Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Kalimantan Barat');
  });

  it('shows a two-line privacy notice', async () => {
    const replies = await bot.send('warga-1', 'halo');
    const notice = replies[0]!.text.split('\n\n')[1]!;
    expect(notice.split('\n')).toHaveLength(2);
    expect(notice).toMatch(/menyimpan/);
  });

  it('ends with the main menu', async () => {
    const replies = await bot.send('warga-1', 'halo');
    expect(lastOptions(replies)).toEqual([
      { key: '1', label: 'Informasi layanan' },
      { key: '2', label: 'Ajukan pengaduan' },
      { key: '3', label: 'Cek status pengaduan' },
      { key: '4', label: 'Kontak dan jam layanan' },
    ]);
  });

  it('greets only once', async () => {
    await bot.send('warga-1', 'halo');
    const second = joinReplies(await bot.send('warga-1', 'halo'));
    expect(second).not.toContain('Privasi');
  });

  it('greeting follows the office clock', async () => {
    // 02:00 UTC is 09:00 in Pontianak.
    const replies = await bot.send('warga-1', 'halo');
    expect(replies[0]!.text).toMatch(/^Selamat pagi/);
  });

  it('answers a first question after the welcome', async () => {
    const replies = await bot.send('warga-1', 'syarat usp');
    expect(replies[0]!.text).toContain('Privasi');
    expect(joinReplies(replies)).toContain('Nomor Induk Berusaha (NIB)');
  });
});

describe('service list', () => {
  it('lists the eight services in decree order', async () => {
    const bot = await BotHarness.create();
    await bot.send('warga-1', 'halo');
    const options = lastOptions(await bot.send('warga-1', '1'));
    expect(options.map((option) => option.key)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(options.map((option) => option.label)).toEqual(decreeFacts.map((facts) => facts.name));
  });
});

describe.each(decreeFacts)('service $number ($name)', (facts) => {
  let bot: BotHarness;
  const user = `warga-${facts.number}`;

  beforeEach(async () => {
    bot = await BotHarness.create();
    await bot.send(user, 'halo');
    await bot.send(user, '1');
  });

  it('detail menu lists every component', async () => {
    const replies = await bot.send(user, String(facts.number));
    expect(replies[0]!.text).toContain(facts.name);
    const options = lastOptions(replies);
    expect(options[0]).toEqual({ key: '1', label: 'Persyaratan' });
    expect(options.map((option) => option.label)).toEqual(serviceSections.map((section) => section.label));
  });

  it('requirements one per line', async () => {
    await bot.send(user, String(facts.number));
    const text = await bot.sendText(user, '1');
    const lines = numberedLines(text);
    expect(lines).toHaveLength(facts.requirementCount);
    expect(lines[0]).toBe(`1. ${facts.firstRequirement}`);
    expect(lines.at(-1)).toBe(`${facts.requirementCount}. ${facts.lastRequirement}`);
  });

  it('procedure steps one per line', async () => {
    await bot.send(user, String(facts.number));
    const text = await bot.sendText(user, '2');
    expect(numberedLines(text)).toHaveLength(facts.procedureStepCount);
    expect(text).toContain('Alur: ');
  });

  it('completion time as decreed', async () => {
    await bot.send(user, String(facts.number));
    const text = await bot.sendText(user, '3');
    for (const line of facts.completionTime) expect(text).toContain(line);
  });

  it('fee is zero rupiah', async () => {
    await bot.send(user, String(facts.number));
    const text = await bot.sendText(user, '4');
    expect(facts.fee).toBe(0);
    expect(text).toMatch(/Rp\.? ?0/);
    expect(text).toContain('tidak dipungut biaya');
  });

  it('product as decreed', async () => {
    await bot.send(user, String(facts.number));
    expect(await bot.sendText(user, '5')).toContain(facts.product);
  });

  it('complaint handling lists channels and deadlines', async () => {
    await bot.send(user, String(facts.number));
    const text = await bot.sendText(user, '6');
    expect(text).toContain('081256506007');
    expect(text).toContain('Pengaduan ringan, selambat-lambatnya 3 Jam');
    expect(text).toContain('selambat-lambatnya 60 hari kerja');
    expect(text).not.toContain('Faximile');
  });

  it('legal basis count', async () => {
    await bot.send(user, String(facts.number));
    expect(numberedLines(await bot.sendText(user, '7'))).toHaveLength(facts.legalBasisCount);
  });

  it('staff count as decreed', async () => {
    await bot.send(user, String(facts.number));
    expect(await bot.sendText(user, '11')).toMatch(new RegExp(`^${facts.staffCount} \\(`, 'm'));
  });

  it('every component has content', async () => {
    await bot.send(user, String(facts.number));
    for (const [index, section] of serviceSections.entries()) {
      const text = await bot.sendText(user, String(index + 1));
      expect(text, section.label).toContain(`*${section.label}*`);
      expect(text.length, section.label).toBeGreaterThan(section.label.length + facts.name.length + 20);
    }
  });

  it('back returns to the service list', async () => {
    await bot.send(user, String(facts.number));
    const options = lastOptions(await bot.send(user, '0'));
    expect(options).toHaveLength(8);
  });
});

describe('contact', () => {
  it('menu 4 shows address, channels and hours', async () => {
    const bot = await BotHarness.create();
    await bot.send('warga-1', 'halo');
    const text = await bot.sendText('warga-1', '4');
    expect(text).toContain('Jl. Sutan Syahrir No. 5');
    expect(text).toContain('081256506007');
    expect(text).toContain('(0561) 732690');
    expect(text).toContain('diskopukm@kalbarprov.go.id');
    expect(text).toContain('Senin–Kamis: 07.30–12.00 dan 13.00–16.00 WIB');
    expect(text).toContain('Jumat: 07.30–11.30 dan 13.00–16.30 WIB');
    expect(text).toContain('Sabtu–Minggu: tutup');
  });
});
