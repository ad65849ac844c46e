import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/conversation/reply.js';
import type { InboundMessage } from '../../../src/pipeline/inbound-message.js';
import type { PipelineResult } from '../../../src/pipeline/inbound-pipeline.js';
import { jpegBytes, pdfBytes } from '../../support/media.js';
import { deliver, startOpenChannel, type TestChannel } from './channel-support.js';
import { documentWithCaption, MediaServer, photo, viewOncePhoto } from './media-server.js';

/** A pipeline that records what it receives and answers every message with one reply. */
class RecordingPipeline {
  readonly received: InboundMessage[] = [];
  replies: Reply[] = [{ text: 'Diterima.' }];

  receive = async (message: InboundMessage): Promise<PipelineResult> => {
    this.received.push(message);
    return { replies: this.replies, duplicate: false };
  };
}

describe('whatsapp media', () => {
  let server: MediaServer;
  let pipeline: RecordingPipeline;
  let test: TestChannel | undefined;

  beforeEach(async () => {
    server = await new MediaServer().start();
    pipeline = new RecordingPipeline();
  });
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
    await server.stop();
  });

  it('downloads and decrypts a photo', async () => {
    test = await startOpenChannel({ pipeline });
    const bytes = jpegBytes(5000);
    await deliver(test, await photo(server, bytes, { caption: 'bukti pungutan' }));
    expect(pipeline.received).toHaveLength(1);
    expect(pipeline.received[0]).toMatchObject({ channel: 'whatsapp', text: 'bukti pungutan', senderName: 'Budi Santoso' });
    expect(pipeline.received[0]!.media).toEqual([{ bytes, declaredMimeType: 'image/jpeg' }]);
  });

  it('unwraps a document with caption', async () => {
    test = await startOpenChannel({ pipeline });
    await deliver(test, await documentWithCaption(server, pdfBytes(), 'surat pengajuan saya'));
    expect(pipeline.received[0]).toMatchObject({ text: 'surat pengajuan saya' });
    expect(pipeline.received[0]!.media).toEqual([{ bytes: pdfBytes(), declaredMimeType: 'application/pdf', fileName: 'surat-pengajuan.pdf' }]);
  });

  it('downloads a view-once photo', async () => {
    test = await startOpenChannel({ pipeline });
    const bytes = jpegBytes(3000);
    await deliver(test, await viewOncePhoto(server, bytes));
    expect(pipeline.received[0]!.media![0]!.bytes.equals(bytes)).toBe(true);
  });

  it('asks once for a re-upload of an expired file', async () => {
    test = await startOpenChannel({ pipeline });
    const bytes = jpegBytes(4000);
    const message = await photo(server, bytes, { path: '/expired.enc', failures: [410] });
    const reuploads: string[] = [];
    // The phone uploads the file again with new keys, so the returned message points at a new file.
    test.whatsapp.current.onMediaReupload = async (original) => {
      reuploads.push(original.key.id!);
      return photo(server, bytes, { id: original.key.id!, path: '/fresh.enc' });
    };
    await deliver(test, message);
    expect(reuploads).toEqual([message.key.id]);
    expect(server.requests).toEqual(['/expired.enc', '/fresh.enc']);
    expect(pipeline.received[0]!.media![0]!.bytes.equals(bytes)).toBe(true);
  });

  it('asks the citizen to resend a file that stays expired', async () => {
    test = await startOpenChannel({ pipeline });
    const message = await photo(server, jpegBytes(), { path: '/gone.enc', failures: [404] });
    const sent = await deliver(test, message);
    expect(sent).toEqual([test.harness.catalog.texts.whatsappMediaExpired]);
    expect(pipeline.received).toEqual([]);
  });

  it('passes the caption on when the file expired', async () => {
    test = await startOpenChannel({ pipeline });
    const message = await photo(server, jpegBytes(), { caption: 'ini buktinya', failures: [404] });
    const sent = await deliver(test, message);
    expect(sent).toEqual([test.harness.catalog.texts.whatsappMediaExpired, 'Diterima.']);
    expect(pipeline.received[0]).toMatchObject({ text: 'ini buktinya' });
    expect(pipeline.received[0]!.media).toBeUndefined();
  });

  it('refuses a file declared too large', async () => {
    test = await startOpenChannel({ pipeline, tuning: { downloadMaxBytes: 1024 } });
    const message = await photo(server, jpegBytes(4096));
    const sent = await deliver(test, message);
    expect(sent).toEqual(['Mohon maaf, berkas yang Bapak/Ibu kirim terlalu besar untuk kami terima. Ukuran paling besar 1 KB per berkas.']);
    expect(server.requests).toEqual([]);
  });

  it('cuts off a download over the limit', async () => {
    test = await startOpenChannel({ pipeline, tuning: { downloadMaxBytes: 1024 } });
    const message = await photo(server, jpegBytes(4096));
    message.message!.imageMessage!.fileLength = 100;
    const sent = await deliver(test, message);
    expect(server.requests).toHaveLength(1);
    expect(sent[0]).toContain('terlalu besar');
    expect(pipeline.received).toEqual([]);
  });
});
