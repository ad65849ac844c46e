import type { InboundMessage } from './inbound-message.js';

/**
 * Messages that could not be processed because the store was unreachable, held in memory
 * in arrival order until it is back. Bounded, so an outage cannot exhaust memory; a
 * message redelivered while it waits is held once.
 */
export class RetryQueue {
  private readonly messages = new Map<string, InboundMessage>();

  constructor(readonly capacity: number) {}

  /** Adds a message; returns false when the queue is full and the message was not kept. */
  add(message: InboundMessage): boolean {
    const key = messageKey(message);
    if (this.messages.has(key)) return true;
    if (this.messages.size >= this.capacity) return false;
    this.messages.set(key, message);
    return true;
  }

  /** Returns whether a message of this user is waiting, so a newer one must wait behind it. */
  hasUser(channel: string, userId: string): boolean {
    for (const message of this.messages.values()) {
      if (message.channel === channel && message.userId === userId) return true;
    }
    return false;
  }

  /** Removes and returns every waiting message, oldest first. */
  takeAll(): InboundMessage[] {
    const all = [...this.messages.values()];
    this.messages.clear();
    return all;
  }

  get size(): number {
    return this.messages.size;
  }
}

function messageKey(message: InboundMessage): string {
  return `${message.channel}\u0000${message.messageId}`;
}
