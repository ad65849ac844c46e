import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotApiDownloader } from '../../../src/channels/telegram/file-download.js';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { BotHarness } from '../../support/harness.js';
import { jpegBytes, pdfBytes } from '../../support/media.js';
import { BotApiStub, documentUpdate, messageUpdate, photoUpdate, stubToken, textUpdate } from './bot-api-stub.js';
import { createStubChannel, fastTuning, RecordingPipeline } from './stub-support.js';

const chatId = 777;

describe('telegram file downloads', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel | undefined;
  let pipeline: RecordingPipeline;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    pipeline = new RecordingPipeline();
  });

  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    await stub.stop();
  });

  async function receive(update: Parameters<BotApiStub['pushUpdate']>[0]) {
    channel = await createStubChannel(stub, { pipeline });
    channel.start();
    stub.pushUpdate(update);
    await stub.waitForCalls('sendMessage', 1);
    await channel.whenIdle();
    expect(pipeline.received).toHaveLength(1);
    return pipeline.received[0]!;
  }

  it('downloads the largest photo size', async () => {
    const photo = jpegBytes(4096);
    stub.addFile('photo-large', photo);
    const message = await receive(photoUpdate(1, chatId, 'photo-large', 'bukti pungutan'));
    expect(message.text).toBe('bukti pungutan');
    expect(message.media).toHaveLength(1);
    expect(message.media![0]!.bytes.equals(photo)).toBe(true);
    expect(message.media![0]!.declaredMimeType).toBe('image/jpeg');
    expect(stub.callsOf('getFile').map((call) => call.body.file_id)).toEqual(['photo-large']);
  });

  it('downloads a PDF document with its name', async () => {
    stub.addFile('doc-1', pdfBytes());
    const message = await receive(documentUpdate(1, chatId, { fileId: 'doc-1', fileName: 'surat.pdf', mimeType: 'application/pdf' }));
    expect(message.text).toBe('');
    expect(message.media![0]).toEqual({ bytes: pdfBytes(), declaredMimeType: 'application/pdf', fileName: 'surat.pdf' });
  });

  it('retries a failed download', async () => {
    stub.addFile('doc-2', pdfBytes());
    stub.on('getFile', (_body, count) => (count === 0 ? { httpStatus: 502 } : undefined));
    const message = await receive(documentUpdate(1, chatId, { fileId: 'doc-2', fileName: 'surat.pdf', mimeType: 'application/pdf' }));
    expect(stub.callsOf('getFile')).toHaveLength(2);
    expect(message.media).toHaveLength(1);
  });

  /** Sends an update and waits until the channel has sent `replies` messages for it. */
  async function receiveWithoutPipeline(update: Parameters<BotApiStub['pushUpdate']>[0], replies = 1) {
    channel = await createStubChannel(stub, { pipeline });
    channel.start();
    stub.pushUpdate(update);
    await stub.waitForCalls('sendMessage', replies);
    await channel.whenIdle();
    return stub.callsOf('sendMessage').map((call) => String(call.body.text));
  }

  const fileNotice =
    'Mohon maaf, berkas yang Bapak/Ibu kirim tidak dapat kami terima. Kami menerima foto dan dokumen PDF, masing-masing paling besar 10 MB. Silakan kirim ulang berkas yang sesuai.';
  const mediaNotice =
    'Mohon maaf, kami tidak dapat menerima video, pesan suara, audio, stiker, atau GIF. Kami menerima foto dan dokumen PDF, masing-masing paling besar 10 MB.';

  it('skips a file declared too large', async () => {
    const sent = await receiveWithoutPipeline(documentUpdate(1, chatId, { fileId: 'big', fileName: 'scan.pdf', mimeType: 'application/pdf', fileSize: 50 * 1024 * 1024 }));
    expect(stub.callsOf('getFile')).toEqual([]);
    expect(sent).toEqual([fileNotice]);
    expect(pipeline.received).toEqual([]);
  });

  it('cuts off a download over the limit', async () => {
    stub.addFile('undeclared', Buffer.alloc(fastTuning.download!.maxBytes + 1));
    const sent = await receiveWithoutPipeline(documentUpdate(1, chatId, { fileId: 'undeclared', fileName: 'scan.pdf', mimeType: 'application/pdf' }));
    expect(stub.callsOf('downloadFile')).toHaveLength(1);
    expect(sent).toEqual([fileNotice]);
    expect(pipeline.received).toEqual([]);
  });

  it('skips a file the server lost', async () => {
    stub.addFile('gone', pdfBytes(), 404);
    const sent = await receiveWithoutPipeline(documentUpdate(1, chatId, { fileId: 'gone', fileName: 'surat.pdf', mimeType: 'application/pdf' }));
    expect(stub.callsOf('downloadFile')).toHaveLength(1);
    expect(sent).toEqual([fileNotice]);
    expect(pipeline.received).toEqual([]);
  });

  it('passes the caption of a lost file on', async () => {
    stub.addFile('gone', jpegBytes(2048), 404);
    const sent = await receiveWithoutPipeline(photoUpdate(1, chatId, 'gone', 'petugas meminta uang'), 2);
    expect(pipeline.received).toHaveLength(1);
    expect(pipeline.received[0]).toMatchObject({ text: 'petugas meminta uang' });
    expect(pipeline.received[0]).not.toHaveProperty('media');
    // The notice comes first, so the conversation's reply (and its keyboard) is the last message.
    expect(sent).toEqual([fileNotice, '<b>Halo</b>, Bapak/Ibu.']);
  });

  it('answers a voice note with the notice', async () => {
    const sent = await receiveWithoutPipeline(messageUpdate(1, chatId, { voice: { file_id: 'v', file_unique_id: 'v', duration: 4 } }));
    expect(sent).toEqual([mediaNotice]);
    expect(pipeline.received).toEqual([]);
    expect(stub.callsOf('getFile')).toEqual([]);
  });

  it('passes the caption of a video on', async () => {
    const video = { file_id: 'vid', file_unique_id: 'vid', duration: 9, width: 640, height: 480 };
    const sent = await receiveWithoutPipeline(messageUpdate(1, chatId, { video, caption: 'rekaman di loket' }), 2);
    expect(pipeline.received.map((message) => message.text)).toEqual(['rekaman di loket']);
    expect(sent).toEqual([mediaNotice, '<b>Halo</b>, Bapak/Ibu.']);
    expect(stub.callsOf('getFile')).toEqual([]);
  });

  it('answers each unsupported kind', async () => {
    channel = await createStubChannel(stub, { pipeline });
    channel.start();
    const file = { file_id: 'f', file_unique_id: 'f', duration: 1 };
    const updates = [
      { sticker: { file_id: 's', file_unique_id: 's', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' } },
      { audio: file },
      { video_note: { ...file, length: 240 } },
      { animation: { ...file, width: 1, height: 1 }, document: { file_id: 'f', file_unique_id: 'f', mime_type: 'video/mp4' } },
    ];
    updates.forEach((fields, index) => stub.pushUpdate(messageUpdate(index + 1, chatId + index, fields)));
    await stub.waitForCalls('sendMessage', updates.length);
    await channel.whenIdle();
    expect(stub.callsOf('sendMessage').map((call) => call.body.text)).toEqual(updates.map(() => mediaNotice));
    expect(stub.callsOf('getFile')).toEqual([]);
    expect(pipeline.received).toEqual([]);
  });
});

describe('createBotApiDownloader', () => {
  let stub: BotApiStub;
  beforeEach(async () => {
    stub = await new BotApiStub().start();
  });
  afterEach(async () => {
    await stub.stop();
  });

  it('fetches the file at the Bot API file path', async () => {
    const { Telegraf } = await import('telegraf');
    const telegram = new Telegraf(stubToken, { telegram: { apiRoot: stub.url } }).telegram;
    const download = createBotApiDownloader(telegram, { maxBytes: 1024, timeoutMs: 1000, retry: fastTuning.sendRetry! });
    stub.addFile('f', Buffer.from('isi berkas'));
    expect((await download({ fileId: 'f' })).toString()).toBe('isi berkas');
    expect(stub.callsOf('downloadFile')[0]!.body.path).toBe('documents/f.bin');
  });
});

describe('evidence over telegram', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
  });
  afterEach(async () => {
    await channel.stop();
    await stub.stop();
  });

  it('attaches a photo to a complaint', async () => {
    const bot = await BotHarness.create();
    channel = createTelegramChannel({
      config: { token: stubToken, apiRoot: stub.url },
      pipeline: bot.pipeline,
      catalog: bot.catalog,
      logger: createSilentLogger(),
      clock: bot.clock.now,
      tuning: fastTuning,
    });
    channel.start();
    stub.addFile('evidence', jpegBytes(8192));
    const steps = [
      textUpdate(1, chatId, 'halo'),
      textUpdate(2, chatId, '2'),
      textUpdate(3, chatId, '6'),
      textUpdate(4, chatId, 'Tanggal 2 Desember saya mengajukan pertek kantor kas, tetapi belum ada kabar.'),
      photoUpdate(5, chatId, 'evidence'),
    ];
    for (const step of steps) stub.pushUpdate(step);
    await stub.waitForCalls('downloadFile', 1);
    await channel.whenIdle();
    const last = stub.callsOf('sendMessage').at(-1)!;
    expect(last.body.text).toContain('Bukti diterima (1 dari paling banyak 5 berkas)');
  });
});
