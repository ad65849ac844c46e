import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  normalizeMessageContent,
  proto,
  type WAMessage,
} from '@whiskeysockets/baileys';

/** Why a message is not handled at all. */
export type IgnoredReason = 'own-message' | 'group' | 'status' | 'broadcast' | 'newsletter' | 'other-address' | 'no-address';

/** Kinds of messages that belong to a chat but are not a citizen saying something. */
export type NonConversationalReason = 'revoke' | 'edit' | 'protocol' | 'reaction' | 'decryption-failed' | 'stub' | 'other';

/** A file in a message that the channel downloads. */
export interface MediaAttachment {
  kind: 'image' | 'document';
  /** The MIME type the sender's app declared. */
  declaredMimeType?: string;
  fileName?: string;
  /** The size the sender's app declared, in bytes. */
  declaredSize?: number;
}

/** What a WhatsApp message means for the channel. */
export type ReadMessage =
  /** Not from a citizen in a direct chat: no reply, nothing recorded. */
  | { kind: 'ignored'; reason: IgnoredReason }
  /**
   * A change to the chat rather than a message (a deletion, edit, reaction, or a stub): no
   * reply and no change of the conversation. `final` is false for a decryption failure,
   * because the real message may still arrive under the same id.
   */
  | { kind: 'non-conversational'; reason: NonConversationalReason; final: boolean }
  /** A view-once photo or video whose content WhatsApp does not give to linked devices. */
  | { kind: 'view-once-unavailable' }
  /** A voice note, video, sticker, location or other content the bot cannot read. */
  | { kind: 'unsupported'; contentType: string }
  /** Text, or an image or document with its caption. */
  | { kind: 'input'; text: string; media?: MediaAttachment };

const nonConversationalTypes: Partial<Record<keyof proto.IMessage, NonConversationalReason>> = {
  reactionMessage: 'reaction',
  encReactionMessage: 'reaction',
  secretEncryptedMessage: 'edit',
  editedMessage: 'edit',
  pollUpdateMessage: 'other',
  encEventResponseMessage: 'other',
  keepInChatMessage: 'other',
  pinInChatMessage: 'other',
  messageHistoryNotice: 'other',
};

/**
 * Reads one upserted message. The order of the checks matters: the chat address first (own
 * messages, groups, status, broadcast lists, newsletters), then stubs, then the content
 * after unwrapping ephemeral, view-once and document-with-caption wrappers with Baileys'
 * `normalizeMessageContent`. That helper also unwraps edits, so edits are recognised before it.
 */
export function readMessage(message: WAMessage): ReadMessage {
  const ignored = ignoredReasonOf(message.key);
  if (ignored) return { kind: 'ignored', reason: ignored };

  if (message.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT) {
    return { kind: 'non-conversational', reason: 'decryption-failed', final: false };
  }
  const raw = message.message ?? undefined;
  if (!raw) {
    if (message.key.isViewOnce) return { kind: 'view-once-unavailable' };
    return { kind: 'non-conversational', reason: 'stub', final: true };
  }

  if (raw.editedMessage || raw.protocolMessage?.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) {
    return { kind: 'non-conversational', reason: 'edit', final: true };
  }
  const content = normalizeMessageContent(raw);
  const type = getContentType(content);
  if (!content || !type) {
    // A view-once wrapper whose content was withheld unwraps to nothing.
    if (raw.viewOnceMessage || raw.viewOnceMessageV2 || raw.viewOnceMessageV2Extension) return { kind: 'view-once-unavailable' };
    return { kind: 'non-conversational', reason: 'other', final: true };
  }
  return readContent(content, type);
}

function readContent(content: proto.IMessage, type: keyof proto.IMessage): ReadMessage {
  if (type === 'protocolMessage') {
    const revoke = content.protocolMessage?.type === proto.Message.ProtocolMessage.Type.REVOKE;
    return { kind: 'non-conversational', reason: revoke ? 'revoke' : 'protocol', final: true };
  }
  const nonConversational = nonConversationalTypes[type];
  if (nonConversational) return { kind: 'non-conversational', reason: nonConversational, final: true };

  switch (type) {
    case 'conversation':
      return { kind: 'input', text: content.conversation ?? '' };
    case 'extendedTextMessage':
      return { kind: 'input', text: content.extendedTextMessage?.text ?? '' };
    case 'imageMessage': {
      const image = content.imageMessage!;
      return { kind: 'input', text: image.caption ?? '', media: { kind: 'image', ...declared(image.mimetype, undefined, image.fileLength) } };
    }
    case 'documentMessage': {
      const document = content.documentMessage!;
      return {
        kind: 'input',
        text: document.caption ?? '',
        media: { kind: 'document', ...declared(document.mimetype, document.fileName, document.fileLength) },
      };
    }
    default:
      return { kind: 'unsupported', contentType: type };
  }
}

function declared(
  mimeType: string | null | undefined,
  fileName: string | null | undefined,
  size: number | Long | null | undefined,
): Omit<MediaAttachment, 'kind'> {
  const bytes = size === null || size === undefined ? undefined : Number(size);
  return {
    ...(mimeType ? { declaredMimeType: mimeType } : {}),
    ...(fileName ? { fileName } : {}),
    ...(bytes !== undefined && Number.isFinite(bytes) ? { declaredSize: bytes } : {}),
  };
}

/** Returns why a message's address rules it out, or undefined for a citizen's direct chat. */
function ignoredReasonOf(key: WAMessage['key']): IgnoredReason | undefined {
  const jid = key.remoteJid;
  if (!jid) return 'no-address';
  if (key.fromMe) return 'own-message';
  if (isJidGroup(jid)) return 'group';
  if (isJidStatusBroadcast(jid)) return 'status';
  if (isJidNewsletter(jid)) return 'newsletter';
  if (isJidBroadcast(jid)) return 'broadcast';
  // Direct chats come as a phone number JID or as a LID; both are citizens.
  if (isPnUser(jid) || isLidUser(jid)) return undefined;
  return 'other-address';
}
