import { isDuplicateKeyError, type MongoCollections } from './connection.js';

/**
 * Takes or renews a named lease: one upsert whose filter matches the lease when `holder`
 * holds it or when it expired. When another holder's lease is live the filter matches
 * nothing, the upsert tries to insert a second document with the same `_id`, and the unique
 * `_id` refuses it.
 *
 * NOTE: FerretDB 1.24 applies an update as read, modify, write back, so two processes that
 * both find an expired lease can both succeed. The scheduler's notice keys keep its sends
 * single even then; MongoDB applies the update atomically.
 */
export async function acquireLease(
  collections: MongoCollections,
  lease: { name: string; holder: string; now: Date; ttlMs: number },
): Promise<boolean> {
  const expiresAt = new Date(lease.now.getTime() + lease.ttlMs);
  try {
    await collections.leases.updateOne(
      { _id: lease.name, $or: [{ holder: lease.holder }, { expiresAt: { $lte: lease.now } }] },
      { $set: { holder: lease.holder, expiresAt } },
      { upsert: true },
    );
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
