import { isLidUser, isPnUser, jidDecode, jidNormalizedUser, type WAMessageKey } from '@whiskeysockets/baileys';

/** Prefix of the user id of a citizen known only by a LID. */
const lidPrefix = 'lid:';

/** Who wrote a message, and where the replies go. */
export interface CitizenAddress {
  /**
   * The pipeline's user id: the phone number in international form without `+`
   * (`6281234567890`) when it is known, otherwise `lid:<LID user>`.
   */
  userId: string;
  /** The chat the message came from; replies go there. */
  replyJid: string;
  /** The phone number JID, when known. */
  phoneJid?: string;
  /** The LID, when known. */
  lidJid?: string;
}

/**
 * Works out the citizen behind a direct message. WhatsApp 7 addresses many chats by LID, a
 * per-user id that hides the phone number. The phone number comes from the message key's
 * alternate address (`remoteJidAlt`), from the chat address itself, or from the LID mapping
 * Baileys has stored. `remoteJidAlt` is not normalised by Baileys, so its device part is
 * removed here.
 */
export async function resolveCitizen(
  key: Pick<WAMessageKey, 'remoteJid' | 'remoteJidAlt'>,
  lookupPhone: (lid: string) => Promise<string | null>,
): Promise<CitizenAddress> {
  const replyJid = jidNormalizedUser(key.remoteJid ?? undefined);
  const alt = key.remoteJidAlt ? jidNormalizedUser(key.remoteJidAlt) : undefined;
  let phoneJid = [alt, replyJid].find((jid) => jid && isPnUser(jid));
  const lidJid = [replyJid, alt].find((jid) => jid && isLidUser(jid));
  if (!phoneJid && lidJid) {
    const found = await lookupPhone(lidJid);
    if (found && isPnUser(found)) phoneJid = jidNormalizedUser(found);
  }
  return {
    userId: toUserId({ phoneJid, lidJid }),
    replyJid,
    ...(phoneJid ? { phoneJid } : {}),
    ...(lidJid ? { lidJid } : {}),
  };
}

/** Returns the pipeline's user id for a phone number JID, else for a LID. */
export function toUserId(address: { phoneJid?: string | undefined; lidJid?: string | undefined }): string {
  if (address.phoneJid) return jidDecode(address.phoneJid)!.user;
  if (address.lidJid) return `${lidPrefix}${jidDecode(address.lidJid)!.user}`;
  throw new Error('A WhatsApp citizen needs a phone number or a LID');
}

/** Returns the JID to send to for a pipeline user id, or undefined when the id is not a WhatsApp user id. */
export function toJid(userId: string): string | undefined {
  if (userId.startsWith(lidPrefix)) {
    const lid = userId.slice(lidPrefix.length);
    return /^\d+$/.test(lid) ? `${lid}@lid` : undefined;
  }
  return /^\d{5,15}$/.test(userId) ? `${userId}@s.whatsapp.net` : undefined;
}

/** Returns whether a WhatsApp user id is a phone number (and not a LID). */
export function isPhoneUserId(userId: string): boolean {
  return !userId.startsWith(lidPrefix) && toJid(userId) !== undefined;
}
