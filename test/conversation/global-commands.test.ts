import { beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, joinReplies, lastOptions } from '../support/harness.js';

const user = 'warga-global';

/** Steps that bring a fresh conversation into each state that has a menu. */
const states: Record<string, string[]> = {
  'main menu': ['halo'],
  'service list': ['halo', '1'],
  'service detail': ['halo', '1', '3'],
  'section shown': ['halo', '1', '3', '1'],
  'choosing between services': ['halo', 'kantor koperasi cabang atau pembantu'],
};

const mainMenuKeys = ['1', '2', '3', '4'];

describe.each(Object.entries(states))('in %s', (_name, steps) => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
    for (const step of steps) await bot.send(user, step);
  });

  it.each(['menu', 'MENU', ' Menu! ', '*menu*'])('"%s" shows the main menu', async (text) => {
    const options = lastOptions(await bot.send(user, text));
    expect(options.map((option) => option.key)).toEqual(mainMenuKeys);
    expect(options[0]!.label).toBe('Informasi layanan');
  });

  it.each(['halo', 'Selamat pagi', 'assalamualaikum', 'P', 'HALO!!'])('greeting "%s" shows the main menu', async (text) => {
    const options = lastOptions(await bot.send(user, text));
    expect(options.map((option) => option.key)).toEqual(mainMenuKeys);
  });

  it.each(['bantuan', 'Bantuan.', 'BANTUAN'])('"%s" explains the bot', async (text) => {
    const reply = await bot.sendText(user, text);
    expect(reply).toContain('Cara memakai layanan ini');
  });

  it('help keeps the current state', async () => {
    const before = await bot.store.findConversation(`web:${user}`);
    await bot.send(user, 'bantuan');
    const after = await bot.store.findConversation(`web:${user}`);
    expect((after!.snapshot as { value: unknown }).value).toEqual((before!.snapshot as { value: unknown }).value);
  });

  it.each(['batal', 'Batal', 'BATAL.'])('"%s" ends at the main menu', async (text) => {
    const options = lastOptions(await bot.send(user, text));
    expect(options.map((option) => option.key)).toEqual(mainMenuKeys);
  });

  it.each(['0', ' 0 ', '０'])('"%s" goes back one level', async (text) => {
    const replies = await bot.send(user, text);
    expect(replies.length).toBeGreaterThan(0);
    expect(joinReplies(replies)).not.toContain('tidak ada');
  });
});

describe('back navigation', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.create();
    await bot.send(user, 'halo');
  });

  it('from detail to list to main menu', async () => {
    await bot.send(user, '1');
    await bot.send(user, '5');
    expect(lastOptions(await bot.send(user, '0'))).toHaveLength(8);
    expect(lastOptions(await bot.send(user, '0')).map((option) => option.key)).toEqual(mainMenuKeys);
  });

  it('at the main menu says so', async () => {
    expect(await bot.sendText(user, '0')).toContain('sudah berada di menu utama');
  });

  it('batal at the main menu has nothing to cancel', async () => {
    expect(await bot.sendText(user, 'batal')).toContain('tidak ada proses yang perlu dibatalkan');
  });

  it('batal in a service menu confirms the cancel', async () => {
    await bot.send(user, '1');
    expect(await bot.sendText(user, 'batal')).toContain('sudah dibatalkan');
  });

  it('command words inside a sentence are free text', async () => {
    const text = await bot.sendText(user, 'menu layanan kantor kas');
    expect(text).toContain('Kantor Kas');
  });
});
