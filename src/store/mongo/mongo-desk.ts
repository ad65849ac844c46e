import type { ComplaintFiling, FilingResult, PendingQuestion } from '../store.js';
import { sourceMessageKeyOf, type MongoCollections } from './connection.js';
import { insertFiledComplaint, replacePinHash } from './mongo-complaints.js';
import { isProcessed, recordProcessed } from './mongo-turns.js';

/**
 * Writes of the messages handled outside a conversation turn (officer commands and the
 * citizen's reply to an answer): complaints filed for a citizen and pending questions.
 */

/**
 * Files a complaint for a citizen in the way commitTurn files one (mongo-store.ts, steps b
 * and d) without a conversation: the complaint's `_id` is the officer's message key, so a
 * retry after a crash between the two writes finds the complaint instead of filing again,
 * and takes this attempt's PIN hash because the earlier attempt never replied.
 */
export async function fileComplaint(collections: MongoCollections, filing: ComplaintFiling): Promise<FilingResult> {
  const { message } = filing;
  if (await isProcessed(collections, message.channel, message.messageId)) return { status: 'duplicate' };

  const messageKey = sourceMessageKeyOf(message);
  const filed = await insertFiledComplaint(collections, filing.complaint, messageKey, filing.now, filing.actor);
  const complaint = filed.replayed ? await replacePinHash(collections, messageKey, filing.complaint.pinHash) : filed.complaint;

  if (!(await recordProcessed(collections, message))) return { status: 'duplicate' };
  return { status: 'filed', complaint };
}

export async function savePendingQuestion(collections: MongoCollections, question: PendingQuestion): Promise<void> {
  const { userKey, ...fields } = question;
  await collections.pendingQuestions.replaceOne({ _id: userKey }, fields, { upsert: true });
}

export async function findPendingQuestion(collections: MongoCollections, userKey: string): Promise<PendingQuestion | undefined> {
  const document = await collections.pendingQuestions.findOne({ _id: userKey });
  if (!document) return undefined;
  return {
    userKey: document._id,
    kind: document.kind,
    tickets: [...document.tickets],
    ...(document.detail === undefined || document.detail === null ? {} : { detail: document.detail }),
    askedAt: document.askedAt,
  };
}

export async function deletePendingQuestion(collections: MongoCollections, userKey: string): Promise<void> {
  await collections.pendingQuestions.deleteOne({ _id: userKey });
}
