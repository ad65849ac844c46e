/**
 * Describes where a citizen can be reached, for officers: the channel and the address on
 * it. A WhatsApp citizen known only by a LID has no phone number yet, so none is shown.
 */
export function describeContact(channel: string, userId: string): string {
  if (channel !== 'whatsapp') return `${channel} ${userId}`;
  if (userId.startsWith('lid:')) return 'whatsapp (phone number not known yet)';
  return `whatsapp +${userId}`;
}
