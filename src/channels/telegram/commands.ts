import type { BotCommand, MessageEntity } from 'telegraf/types';

/** A Telegram command and the words of the bot it stands for. */
export interface CommandWord {
  /** Command name without the slash: 1–32 lowercase letters, digits or underscores. */
  command: string;
  /** Text handed to the pipeline in place of the command. */
  text: string;
  /** Description shown in Telegram's command menu, for citizens. */
  description: string;
}

/**
 * The commands registered with `setMyCommands`. Each stands for words the conversation
 * already understands: `halo`, `menu`, `bantuan` and `batal` work in every state, and
 * `cek status` is read as a status request by the matcher.
 */
// NOTE: "cek status" is free text. In a step that takes any text (the complaint's name or
// description) the conversation stores it as that name or description, as if the citizen typed it.
export const commandWords: readonly CommandWord[] = [
  { command: 'start', text: 'halo', description: 'Mulai dan tampilkan menu utama' },
  { command: 'menu', text: 'menu', description: 'Kembali ke menu utama' },
  { command: 'status', text: 'cek status', description: 'Cek status pengaduan' },
  { command: 'bantuan', text: 'bantuan', description: 'Petunjuk memakai layanan ini' },
  { command: 'batal', text: 'batal', description: 'Batalkan proses yang sedang berjalan' },
];

/** Returns the command list in the form `setMyCommands` takes. */
export function botCommands(): BotCommand[] {
  return commandWords.map(({ command, description }) => ({ command, description }));
}

/**
 * Replaces a known command at the start of a message (`/start`, `/menu@SomeBot`) with the
 * words it stands for. Words after `/status` are kept, so `/status ADU-2026-00001` checks
 * that ticket; after other commands they are dropped (`/start abc` is a deep-link payload).
 * Other texts, including unknown commands, are returned as they are.
 */
export function commandToText(text: string, entities: readonly MessageEntity[] | undefined): string {
  const entity = entities?.find((candidate) => candidate.type === 'bot_command' && candidate.offset === 0);
  if (!entity) return text;
  const name = text.slice(1, entity.length).split('@')[0]!.toLowerCase();
  const word = commandWords.find((candidate) => candidate.command === name);
  if (!word) return text;
  const rest = text.slice(entity.length).trim();
  return name === 'status' && rest ? `${word.text} ${rest}` : word.text;
}
