import { describe, expect, it } from 'vitest';
import { parseFeedback } from './feedback-parser.js';

describe('parseFeedback', () => {
  it.each([
    ['selesai', { action: 'close' }],
    ['Selesai.', { action: 'close' }],
    ['SUDAH SELESAI!', { action: 'close' }],
    ['selesai ADU-2026-00042', { action: 'close', ticket: 'ADU-2026-00042' }],
    ['adu 2026 42 selesai', { action: 'close', ticket: 'ADU-2026-00042' }],
    ['belum selesai', { action: 'reopen', reason: '' }],
    ['Belum selesai, surat balasan belum saya terima.', { action: 'reopen', reason: 'surat balasan belum saya terima.' }],
    ['belum selesai ADU-2026-00042 izin belum terbit', { action: 'reopen', ticket: 'ADU-2026-00042', reason: 'izin belum terbit' }],
    ['ADU-2026-00042: belum selesai - izin\nbelum terbit', { action: 'reopen', ticket: 'ADU-2026-00042', reason: 'izin\nbelum terbit' }],
    ['selesai, terima kasih', { action: 'close' }],
    ['selesai terima kasih pak 🙏', { action: 'close' }],
    ['masih belum selesai, izin belum terbit', { action: 'reopen', reason: 'izin belum terbit' }],
    ['belum selesai pak, izin belum terbit', { action: 'reopen', reason: 'izin belum terbit' }],
    ['belum selesai bu 🙏', { action: 'reopen', reason: '' }],
  ])('reads %j', (text, expected) => {
    expect(parseFeedback(text)).toEqual(expected);
  });

  it.each(['selesai kapan izin saya?', 'kapan selesai?', 'selesaikan', 'belum', 'menu', 'pelayanan belum selesai', 'selesai pak, tapi kapan izin saya terbit?', 'masih selesai'])('ignores %j', (text) => {
    expect(parseFeedback(text)).toBeUndefined();
  });
});
