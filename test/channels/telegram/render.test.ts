import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToPlainText, stripBoldMarks, toTelegramHtml } from '../../../src/channels/telegram/html.js';
import { buildKeyboard } from '../../../src/channels/telegram/keyboard.js';
import { renderReply } from '../../../src/channels/telegram/render-reply.js';
import { maxMessageLength, splitHtml } from '../../../src/channels/telegram/split-message.js';
import { expectWellFormedHtml } from './telegram-html.js';

describe('escapeHtml', () => {
  it('escapes ampersand and angle brackets', () => {
    expect(escapeHtml('R&D <script>alert(1)</script> > 2')).toBe('R&amp;D &lt;script&gt;alert(1)&lt;/script&gt; &gt; 2');
  });

  it('escapes an entity a second time', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('leaves quotes alone', () => {
    expect(escapeHtml(`"kutip" 'tunggal'`)).toBe(`"kutip" 'tunggal'`);
  });
});

describe('toTelegramHtml', () => {
  it('turns bold marks into b tags', () => {
    expect(toTelegramHtml('Ketik *menu* atau *0*.')).toBe('Ketik <b>menu</b> atau <b>0</b>.');
  });

  it('escapes content inside bold', () => {
    expect(toTelegramHtml('*A<B & C>*')).toBe('<b>A&lt;B &amp; C&gt;</b>');
  });

  it('keeps bold on one line', () => {
    expect(toTelegramHtml('*satu\ndua*')).toBe('*satu\ndua*');
  });

  it('ignores asterisks with spaces inside', () => {
    expect(toTelegramHtml('5 * 3 * 2')).toBe('5 * 3 * 2');
  });

  it('leaves a lone asterisk', () => {
    expect(toTelegramHtml('catatan*')).toBe('catatan*');
  });

  it('keeps a tag typed by a citizen as text', () => {
    const html = toTelegramHtml('Uraian: <b>tebal</b> & <a href="x">tautan</a>');
    expect(html).toBe('Uraian: &lt;b&gt;tebal&lt;/b&gt; &amp; &lt;a href="x"&gt;tautan&lt;/a&gt;');
    expectWellFormedHtml(html);
  });
});

describe('htmlToPlainText', () => {
  it('restores the text a reader sees', () => {
    expect(htmlToPlainText(toTelegramHtml('*Status* R&D <x>'))).toBe('Status R&D <x>');
  });
});

describe('stripBoldMarks', () => {
  it('removes marks and keeps words', () => {
    expect(stripBoldMarks('Pilih *Kirim*')).toBe('Pilih Kirim');
  });
});

describe('splitHtml', () => {
  it('keeps a short text whole', () => {
    expect(splitHtml('halo', 10)).toEqual(['halo']);
  });

  it('keeps a text of exactly the limit whole', () => {
    const text = 'a'.repeat(maxMessageLength);
    expect(splitHtml(text)).toEqual([text]);
  });

  it('cuts at a line break', () => {
    const lines = Array.from({ length: 300 }, (_, index) => `${index + 1}. Persyaratan nomor ${index + 1}`);
    const chunks = splitHtml(lines.join('\n'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(maxMessageLength);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
    for (const chunk of chunks) expect(chunk.split('\n')[0]).toMatch(/^\d+\. Persyaratan nomor \d+$/);
  });

  it('cuts a long line at a space', () => {
    const words = Array.from({ length: 1200 }, (_, index) => `kata${index}`);
    const chunks = splitHtml(words.join(' '));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join(' ')).toBe(words.join(' '));
  });

  it('never cuts a surrogate pair', () => {
    const text = `a${'😀'.repeat(3000)}`;
    const chunks = splitHtml(text);
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(maxMessageLength);
      expect(chunk).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
    expect(chunks.join('')).toBe(text);
  });

  it('never cuts an emoji sequence', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = family.repeat(1000);
    const chunks = splitHtml(text);
    for (const chunk of chunks) {
      expect(chunk.length % family.length).toBe(0);
      expect(chunk.length).toBeLessThanOrEqual(maxMessageLength);
    }
    expect(chunks.join('')).toBe(text);
  });

  it('never cuts an entity', () => {
    const text = '&amp;'.repeat(1000);
    for (const chunk of splitHtml(text)) expect(chunk).toMatch(/^(&amp;)+$/);
  });

  it('closes and reopens a tag at a cut', () => {
    const text = `<b>${'tebal '.repeat(1000)}</b>`;
    const chunks = splitHtml(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(maxMessageLength);
      expect(chunk.startsWith('<b>')).toBe(true);
      expect(chunk.endsWith('</b>')).toBe(true);
      expectWellFormedHtml(chunk);
    }
  });

  it('never cuts inside a tag', () => {
    const text = `${'x'.repeat(4094)}<b>y</b>`;
    const chunks = splitHtml(text);
    expect(chunks).toEqual(['x'.repeat(4094), '<b>y</b>']);
  });

  it('cuts a text without spaces anywhere', () => {
    const chunks = splitHtml('z'.repeat(10_000));
    expect(chunks.map((chunk) => chunk.length)).toEqual([4096, 4096, 1808]);
  });

  it('prefers a late space to an early line break', () => {
    const text = `awal\n${'kata '.repeat(1000)}`;
    const [first] = splitHtml(text);
    expect(first!.length).toBeGreaterThan(4000);
  });
});

describe('buildKeyboard', () => {
  it('puts long labels one to a row', () => {
    expect(
      buildKeyboard([
        { key: '1', label: 'Informasi layanan' },
        { key: '2', label: 'Ajukan pengaduan' },
      ]),
    ).toEqual({
      inline_keyboard: [[{ text: '1. Informasi layanan', callback_data: '1' }], [{ text: '2. Ajukan pengaduan', callback_data: '2' }]],
    });
  });

  it('puts short labels two to a row', () => {
    expect(
      buildKeyboard([
        { key: '1', label: 'Kirim' },
        { key: '2', label: 'Ubah' },
        { key: '3', label: 'Batal' },
      ]),
    ).toEqual({
      inline_keyboard: [
        [
          { text: '1. Kirim', callback_data: '1' },
          { text: '2. Ubah', callback_data: '2' },
        ],
        [{ text: '3. Batal', callback_data: '3' }],
      ],
    });
  });

  it('drops a key over 64 bytes', () => {
    const keyboard = buildKeyboard([
      { key: 'é'.repeat(33), label: 'Panjang' },
      { key: '2', label: 'Pendek' },
    ]);
    expect(keyboard?.inline_keyboard.flat().map((button) => button.text)).toEqual(['2. Pendek']);
  });

  it('keeps a key of exactly 64 bytes', () => {
    const key = 'k'.repeat(64);
    expect(buildKeyboard([{ key, label: 'x' }])?.inline_keyboard[0]![0]).toEqual({ text: `${key}. x`, callback_data: key });
  });

  it('returns nothing without options', () => {
    expect(buildKeyboard(undefined)).toBeUndefined();
    expect(buildKeyboard([])).toBeUndefined();
  });

  it('strips bold marks from labels', () => {
    expect(buildKeyboard([{ key: '1', label: '*Kirim*' }])?.inline_keyboard[0]![0]!.text).toBe('1. Kirim');
  });
});

describe('renderReply', () => {
  it('renders text, numbered options and footer', () => {
    const [message, ...rest] = renderReply({
      text: 'Silakan pilih:',
      options: [
        { key: '1', label: 'Informasi layanan' },
        { key: '2', label: 'R&D <baru>' },
      ],
      footer: 'Ketik *menu* untuk ke menu utama.',
    });
    expect(rest).toEqual([]);
    expect(message!.html).toBe('Silakan pilih:\n\n1. Informasi layanan\n2. R&amp;D &lt;baru&gt;\n\nKetik <b>menu</b> untuk ke menu utama.');
    expect(message!.keyboard?.inline_keyboard.flat().map((button) => ('callback_data' in button ? button.callback_data : undefined))).toEqual(['1', '2']);
    expectWellFormedHtml(message!.html);
  });

  it('renders a text alone without keyboard', () => {
    expect(renderReply({ text: 'Terima kasih.' })).toEqual([{ html: 'Terima kasih.' }]);
  });

  it('puts the keyboard on the last part', () => {
    const messages = renderReply({ text: 'baris\n'.repeat(1500), options: [{ key: '1', label: 'Kirim' }] });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((message) => message.keyboard === undefined)).toBe(true);
    expect(messages.at(-1)!.keyboard).toBeDefined();
    for (const message of messages) expect(message.html.length).toBeLessThanOrEqual(maxMessageLength);
  });

  it('renders nothing for an empty text', () => {
    expect(renderReply({ text: '  ' })).toEqual([]);
  });
});
