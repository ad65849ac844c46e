import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../../src/channels/telegram/html.js';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createLogger, createSilentLogger } from '../../../src/log/logger.js';
import { decreeFacts } from '../../fixtures/decree-facts.js';
import { BotHarness } from '../../support/harness.js';
import { buttonsOf, EmulatedCitizen, emulatorToken, startEmulator, type BotMessage } from './emulator.js';
import { expectWellFormedHtml } from './telegram-html.js';

const mainMenuButtons = [
  [['1. Informasi layanan', '1']],
  [['2. Ajukan pengaduan', '2']],
  [['3. Cek status pengaduan', '3']],
  [['4. Kontak dan jam layanan', '4']],
];

const description = 'Tanggal 2 Desember saya <b>mengajukan</b> pertek R&D kantor kas, tetapi belum ada kabar.';

/** Numbered lines (`N. text`) of a message as a reader sees it. */
function numberedLines(message: BotMessage): string[] {
  return htmlToPlainText(message.text)
    .split('\n')
    .filter((line) => /^\d+\. /.test(line));
}

function expectAllWellFormed(messages: BotMessage[]): void {
  for (const message of messages) {
    expect(message.parseMode).toBe('HTML');
    expectWellFormedHtml(message.text);
  }
}

describe('telegram channel on the emulator', () => {
  let server: TelegramServer;
  let bot: BotHarness;
  let channel: TelegramChannel;
  let citizen: EmulatedCitizen;

  beforeEach(async () => {
    server = await startEmulator();
    bot = await BotHarness.create();
    channel = createTelegramChannel({
      config: { token: emulatorToken, apiRoot: server.config.apiURL },
      pipeline: bot.pipeline,
      catalog: bot.catalog,
      logger: process.env.TG_DEBUG ? createLogger({ level: 'debug', format: 'json', destination: 'stderr' }) : createSilentLogger(),
      clock: bot.clock.now,
    });
    channel.start();
    citizen = new EmulatedCitizen(server, channel, 5551234, 'Siti');
  });

  afterEach(async () => {
    await channel.stop();
    await server.stop();
  });

  it('greets with the main menu keyboard', async () => {
    const replies = await citizen.command('/start');
    expect(replies).toHaveLength(2);
    expect(htmlToPlainText(replies[0]!.text)).toContain('Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Kalimantan Barat');
    expect(replies[0]!.keyboard).toBeUndefined();
    expect(buttonsOf(replies[1])).toEqual(mainMenuButtons);
    expect(replies[1]!.text).toContain('1. Informasi layanan\n2. Ajukan pengaduan');
    expect(replies[1]!.text).toContain('Ketik <b>menu</b> untuk ke menu utama');
    expectAllWellFormed(replies);
    expect(channel.status()).toEqual({ mode: 'polling', state: 'running' });
  });

  it('browses to the requirements by buttons', async () => {
    await citizen.send('halo');
    const service = decreeFacts[2]!;

    const list = await citizen.press('1');
    expect(buttonsOf(list.at(-1))).toEqual(decreeFacts.map((facts) => [[`${facts.number}. ${facts.name}`, String(facts.number)]]));

    const detail = await citizen.press(String(service.number));
    expect(htmlToPlainText(detail[0]!.text)).toContain(service.name);
    expect(detail[0]!.text).toContain(`<b>${service.name}</b>`);
    const sections = buttonsOf(detail.at(-1));
    expect(sections).toHaveLength(14);
    expect(sections[0]).toEqual([['1. Persyaratan', '1']]);
    expect(sections[13]).toEqual([['14. Evaluasi kinerja pelaksana', '14']]);

    const requirements = await citizen.press('1');
    const section = requirements.find((message) => message.text.startsWith('<b>Persyaratan</b>'));
    expect(section).toBeDefined();
    const lines = numberedLines(section!);
    expect(lines).toHaveLength(service.requirementCount);
    expect(lines[0]).toBe(`1. ${service.firstRequirement}`);
    expect(lines.at(-1)).toBe(`${service.requirementCount}. ${service.lastRequirement}`);
    expectAllWellFormed([...list, ...detail, ...requirements]);
  });

  it('files a complaint to its ticket', async () => {
    await citizen.send('halo');
    const topics = await citizen.press('2');
    expect(buttonsOf(topics.at(-1))).toHaveLength(10);
    expect(buttonsOf(topics.at(-1))[9]).toEqual([['10. Diminta membayar / pungutan liar', '10']]);

    await citizen.press('6');
    const evidence = await citizen.send(description);
    expect(evidence[0]!.text).toContain('Ketik <b>lewati</b> bila tidak ada bukti.');

    const identity = await citizen.send('lewati');
    expect(buttonsOf(identity.at(-1))).toEqual([[['1. Gunakan nama saya', '1']], [['2. Rahasiakan identitas saya', '2']]]);
    // "Use my name" takes the Telegram first name, so the bot does not ask for a name.
    const summary = await citizen.press('1');
    const summaryText = summary.at(-1)!.text;
    expect(summaryText).toContain('Uraian: Tanggal 2 Desember saya &lt;b&gt;mengajukan&lt;/b&gt; pertek R&amp;D kantor kas');
    expect(summaryText).toContain('Identitas: Siti');
    expect(buttonsOf(summary.at(-1))).toEqual([
      [
        ['1. Kirim', '1'],
        ['2. Ubah', '2'],
      ],
      [['3. Batal', '3']],
    ]);

    const filed = await citizen.press('1');
    expect(filed[0]!.text).toContain('Nomor tiket: <b>ADU-2026-00001</b>');
    expect(filed[0]!.text).toMatch(/PIN: <b>\d{4}<\/b>/);
    expect(buttonsOf(filed.at(-1))).toEqual(mainMenuButtons);
    expectAllWellFormed([...topics, ...evidence, ...identity, ...summary, ...filed]);

    const complaint = await bot.store.findComplaint('ADU-2026-00001');
    expect(complaint?.channel).toBe('telegram');
    expect(complaint?.userId).toBe(String(citizen.chatId));
    expect(complaint?.description).toBe(description);
    expect(complaint?.citizenName).toBe('Siti');
  });

  it('checks a status by ticket', async () => {
    await citizen.send('halo');
    await citizen.press('2');
    await citizen.press('9');
    await citizen.send(description);
    await citizen.send('lewati');
    await citizen.press('2');
    await citizen.press('1');

    const own = await citizen.command('/status');
    expect(buttonsOf(own.at(-1))).toEqual([[['1. ADU-2026-00001 — Diterima, menunggu verifikasi petugas', '1']]]);

    const status = await citizen.send('cek ADU-2026-00001');
    expect(status[0]!.text).toContain('<b>Status pengaduan ADU-2026-00001</b>');
    expect(htmlToPlainText(status[0]!.text)).toContain('Status: Diterima, menunggu verifikasi petugas');
    expectAllWellFormed([...own, ...status]);
  });

  it('answers two citizens apart', async () => {
    const other = new EmulatedCitizen(server, channel, 5559876, 'Rudi');
    const [first, second] = await Promise.all([citizen.send('halo'), other.send('halo')]);
    expect(buttonsOf(first!.at(-1))).toEqual(mainMenuButtons);
    expect(buttonsOf(second!.at(-1))).toEqual(mainMenuButtons);
    expect(citizen.messages()).toHaveLength(2);
    expect(other.messages()).toHaveLength(2);
  });

  it('ignores a group chat', async () => {
    const group = server.getClient(emulatorToken, { userId: 5551234, chatId: -1001, type: 'group', chatTitle: 'Warga' });
    await group.sendMessage(group.makeMessage('halo'));
    // The private message is polled after the group message, so its replies prove the group
    // message was handled already.
    await citizen.send('halo');
    const toGroup = server.storage.botMessages.filter((stored) => String(stored.message.chat_id) === '-1001');
    expect(toGroup).toEqual([]);
  });
});
