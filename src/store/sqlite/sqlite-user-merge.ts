import type Database from 'better-sqlite3';
import type { UserMerge, UserMergeResult } from '../whatsapp-sessions.js';
import type { ConversationRow } from './rows.js';
import { prepare } from './statement-cache.js';

/**
 * Moves a citizen's conversation, complaints, queued messages and wrong-PIN records from
 * one user id to another in one transaction. When both ids have a conversation, the more
 * recently updated snapshot is kept under the new id, with a version above both, so a turn
 * that read either one meets a version conflict and runs again.
 */
export function mergeUser(db: Database.Database, merge: UserMerge): UserMergeResult {
  const fromKey = `${merge.channel}:${merge.fromUserId}`;
  const toKey = `${merge.channel}:${merge.toUserId}`;
  return db
    .transaction((): UserMergeResult => {
      const conversation = moveConversation(db, fromKey, toKey);
      const complaints = prepare(
        db,
        `UPDATE complaints SET user_id = @to, document = json_set(document, '$.userId', @to)
         WHERE channel = @channel AND user_id = @from`,
      ).run({ channel: merge.channel, from: merge.fromUserId, to: merge.toUserId }).changes;
      prepare(db, 'UPDATE outbox SET user_id = ? WHERE channel = ? AND user_id = ?').run(merge.toUserId, merge.channel, merge.fromUserId);
      prepare(db, 'UPDATE pin_failures SET user_key = ? WHERE user_key = ?').run(toKey, fromKey);
      return { conversation, complaints };
    })
    .immediate();
}

function moveConversation(db: Database.Database, fromKey: string, toKey: string): UserMergeResult['conversation'] {
  const select = prepare<[string], ConversationRow>(db, 'SELECT * FROM conversations WHERE user_key = ?');
  const source = select.get(fromKey);
  if (!source) return 'none';
  const target = select.get(toKey);
  if (!target) {
    prepare(db, 'UPDATE conversations SET user_key = ? WHERE user_key = ?').run(toKey, fromKey);
    return 'moved';
  }

  const newer = Date.parse(source.updated_at) > Date.parse(target.updated_at) ? source : target;
  prepare(db, 'UPDATE conversations SET snapshot = ?, version = ?, updated_at = ? WHERE user_key = ?').run(
    newer.snapshot,
    Math.max(source.version, target.version) + 1,
    newer.updated_at,
    toKey,
  );
  prepare(db, 'DELETE FROM conversations WHERE user_key = ?').run(fromKey);
  return 'kept';
}
