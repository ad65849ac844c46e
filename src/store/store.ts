/**
 * The persistence boundary. Services depend on this interface only; `app.ts` picks the
 * adapter (embedded SQLite by default).
 */

/** The persisted state of one user's conversation. */
export interface ConversationRecord {
  /** Stable user key, `<channel>:<platform user id>`. */
  userKey: string;
  /** XState persisted snapshot, as returned by `actor.getPersistedSnapshot()`. */
  snapshot: unknown;
  /** Incremented by every save; used for optimistic concurrency. */
  version: number;
  updatedAt: Date;
}

/** One inbound message that has been fully handled. */
export interface ProcessedMessage {
  channel: string;
  messageId: string;
  userKey: string;
  processedAt: Date;
}

/** The writes of one handled message, committed together or not at all. */
export interface ConversationTurn {
  message: ProcessedMessage;
  userKey: string;
  snapshot: unknown;
  /** The version read before handling, or undefined when the user had no record. */
  expectedVersion: number | undefined;
  now: Date;
}

/** Result of committing a turn. */
export type TurnResult =
  | { status: 'committed'; version: number }
  /** The message id was already processed: nothing was written. */
  | { status: 'duplicate' }
  /** Another writer saved the conversation first: nothing was written; reload and retry. */
  | { status: 'conflict' };

export interface Store {
  /** Returns the user's conversation, or undefined for a first contact. */
  findConversation(userKey: string): Promise<ConversationRecord | undefined>;
  /** Returns whether (channel, messageId) was already processed. */
  isProcessed(channel: string, messageId: string): Promise<boolean>;
  /**
   * Records the message as processed and saves the snapshot in one transaction, so a crash
   * leaves either both writes or neither.
   */
  commitTurn(turn: ConversationTurn): Promise<TurnResult>;
  /** Checks that the database answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
