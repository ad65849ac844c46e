import type { Complaint } from '../../complaints/complaint.js';
import type { ConversationRecord, ConversationTurn, ProcessedMessage, TurnResult } from '../store.js';
import { isDuplicateKeyError, sourceMessageKeyOf, type ConversationDocument, type MongoCollections } from './connection.js';
import { insertFiledComplaint, replacePinHash, type FiledComplaint } from './mongo-complaints.js';

/**
 * Conversations, processed message ids and `commitTurn` of the MongoDB store. The turn is a
 * sequence of single-document writes, not a transaction: mongo-store.ts explains the order
 * and what a crash between two writes leaves.
 */

/** How many source message keys a conversation remembers (see `recentMessageKeys`). */
const recentMessageKeysKept = 20;

/** Returns the conversation of `userKey`, or undefined for a first contact. */
export async function findConversation(collections: MongoCollections, userKey: string): Promise<ConversationRecord | undefined> {
  const document = await collections.conversations.findOne({ _id: userKey });
  if (!document) return undefined;
  return {
    userKey: document._id,
    snapshot: JSON.parse(document.snapshot) as unknown,
    version: document.version,
    updatedAt: document.updatedAt,
  };
}

/** Returns whether (channel, messageId) was recorded as processed. */
export async function isProcessed(collections: MongoCollections, channel: string, messageId: string): Promise<boolean> {
  const found = await collections.processed.findOne({ _id: sourceMessageKeyOf({ channel, messageId }) }, { projection: { _id: 1 } });
  return found !== null;
}

/** Commits one turn in the order step a, b, c, d of mongo-store.ts. */
export async function commitTurn(collections: MongoCollections, turn: ConversationTurn): Promise<TurnResult> {
  const messageKey = sourceMessageKeyOf(turn.message);

  // (a) Already processed: by the processed id, or by a conversation save (c) whose
  // processed id (d) was never written. In the second case write it now.
  if (await isProcessed(collections, turn.message.channel, turn.message.messageId)) return { status: 'duplicate' };
  const current = await collections.conversations.findOne({ _id: turn.userKey });
  if (current?.recentMessageKeys.includes(messageKey)) {
    await recordProcessed(collections, turn.message);
    return { status: 'duplicate' };
  }
  // A version that already moved on fails at (c) anyway; stopping here files nothing.
  if (current?.version !== turn.expectedVersion) return { status: 'conflict' };

  // (b) File the complaint, or find the one an earlier attempt of this message filed.
  let filed: FiledComplaint | undefined;
  if (turn.newComplaint) filed = await insertFiledComplaint(collections, turn.newComplaint, messageKey, turn.now);

  // (c) Save the conversation unless another writer saved it since it was read.
  const saved = await saveConversation(collections, turn, current, messageKey);
  if (saved === undefined) {
    // NOTE: a complaint filed at (b) stays filed. A retried turn that files again gets the
    // same complaint back (same message key). A retried turn that no longer files leaves
    // that complaint without a reply to the citizen. Only a second writer on the same
    // conversation between (a) and (c) gets here, because within one process the pipeline
    // runs a user's turns one at a time.
    return { status: 'conflict' };
  }

  // (b, replay) The earlier attempt never replied, so its PIN was never seen: the PIN of
  // this attempt, which is the one the citizen will be sent, replaces it. Done after (c) so
  // that only the attempt that saved the conversation, and so will reply, sets the PIN.
  let complaint: Complaint | undefined = filed?.complaint;
  if (filed?.replayed && turn.newComplaint) {
    complaint = await replacePinHash(collections, messageKey, turn.newComplaint.pinHash);
  }

  // (d) Record the message as processed.
  if (!(await recordProcessed(collections, turn.message))) return { status: 'duplicate' };
  return { status: 'committed', version: saved, ...(complaint ? { complaint } : {}) };
}

/**
 * Writes the snapshot when the stored version is still `turn.expectedVersion`, and returns
 * the new version, or undefined when another writer saved first.
 */
async function saveConversation(
  collections: MongoCollections,
  turn: ConversationTurn,
  current: ConversationDocument | null,
  messageKey: string,
): Promise<number | undefined> {
  // The keys are read at (a) and written here under the version check, so no key written in
  // between is lost.
  const recentMessageKeys = [...(current?.recentMessageKeys ?? []), messageKey].slice(-recentMessageKeysKept);
  const snapshot = JSON.stringify(turn.snapshot);

  if (turn.expectedVersion === undefined) {
    try {
      await collections.conversations.insertOne({ _id: turn.userKey, snapshot, version: 1, updatedAt: turn.now, recentMessageKeys });
      return 1;
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  // FerretDB 1.24 applies this as read, change, write back, not atomically: there two
  // concurrent saves of one version can both match. MongoDB checks the filter and writes
  // under one document lock, so only one does.
  const version = turn.expectedVersion + 1;
  const result = await collections.conversations.updateOne(
    { _id: turn.userKey, version: turn.expectedVersion },
    { $set: { snapshot, version, updatedAt: turn.now, recentMessageKeys } },
  );
  return result.matchedCount === 0 ? undefined : version;
}

/** Inserts the processed id; returns false when it was already there. */
export async function recordProcessed(collections: MongoCollections, message: ProcessedMessage): Promise<boolean> {
  try {
    await collections.processed.insertOne({
      _id: sourceMessageKeyOf(message),
      channel: message.channel,
      messageId: message.messageId,
      userKey: message.userKey,
      processedAt: message.processedAt,
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
