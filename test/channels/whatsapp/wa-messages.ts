import { proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';

/** A citizen's phone number JID, LID and the time of their messages. */
export const citizenPhone = '6281234567890@s.whatsapp.net';
export const citizenLid = '201234567890123@lid';
/** 2026-12-07 09:00 in Pontianak (UTC+7), the test clock's start. */
export const messageTime = Date.UTC(2026, 11, 7, 2, 0, 0) / 1000;

let counter = 0;

/** Returns a new message id in the form WhatsApp uses (hex, 3EB0 prefix for web clients). */
export function newMessageId(): string {
  counter++;
  return `3EB0${counter.toString(16).toUpperCase().padStart(16, '0')}`;
}

/** Fields of a message key beyond the proto ones, which Baileys 7 adds when it decodes a stanza. */
export interface KeyOptions {
  from?: string;
  alt?: string;
  id?: string;
  fromMe?: boolean;
  participant?: string;
}

/**
 * Builds a received message as Baileys 7 upserts it: the proto `WebMessageInfo` built with
 * `fromObject`, then the key fields Baileys adds outside the proto (`remoteJidAlt`,
 * `addressingMode`).
 */
export function incoming(content: proto.IMessage | undefined, options: KeyOptions & { timestamp?: number; pushName?: string; stub?: Partial<WAMessage> } = {}): WAMessage {
  const from = options.from ?? citizenLid;
  const message = proto.WebMessageInfo.fromObject({
    key: { remoteJid: from, fromMe: options.fromMe ?? false, id: options.id ?? newMessageId(), ...(options.participant ? { participant: options.participant } : {}) },
    ...(content ? { message: content } : {}),
    messageTimestamp: options.timestamp ?? messageTime,
    pushName: options.pushName ?? 'Budi Santoso',
  }) as WAMessage;
  const key = message.key as WAMessageKey;
  key.addressingMode = from.endsWith('@lid') ? 'lid' : 'pn';
  const alt = options.alt ?? (from === citizenLid ? citizenPhone : undefined);
  if (alt) key.remoteJidAlt = alt;
  return Object.assign(message, options.stub ?? {});
}

/** A plain text message (`conversation`). */
export function text(body: string, options: KeyOptions & { timestamp?: number } = {}): WAMessage {
  return incoming({ conversation: body }, options);
}

/** A text with a link preview or a quote (`extendedTextMessage`). */
export function extendedText(body: string, options: KeyOptions = {}): WAMessage {
  return incoming({ extendedTextMessage: { text: body, contextInfo: { stanzaId: 'QUOTED1', participant: citizenPhone } } }, options);
}

/** A text in a chat with disappearing messages on (`ephemeralMessage` wrapper). */
export function ephemeralText(body: string, options: KeyOptions = {}): WAMessage {
  return incoming({ ephemeralMessage: { message: { extendedTextMessage: { text: body } } } }, options);
}

/** A decryption failure as Baileys upserts it: no content, stub type CIPHERTEXT. */
export function decryptionFailure(id: string, options: KeyOptions = {}): WAMessage {
  return incoming(undefined, {
    ...options,
    id,
    stub: { messageStubType: proto.WebMessageInfo.StubType.CIPHERTEXT, messageStubParameters: ['No session found to decrypt message'] },
  });
}

/** The citizen deleting a message for everyone (a REVOKE protocol message). */
export function revoke(targetId: string, options: KeyOptions = {}): WAMessage {
  return incoming({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { remoteJid: options.from ?? citizenLid, id: targetId } } }, options);
}

/** A reaction to one of the bot's messages. */
export function reaction(targetId: string, emoji = '👍', options: KeyOptions = {}): WAMessage {
  return incoming({ reactionMessage: { key: { remoteJid: options.from ?? citizenLid, id: targetId, fromMe: true }, text: emoji, senderTimestampMs: messageTime * 1000 } }, options);
}

/** An edit made on the citizen's own device (a MESSAGE_EDIT protocol message). */
export function editProtocol(targetId: string, body: string, options: KeyOptions = {}): WAMessage {
  return incoming(
    {
      protocolMessage: {
        type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
        key: { remoteJid: options.from ?? citizenLid, id: targetId, fromMe: false },
        editedMessage: { conversation: body },
      },
    },
    options,
  );
}

/** An edit as the `editedMessage` wrapper around the protocol message. */
export function editWrapper(targetId: string, body: string, options: KeyOptions = {}): WAMessage {
  return incoming(
    {
      editedMessage: {
        message: {
          protocolMessage: {
            type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
            key: { remoteJid: options.from ?? citizenLid, id: targetId },
            editedMessage: { conversation: body },
          },
        },
      },
    },
    options,
  );
}

/** A contact's edit, which Baileys 7.0.0-rc14 leaves encrypted (`secretEncryptedMessage`). */
export function secretEdit(targetId: string, options: KeyOptions = {}): WAMessage {
  return incoming(
    { secretEncryptedMessage: { targetMessageKey: { remoteJid: options.from ?? citizenLid, id: targetId }, encPayload: Buffer.from('0102', 'hex'), encIv: Buffer.alloc(12), secretEncType: 2 } },
    options,
  );
}

/** A view-once photo whose content WhatsApp withholds from linked devices. */
export function viewOnceUnavailable(options: KeyOptions = {}): WAMessage {
  const message = incoming(undefined, options);
  (message.key as WAMessageKey & { isViewOnce?: boolean }).isViewOnce = true;
  return message;
}

/** A voice note. */
export function voiceNote(options: KeyOptions = {}): WAMessage {
  return incoming({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', seconds: 4, ptt: true, fileLength: 6000 } }, options);
}
