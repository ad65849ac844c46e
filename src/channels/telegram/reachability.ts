import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/store.js';
import { errorLogFields } from './api-retry.js';

/** The store methods that keep unreachable chats. */
export type ReachabilityStore = Pick<Store, 'setRecipientReachable' | 'isRecipientUnreachable'>;

export interface RecipientReachabilityOptions {
  /** Returns the store once it is connected, undefined before. */
  store: () => ReachabilityStore | undefined;
  clock: () => Date;
  logger: Logger;
}

/**
 * Whether the bot may write to a Telegram chat. A chat becomes unreachable when Telegram
 * rejects a message with 403 or reports that the citizen blocked the bot, and reachable
 * again when the citizen writes or unblocks the bot. The store keeps the state across
 * restarts and instances. While the store is not connected or fails, the state this process
 * saw is used instead. Changes of one chat reach the store in the order they were made.
 */
export class RecipientReachability {
  /** Chats this process saw become unreachable; read only while the store is not connected or fails. */
  private readonly unreachable = new Set<string>();
  /** The last store write of each chat still in progress. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly options: RecipientReachabilityOptions) {}

  /** Returns whether the chat is recorded unreachable, after this process's pending changes of it. */
  async isUnreachable(chatId: string): Promise<boolean> {
    await this.writes.get(chatId);
    const store = this.options.store();
    if (!store) return this.unreachable.has(chatId);
    try {
      return await store.isRecipientUnreachable('telegram', chatId);
    } catch (error) {
      this.options.logger.warn(
        { userKey: `telegram:${chatId}`, ...errorLogFields(error) },
        'telegram chat reachability could not be read from the store; using what this process saw',
      );
      return this.unreachable.has(chatId);
    }
  }

  /** Records a change at once in memory; the returned promise settles when the store has it or the write failed (logged). */
  record(chatId: string, reachable: boolean): Promise<void> {
    if (reachable) this.unreachable.delete(chatId);
    else this.unreachable.add(chatId);

    const previous = this.writes.get(chatId) ?? Promise.resolve();
    const write = previous.then(() => this.write(chatId, reachable));
    this.writes.set(chatId, write);
    void write.then(() => {
      if (this.writes.get(chatId) === write) this.writes.delete(chatId);
    });
    return write;
  }

  private async write(chatId: string, reachable: boolean): Promise<void> {
    const store = this.options.store();
    // NOTE: a change made before the store connects stays in this process only.
    if (!store) return;
    try {
      await store.setRecipientReachable({ channel: 'telegram', userId: chatId, reachable, at: this.options.clock() });
    } catch (error) {
      this.options.logger.warn(
        { userKey: `telegram:${chatId}`, reachable, ...errorLogFields(error) },
        'telegram chat reachability could not be saved; this process keeps it in memory',
      );
    }
  }
}
