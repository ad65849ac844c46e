import { afterEach, describe, expect, it } from 'vitest';
import type { WebServer } from '../../src/channels/web/server.js';
import type { Reply } from '../../src/conversation/reply.js';
import { BotHarness } from '../support/harness.js';

/**
 * A citizen and the shipped demo officer (`petugas-demo`) on the web simulator, through the
 * web server's HTTP API on a loopback port: the citizen files a complaint, the officer lists,
 * classifies and answers it, and the citizen's queued messages carry the answer.
 */
describe('officer on the web simulator', () => {
  let server: WebServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(): Promise<BotHarness> {
    const bot = await BotHarness.create();
    server = await bot.serve();
    return bot;
  }

  async function send(user: string, text: string): Promise<string> {
    const response = await fetch(`${server!.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { replies: Reply[] };
    return body.replies.map((reply) => reply.text).join('\n\n');
  }

  async function queuedFor(user: string): Promise<string[]> {
    const response = await fetch(`${server!.url}/api/simulator/messages?user=${user}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: Array<{ text: string }> }).messages.map((message) => message.text);
  }

  it('lists, classifies and answers a filed complaint', async () => {
    await start();
    for (const text of ['halo', '2', '6', 'Tanggal 2 Desember saya mengajukan pertek kantor kas, tetapi belum ada kabar sampai sekarang.', 'lewati', '1', 'Budi Santoso']) {
      await send('warga-web', text);
    }
    expect(await send('warga-web', '1')).toContain('Nomor tiket: *ADU-2026-00001*');

    const list = await send('petugas-demo', 'daftar');
    expect(list).toContain('1. *ADU-2026-00001* · Diterima, menunggu verifikasi petugas');

    expect(await send('petugas-demo', 'klasifikasi ADU-2026-00001 normatif')).toContain('diklasifikasikan sebagai Pengaduan bersifat normatif');
    expect(await send('petugas-demo', '/jawab ADU-2026-00001 Pertimbangan teknis sudah kami kirim ke DPMPTSP.')).toContain(
      'dikirim kepada pelapor. Status: Sudah dijawab.',
    );

    const messages = await queuedFor('warga-web');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('Sudah diverifikasi petugas');
    expect(messages[1]).toContain('Jawaban petugas:\nPertimbangan teknis sudah kami kirim ke DPMPTSP.');
    expect(messages[1]).toContain('balas *selesai*');

    expect(await send('warga-web', 'selesai')).toContain('Pengaduan ADU-2026-00001 kami tutup dengan status *Selesai*.');
    expect(await send('petugas-demo', 'daftar')).toBe('Tidak ada pengaduan yang belum selesai.');
  });
});
