import { describe, expect, it } from 'vitest';
import { sectionLabel } from '../../src/catalog/sections.js';
import { aspectsByLabel, loadFirstMessages, type Example } from '../fixtures/first-messages.js';
import { BotHarness, joinReplies, lastOptions } from '../support/harness.js';

/**
 * Every realistic first message through the whole path (simulator API, pipeline, machine),
 * checking what the citizen reads after the welcome.
 */

const examples = loadFirstMessages();

/** Sends the example as the first message of a new user and returns the replies after the welcome. */
async function firstReplies(example: Example) {
  const bot = await BotHarness.create();
  const replies = await bot.send('warga-pertama', example.text);
  expect(replies[0]!.text).toContain('Selamat datang');
  return { bot, replies: replies.slice(1) };
}

describe.each(examples)('first message "$text"', (example) => {
  it('gets the expected answer', async () => {
    const { bot, replies } = await firstReplies(example);
    const text = joinReplies(replies);
    const options = lastOptions(replies);

    if (typeof example.expect === 'object') {
      const service = bot.catalog.services[example.expect.service - 1]!;
      expect(text).toContain(service.name);
      const aspectLabel = example.expect.aspect;
      if (aspectLabel) expect(text).toContain(`*${sectionLabel(aspectsByLabel[aspectLabel]!)}*`);
      expect(options[0]?.label).toBe('Persyaratan');
      return;
    }

    switch (example.expect) {
      case 'greeting':
        expect(options.map((option) => option.label)).toEqual(['Informasi layanan', 'Ajukan pengaduan', 'Cek status pengaduan', 'Kontak dan jam layanan']);
        break;
      case 'complaint':
        expect(options).toHaveLength(10);
        expect(text).toContain('Pengaduan Bapak/Ibu berkaitan dengan layanan apa?');
        break;
      case 'status':
        expect(text).toMatch(/PIN 4 angka|Belum ada pengaduan|Status pengaduan/);
        break;
      case 'contact':
        expect(text).toContain('Jl. Sutan Syahrir No. 5');
        break;
      case 'hours':
        expect(text).toContain('Senin–Kamis: 07.30–12.00 dan 13.00–16.00 WIB');
        break;
      case 'fee':
        expect(text).toContain('tidak dipungut biaya (Rp0)');
        break;
      case 'ambiguous':
        expect(text).toContain('Layanan mana yang Bapak/Ibu maksud?');
        if (example.candidates) expect(options.map((option) => Number(option.key))).toEqual(example.candidates);
        break;
      case 'thanks':
        expect(text).toContain('Terima kasih telah menghubungi');
        break;
      case 'help':
        expect(text).toContain('Cara memakai layanan ini');
        break;
      case 'fallback':
        expect(text).toContain('belum memahami');
        expect(options).toHaveLength(4);
        break;
    }
  });
});
