import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jpegBytes } from '../../support/media.js';
import { deliver, startOpenChannel, type TestChannel } from './channel-support.js';
import { MediaServer, photo } from './media-server.js';
import { citizenLid, citizenPhone, text, type KeyOptions } from './wa-messages.js';

const description = 'Tanggal 2 Desember saya mengajukan pertek kantor kas melalui DPMPTSP, tetapi belum ada kabar.';
const phoneUserId = citizenPhone.split('@')[0]!;

/** Whole conversations over WhatsApp: fake socket, real channel, conversation and SQLite store. */
describe('whatsapp dialogues', () => {
  let test: TestChannel;
  let server: MediaServer;
  const say = async (body: string, options: KeyOptions = {}) => (await deliver(test, text(body, options))).join('\n\n');

  beforeEach(async () => {
    server = await new MediaServer().start();
    test = await startOpenChannel();
  });
  afterEach(async () => {
    await test.channel.stop();
    await server.stop();
  });

  it('shows service information as numbered text', async () => {
    const welcome = await say('halo');
    expect(welcome).toContain('Selamat pagi, Bapak/Ibu. Selamat datang di layanan informasi Dinas Koperasi');
    expect(welcome).toContain('1. Informasi layanan\n2. Ajukan pengaduan\n3. Cek status pengaduan');
    expect(welcome).toContain('Ketik *menu* untuk ke menu utama');

    const services = await say('1');
    expect(services).toContain('Ada 8 layanan di');
    const service = test.harness.catalog.services[0]!;
    const detail = await say('1');
    expect(detail).toContain(`*${service.name}*`);
    const requirements = await say('1');
    expect(requirements.length).toBeGreaterThan(40);
    expect(test.whatsapp.current.sent.every((sent) => sent.jid === citizenLid)).toBe(true);
  });

  it('files a complaint with a photo', async () => {
    await say('halo');
    await say('2');
    await say('2');
    expect(await say(description)).toContain('kirim foto atau dokumen PDF sebagai bukti');
    const received = (await deliver(test, await photo(server, jpegBytes(6000)))).join('\n');
    expect(received).toContain('Bukti diterima (1 dari paling banyak 5 berkas)');
    await say('lanjut');
    await say('1');
    await say('Budi Santoso');
    const filed = await say('1');
    expect(filed).toContain('Nomor tiket: *ADU-2026-00001*');

    const complaint = await test.harness.store.findComplaint('ADU-2026-00001');
    expect(complaint).toMatchObject({ channel: 'whatsapp', userId: phoneUserId, citizenName: 'Budi Santoso', description });
    expect(complaint!.evidence).toEqual([expect.objectContaining({ mimeType: 'image/jpeg', size: 6000 })]);
    const stored = await test.harness.store.findMedia(complaint!.evidence[0]!.mediaId);
    expect(stored!.bytes.equals(jpegBytes(6000))).toBe(true);
  });

  it('checks the status of a complaint', async () => {
    await say('halo');
    await say('2');
    await say('2');
    await say(description);
    await say('lewati');
    await say('2');
    await say('1');

    const list = await say('3');
    expect(list).toContain('1. ADU-2026-00001');
    const status = await say('1');
    expect(status).toContain('*Status pengaduan ADU-2026-00001*');
    expect(status).toContain('Status: Diterima, menunggu verifikasi petugas');
  });

  it('finds a LID complaint under the phone number', async () => {
    const unknownPhone: KeyOptions = { from: citizenLid, alt: '' };
    await say('halo', unknownPhone);
    await say('2', unknownPhone);
    await say('2', unknownPhone);
    await say(description, unknownPhone);
    await say('lewati', unknownPhone);
    await say('2', unknownPhone);
    expect(await say('1', unknownPhone)).toContain('Nomor tiket: *ADU-2026-00001*');
    expect(await test.harness.store.findComplaint('ADU-2026-00001')).toMatchObject({ userId: `lid:${citizenLid.split('@')[0]}` });

    // WhatsApp reveals the phone number behind the LID.
    await test.whatsapp.current.signalRepository.lidMapping.storeLIDPNMappings([{ lid: citizenLid, pn: citizenPhone }]);
    test.whatsapp.current.emit('lid-mapping.update', { lid: citizenLid, pn: citizenPhone });
    await test.channel.whenIdle();

    expect(await test.harness.store.findComplaint('ADU-2026-00001')).toMatchObject({ userId: phoneUserId });
    expect(await say('3', { from: citizenPhone })).toContain('1. ADU-2026-00001');
  });

  it('resolves a LID through the mapping store', async () => {
    await test.whatsapp.current.signalRepository.lidMapping.storeLIDPNMappings([{ lid: citizenLid, pn: citizenPhone }]);
    await say('halo', { from: citizenLid, alt: '' });
    expect(await test.harness.store.findConversation(`whatsapp:${phoneUserId}`)).toBeDefined();
    expect(test.whatsapp.current.sent[0]!.jid).toBe(citizenLid);
  });
});
