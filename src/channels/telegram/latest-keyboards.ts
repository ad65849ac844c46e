/**
 * The message id of the last message with an inline keyboard the bot sent to each chat, for
 * a bounded number of chats (the least recently updated is forgotten first). A button press
 * on an older message of the chat is stale: its buttons belong to an earlier step.
 */
export class LatestKeyboards {
  private readonly messageIds = new Map<string, number>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Records a sent keyboard message, unless the chat already has a later one. */
  record(chatId: string, messageId: number): void {
    const latest = this.messageIds.get(chatId);
    if (latest !== undefined && latest > messageId) return;
    // Deleting first moves the chat to the end of the Map's insertion order.
    this.messageIds.delete(chatId);
    this.messageIds.set(chatId, messageId);
    if (this.messageIds.size > this.capacity) this.messageIds.delete(this.messageIds.keys().next().value!);
  }

  /**
   * Returns whether `messageId` is older than the chat's latest keyboard message. Telegram
   * numbers the messages of a private chat in increasing order. A chat not recorded (after a
   * restart, or forgotten) has no stale messages.
   */
  isStale(chatId: string, messageId: number): boolean {
    const latest = this.messageIds.get(chatId);
    return latest !== undefined && messageId < latest;
  }
}
