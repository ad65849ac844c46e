import type { Chat, Message, PhotoSize, Update, User } from 'telegraf/types';
import { commandToText } from './commands.js';

/** A file attached to a citizen's message, still on Telegram's servers. */
export interface RemoteFile {
  fileId: string;
  /** Size Telegram reports, in bytes; absent for some files. */
  fileSize?: number;
  mimeType?: string;
  fileName?: string;
}

/** A citizen's message or button press, ready to become an `InboundMessage`. */
export interface CitizenInput {
  kind: 'input';
  /** Chat id of the private chat, which is also the citizen's user id, or of an officers' group. */
  chatId: string;
  /** The writer's user id, for a message in an officers' group (where it differs from the chat id). */
  groupSenderId?: string;
  /** Telegram `message_id` for a message, `cbq:<callback query id>` for a button press. */
  messageId: string;
  /** Message text or caption with commands replaced by words, or the pressed button's key. */
  text: string;
  senderName?: string;
  files: RemoteFile[];
  /** Id of the callback query to answer, for a button press. */
  callbackQueryId?: string;
  /** Message id of the bot's message whose button was pressed. */
  buttonMessageId?: number;
  /** The kind of media the bot does not accept, when the message carries one. */
  unsupportedMedia?: UnsupportedMedia;
}

/** Message fields of media that evidence cannot be: the bot accepts photos and documents only. */
const unsupportedMediaFields = ['video', 'video_note', 'animation', 'audio', 'voice', 'sticker'] as const;
export type UnsupportedMedia = (typeof unsupportedMediaFields)[number];

/** A change of whether the bot may write to a private chat: blocked or unblocked by the citizen. */
export interface MembershipChange {
  kind: 'membership';
  chatId: string;
  reachable: boolean;
}

/** An update the bot does not answer; `reason` is for the debug log. */
export interface IgnoredUpdate {
  kind: 'ignored';
  reason: string;
  /** Id of a callback query that still needs an answer so the client's spinner stops. */
  callbackQueryId?: string;
}

export type ReadUpdate = CitizenInput | MembershipChange | IgnoredUpdate;

/** Message fields that carry something a citizen sent; a message with none is a service message. */
const contentFields = ['text', 'photo', 'document', 'sticker', 'voice', 'audio', 'video', 'video_note', 'animation', 'location', 'contact', 'venue', 'poll', 'dice'];

/**
 * Reads a Telegram update into what the channel does with it. Private chats are served, where
 * the chat id is the citizen's id, and the text messages of the officers' groups in
 * `officerGroups`, which can only be officer commands. Photos give their largest size, documents their file.
 * Videos, voice and audio notes, stickers and animations are named in `unsupportedMedia`
 * and give no file. Every message kind goes on with its caption or an empty text. Edited
 * messages and other update types are ignored.
 */
export function readUpdate(update: Update, officerGroups: ReadonlySet<string> = new Set()): ReadUpdate {
  if ('message' in update) return readMessage(update.message, officerGroups);
  if ('callback_query' in update) return readCallbackQuery(update.callback_query);
  if ('edited_message' in update) return { kind: 'ignored', reason: 'edited message' };
  if ('my_chat_member' in update) {
    const change = update.my_chat_member;
    // The bot added to or removed from an officers' group changes whether pings reach it.
    const officersGroup = officerGroups.has(String(change.chat.id));
    if (change.chat.type !== 'private' && !officersGroup) return { kind: 'ignored', reason: 'membership change outside a private chat' };
    const status = change.new_chat_member.status;
    return { kind: 'membership', chatId: String(change.chat.id), reachable: status !== 'kicked' && status !== 'left' };
  }
  const type = Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
  return { kind: 'ignored', reason: `update type ${type}` };
}

function readMessage(message: Message, officerGroups: ReadonlySet<string>): ReadUpdate {
  if (message.chat.type === 'group' || message.chat.type === 'supergroup') return readGroupMessage(message, officerGroups);
  if (message.chat.type !== 'private') return { kind: 'ignored', reason: `message in a ${message.chat.type} chat` };
  if (!contentFields.some((field) => field in message)) return { kind: 'ignored', reason: 'service message' };

  const text = 'text' in message ? commandToText(message.text, message.entities) : 'caption' in message ? (message.caption ?? '') : '';
  const unsupportedMedia = unsupportedMediaFields.find((field) => field in message);
  return {
    kind: 'input',
    chatId: String(message.chat.id),
    messageId: String(message.message_id),
    text,
    ...senderNameOf(message.from),
    // An animation message carries a `document` copy of the same file, which is not evidence either.
    files: unsupportedMedia ? [] : filesOf(message),
    ...(unsupportedMedia ? { unsupportedMedia } : {}),
  };
}

/**
 * Reads a text message in an officers' group chat (from officers.yaml) as a possible officer
 * command of its writer. Other groups, and files or bots in the group, are ignored. Message
 * ids count per chat, so the group's id is part of the message id.
 */
function readGroupMessage(message: Message, officerGroups: ReadonlySet<string>): ReadUpdate {
  const chatId = String(message.chat.id);
  if (!officerGroups.has(chatId)) return { kind: 'ignored', reason: `message in a ${message.chat.type} chat` };
  if (!('text' in message) || !message.from || message.from.is_bot) return { kind: 'ignored', reason: "officers' group message without an officer's text" };
  return {
    kind: 'input',
    chatId,
    groupSenderId: String(message.from.id),
    messageId: `group${chatId}:${message.message_id}`,
    // In a group Telegram writes commands as `/daftar@bot_name`; the officer desk reads `/daftar`.
    text: message.text.replace(/^(\/[\w-]+)@\w+/, '$1'),
    ...senderNameOf(message.from),
    files: [],
  };
}

function readCallbackQuery(query: Extract<Update, { callback_query: unknown }>['callback_query']): ReadUpdate {
  const callbackQueryId = query.id;
  if (!('data' in query) || typeof query.data !== 'string') return { kind: 'ignored', reason: 'callback query without data', callbackQueryId };
  const chat: Chat | undefined = query.message?.chat;
  if (!chat) return { kind: 'ignored', reason: 'callback query from an inline message', callbackQueryId };
  if (chat.type !== 'private') return { kind: 'ignored', reason: `callback query in a ${chat.type} chat`, callbackQueryId };
  return {
    kind: 'input',
    chatId: String(chat.id),
    messageId: `cbq:${callbackQueryId}`,
    text: query.data,
    ...senderNameOf(query.from),
    files: [],
    callbackQueryId,
    ...(query.message ? { buttonMessageId: query.message.message_id } : {}),
  };
}

function senderNameOf(user: User | undefined): { senderName?: string } {
  const name = user?.first_name?.trim();
  return name ? { senderName: name } : {};
}

function filesOf(message: Message): RemoteFile[] {
  if ('photo' in message && message.photo.length > 0) {
    const largest = message.photo.reduce((best, size) => (area(size) > area(best) ? size : best));
    return [{ fileId: largest.file_id, mimeType: 'image/jpeg', ...sizeOf(largest.file_size) }];
  }
  if ('document' in message) {
    const document = message.document;
    return [
      {
        fileId: document.file_id,
        ...sizeOf(document.file_size),
        ...(document.mime_type ? { mimeType: document.mime_type } : {}),
        ...(document.file_name ? { fileName: document.file_name } : {}),
      },
    ];
  }
  return [];
}

function area(size: PhotoSize): number {
  return size.width * size.height;
}

function sizeOf(fileSize: number | undefined): { fileSize?: number } {
  return fileSize === undefined ? {} : { fileSize };
}
