import type { MongoCollections } from './connection.js';

/** Records a wrong PIN for a ticket by a user. */
export async function recordPinFailure(
  collections: MongoCollections,
  failure: { ticket: string; userKey: string; at: Date },
): Promise<void> {
  await collections.pinFailures.insertOne({ ticket: failure.ticket, userKey: failure.userKey, at: failure.at });
}

/** Counts wrong PINs since `since`: for the ticket from anyone, and by the user on any ticket. */
export async function countPinFailures(
  collections: MongoCollections,
  query: { ticket: string; userKey: string; since: Date },
): Promise<{ forTicket: number; forUser: number }> {
  const [forTicket, forUser] = await Promise.all([
    collections.pinFailures.countDocuments({ ticket: query.ticket, at: { $gte: query.since } }),
    collections.pinFailures.countDocuments({ userKey: query.userKey, at: { $gte: query.since } }),
  ]);
  return { forTicket, forUser };
}
