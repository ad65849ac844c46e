import type { UserMerge, UserMergeResult } from '../whatsapp-sessions.js';
import type { MongoCollections } from './connection.js';

/**
 * Moves a citizen's conversation, complaints, queued messages and wrong-PIN records from one
 * user id to another, as a sequence of single-document and multi-document updates.
 *
 * The conversation is copied to the new id before the old one is deleted, so a crash between
 * the two leaves both and running the merge again finishes it. When both ids have a
 * conversation, the more recently updated snapshot is kept under the new id with a version
 * above both, so a turn that read either one meets a version conflict and runs again.
 */
export async function mergeUser(collections: MongoCollections, merge: UserMerge): Promise<UserMergeResult> {
  const fromKey = `${merge.channel}:${merge.fromUserId}`;
  const toKey = `${merge.channel}:${merge.toUserId}`;
  const conversation = await moveConversation(collections, fromKey, toKey);

  const complaints = await collections.complaints.updateMany(
    { channel: merge.channel, userId: merge.fromUserId },
    { $set: { userId: merge.toUserId } },
  );
  await collections.outbox.updateMany({ channel: merge.channel, userId: merge.fromUserId }, { $set: { userId: merge.toUserId } });
  await collections.pinFailures.updateMany({ userKey: fromKey }, { $set: { userKey: toKey } });
  return { conversation, complaints: complaints.modifiedCount };
}

async function moveConversation(collections: MongoCollections, fromKey: string, toKey: string): Promise<UserMergeResult['conversation']> {
  const { conversations } = collections;
  const source = await conversations.findOne({ _id: fromKey });
  if (!source) return 'none';
  const target = await conversations.findOne({ _id: toKey });
  if (!target) {
    await conversations.insertOne({ ...source, _id: toKey });
    await conversations.deleteOne({ _id: fromKey });
    return 'moved';
  }

  const newer = source.updatedAt.getTime() > target.updatedAt.getTime() ? source : target;
  await conversations.updateOne(
    { _id: toKey },
    {
      $set: {
        snapshot: newer.snapshot,
        version: Math.max(source.version, target.version) + 1,
        updatedAt: newer.updatedAt,
        // Both lists, so that a message handled under either id is still seen as a duplicate.
        recentMessageKeys: [...new Set([...target.recentMessageKeys, ...source.recentMessageKeys])],
      },
    },
  );
  await conversations.deleteOne({ _id: fromKey });
  return 'kept';
}
