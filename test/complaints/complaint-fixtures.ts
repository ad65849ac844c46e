import { randomUUID } from 'node:crypto';
import type { Complaint, NewComplaint } from '../../src/complaints/complaint.js';
import type { Store } from '../../src/store/store.js';
import { wib } from '../calendar/office-calendar.js';

/** Builds a complaint as the filing dialogue passes it to the store. `overrides` replace any field. */
export function newComplaint(overrides: Partial<NewComplaint> = {}): NewComplaint {
  const receivedAt = overrides.receivedAt ?? wib('2026-12-04T14:00');
  return {
    year: 2026,
    topic: { kind: 'service', serviceNumber: 3 },
    description: 'Permohonan izin usaha simpan pinjam belum ada kabar setelah dua bulan.',
    evidence: [],
    identity: 'named',
    citizenName: 'Budi Santoso',
    channel: 'telegram',
    userId: '1001',
    pinHash: '0'.repeat(64),
    source: 'chat',
    receivedAt,
    dueAt: receivedAt,
    ...overrides,
  };
}

/**
 * Files a complaint through `commitTurn`, as the conversation service does, continuing the
 * user's conversation when they already have one. Throws when the store does not commit.
 */
export async function fileComplaint(store: Store, input: NewComplaint): Promise<Complaint> {
  const userKey = `${input.channel}:${input.userId}`;
  const existing = await store.findConversation(userKey);
  const result = await store.commitTurn({
    message: { channel: input.channel, messageId: randomUUID(), userKey, processedAt: input.receivedAt },
    userKey,
    snapshot: { state: 'filed' },
    expectedVersion: existing?.version,
    now: input.receivedAt,
    newComplaint: input,
  });
  if (result.status !== 'committed' || !result.complaint) throw new Error(`Filing did not commit: ${result.status}`);
  return result.complaint;
}
