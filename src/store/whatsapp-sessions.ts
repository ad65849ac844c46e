/**
 * Storage of WhatsApp sessions: the linked device's auth state and the messages it sent
 * recently. Values are opaque text that the WhatsApp channel writes (Baileys' BufferJSON),
 * so the store adapters know nothing of Baileys.
 */

/** One write of an auth value: the new text, or null to delete the value. */
export interface AuthValueChange {
  key: string;
  value: string | null;
}

/** A message the bot sent, kept so that WhatsApp's retry requests can be answered. */
export interface SentMessageRecord {
  /** WhatsApp message id (`key.id`). */
  id: string;
  /** The message content (a `proto.IMessage`) as BufferJSON text. */
  content: string;
  sentAt: Date;
}

// TODO: copy sessions in `npm run migrate` once an office needs it. Until then a move from
// SQLite to MongoDB needs the number to be paired again.
/**
 * The WhatsApp data of every office number, each under its session name. Every method of
 * an adapter is one atomic write or one read, except where an adapter notes otherwise.
 */
export interface WhatsAppSessionStore {
  /** Returns the stored values of `keys`; a key without a value is absent from the map. */
  readAuthValues(session: string, keys: readonly string[]): Promise<Map<string, string>>;
  /** Writes and deletes values in one step, in the given order. */
  writeAuthValues(session: string, changes: readonly AuthValueChange[]): Promise<void>;
  /** Deletes every auth value of the session, as after a logout. */
  clearAuthValues(session: string): Promise<void>;

  /** Stores a sent message; a second save of the same id replaces the first. */
  saveSentMessage(session: string, message: SentMessageRecord): Promise<void>;
  /** Returns the content of a sent message, or undefined when it is unknown or was pruned. */
  findSentMessage(session: string, id: string): Promise<string | undefined>;
  /** Deletes sent messages older than `before` and returns how many were deleted. */
  deleteSentMessagesBefore(session: string, before: Date): Promise<number>;
}

/**
 * A move of a citizen's records from one id on a channel to another id of the same person,
 * as when WhatsApp reveals the phone number behind a LID the citizen wrote from.
 */
export interface UserMerge {
  channel: string;
  fromUserId: string;
  toUserId: string;
}

/** What a merge changed. */
export interface UserMergeResult {
  /**
   * `moved`: the conversation now lives under the new id. `kept`: both ids had one, so the
   * more recently updated one was kept under the new id and the other deleted. `none`: the
   * old id had no conversation.
   */
  conversation: 'moved' | 'kept' | 'none';
  /** Number of complaints whose user id was changed. */
  complaints: number;
}
