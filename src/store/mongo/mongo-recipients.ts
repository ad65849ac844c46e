import { isDuplicateKeyError, type MongoCollections } from './connection.js';

/**
 * Records or clears an unreachable recipient. The document's `_id` is `<channel>:<userId>`,
 * because FerretDB 1.24 looks up only an exact `{ _id }` filter without a collection scan.
 * `$setOnInsert` keeps the time the recipient first became unreachable.
 */
export async function setRecipientReachable(
  collections: MongoCollections,
  change: { channel: string; userId: string; reachable: boolean; at: Date },
): Promise<void> {
  const _id = recipientKeyOf(change.channel, change.userId);
  if (change.reachable) {
    await collections.unreachableRecipients.deleteOne({ _id });
    return;
  }
  try {
    await collections.unreachableRecipients.updateOne(
      { _id },
      { $setOnInsert: { channel: change.channel, userId: change.userId, since: change.at } },
      { upsert: true },
    );
  } catch (error) {
    // Two upserts at once: one inserts and the other hits the unique `_id`, so the record exists.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export async function isRecipientUnreachable(collections: MongoCollections, channel: string, userId: string): Promise<boolean> {
  return (await collections.unreachableRecipients.findOne({ _id: recipientKeyOf(channel, userId) })) !== null;
}

function recipientKeyOf(channel: string, userId: string): string {
  return `${channel}:${userId}`;
}
