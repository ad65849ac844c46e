import { beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, joinReplies, lastOptions } from '../support/harness.js';

const user = 'warga-bad';

/** Returns the stored conversation version, which grows by one per processed message. */
async function versionOf(bot: BotHarness, userId = user): Promise<number | undefined> {
  return (await bot.store.findConversation(`web:${userId}`))?.version;
}

describe('bad input', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
    await bot.send(user, 'halo');
  });

  it.each(['', '   ', '\n\t ', '\u0000\u0007'])('empty text %j gets a polite reply', async (text) => {
    expect(await bot.sendText(user, text)).toContain('pesan Bapak/Ibu kosong');
  });

  it('10,000 characters get the length limit', async () => {
    expect(await bot.sendText(user, 'a'.repeat(10_000))).toContain('terlalu panjang');
  });

  it('10,000 characters leave the state unchanged', async () => {
    await bot.send(user, '1');
    await bot.send(user, 'x'.repeat(10_000));
    expect(lastOptions(await bot.send(user, '3'))[0]!.label).toBe('Persyaratan');
  });

  it('emoji only gets help and the menu', async () => {
    const replies = await bot.send(user, '😀🙏👍');
    expect(joinReplies(replies)).toContain('belum memahami');
    expect(lastOptions(replies)).toHaveLength(4);
  });

  it('control characters inside a number are ignored', async () => {
    const replies = await bot.send(user, '\u200b1\u0000');
    expect(lastOptions(replies)).toHaveLength(8);
  });

  it('zero-width space inside a command is ignored', async () => {
    await bot.send(user, '1');
    expect(await bot.sendText(user, 'ba\u200btal')).toContain('sudah dibatalkan');
  });

  it('zero-width space inside a question is ignored', async () => {
    expect(await bot.sendText(user, 'sya\u200brat usp')).toContain('*Persyaratan*');
  });

  it('mixed scripts get help', async () => {
    expect(await bot.sendText(user, 'Привет 你好 مرحبا')).toContain('belum memahami');
  });

  it('fullwidth digit is a number', async () => {
    expect(lastOptions(await bot.send(user, '１'))).toHaveLength(8);
  });

  it('number with inner spaces is not a menu choice', async () => {
    expect(await bot.sendText(user, '1 2')).toContain('belum memahami');
  });

  it('number with surrounding spaces is a menu choice', async () => {
    expect(lastOptions(await bot.send(user, '  1  '))).toHaveLength(8);
  });

  it.each(['5', '99', '999'])('main menu number %s out of range', async (text) => {
    expect(await bot.sendText(user, text)).toContain(`pilihan ${text} tidak ada`);
  });

  it('service number out of range', async () => {
    await bot.send(user, '1');
    expect(await bot.sendText(user, '9')).toContain('angka 1 sampai 8');
  });

  it('section number out of range', async () => {
    await bot.send(user, '1');
    await bot.send(user, '2');
    expect(await bot.sendText(user, '15')).toContain('angka 1 sampai 14');
  });

  it('long number is free text', async () => {
    expect(await bot.sendText(user, '12345678901234567890')).toContain('belum memahami');
  });
});

describe('redelivery', () => {
  it('same id three times is handled once', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo', 'first');
    const before = await versionOf(bot);

    const first = await bot.post({ user, text: '1', id: 'dup-1' });
    const second = await bot.post({ user, text: '1', id: 'dup-1' });
    const third = await bot.post({ user, text: '1', id: 'dup-1' });

    expect(first.body.replies!.length).toBeGreaterThan(0);
    expect(second.body).toEqual({ replies: [], duplicate: true });
    expect(third.body).toEqual({ replies: [], duplicate: true });
    expect(await versionOf(bot)).toBe(before! + 1);
  });

  it('same id delivered concurrently is handled once', async () => {
    const bot = await BotHarness.create();
    const results = await Promise.all([1, 2, 3].map(() => bot.post({ user, text: 'halo', id: 'same' })));
    expect(results.filter((result) => result.body.duplicate)).toHaveLength(2);
    expect(await versionOf(bot)).toBe(1);
  });
});

describe('concurrency', () => {
  it('two messages of one user at the same instant both apply', async () => {
    const bot = await BotHarness.create();
    await bot.send(user, 'halo');
    const [first, second] = await Promise.all([
      bot.post({ user, text: '1', id: 'a' }),
      bot.post({ user, text: '3', id: 'b' }),
    ]);
    expect(lastOptions(first.body.replies!)).toHaveLength(8);
    expect(lastOptions(second.body.replies!)[0]!.label).toBe('Persyaratan');
    expect(await versionOf(bot)).toBe(3);
  });

  it('many users in parallel keep their own state', async () => {
    const bot = await BotHarness.create();
    const users = Array.from({ length: 20 }, (_, index) => `warga-par-${index}`);
    await Promise.all(users.map((id) => bot.send(id, 'halo')));
    await Promise.all(users.map((id) => bot.send(id, '1')));
    const details = await Promise.all(users.map((id, index) => bot.send(id, String((index % 8) + 1))));
    details.forEach((replies, index) => {
      expect(replies[0]!.text).toContain(bot.catalog.services[index % 8]!.name);
    });
  });
});
