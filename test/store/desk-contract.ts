import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatTicketNumber } from '../../src/complaints/ticket-number.js';
import type { ComplaintFiling, Store } from '../../src/store/store.js';
import { newComplaint } from '../complaints/complaint-fixtures.js';

/**
 * Contract of the store methods for messages handled outside a conversation turn: processed
 * ids of officer commands, complaints filed by an officer, and pending questions. Registered
 * by describeStoreContract; `store` returns that suite's store once it is open.
 */
export function describeDeskContract(store: () => Store, nextYear: () => number): void {
  const at = (time: string) => new Date(`2026-12-07T${time}:00+07:00`);
  const officerMessage = () => ({ channel: 'web', messageId: randomUUID(), userKey: 'web:petugas-demo', processedAt: at('10:00') });

  describe('officer messages', () => {
    it('records a processed message once', async () => {
      const message = officerMessage();
      expect(await store().recordProcessed(message)).toBe(true);
      expect(await store().isProcessed(message.channel, message.messageId)).toBe(true);
      expect(await store().recordProcessed(message)).toBe(false);
    });

    it('files for a citizen with the officer as actor', async () => {
      const year = nextYear();
      const filing: ComplaintFiling = {
        complaint: newComplaint({ year, channel: 'whatsapp', userId: `62812${Date.now() % 1e7}`, source: 'walk-in', receivedAt: at('09:00') }),
        message: officerMessage(),
        actor: 'petugas-demo',
        now: at('10:00'),
      };
      const result = await store().fileComplaint(filing);
      expect(result).toMatchObject({ status: 'filed', complaint: { ticket: formatTicketNumber(year, 1), source: 'walk-in', status: 'diterima' } });
      const ticket = formatTicketNumber(year, 1);
      expect((await store().findComplaint(ticket))?.history).toEqual([{ at: at('09:00'), actor: 'petugas-demo', from: null, to: 'diterima' }]);
      expect(await store().isProcessed('web', filing.message.messageId)).toBe(true);

      expect(await store().fileComplaint({ ...filing, complaint: { ...filing.complaint, pinHash: 'f'.repeat(64) } })).toEqual({ status: 'duplicate' });
      expect(await store().findComplaint(formatTicketNumber(year, 2))).toBeUndefined();
      expect((await store().findComplaint(ticket))?.pinHash).toBe(filing.complaint.pinHash);
    });
  });

  describe('pending questions', () => {
    it('saves, replaces and deletes', async () => {
      const userKey = `web:warga-${randomUUID()}`;
      expect(await store().findPendingQuestion(userKey)).toBeUndefined();

      await store().savePendingQuestion({ userKey, kind: 'choose-close', tickets: ['ADU-2026-00001', 'ADU-2026-00002'], askedAt: at('10:00') });
      expect(await store().findPendingQuestion(userKey)).toEqual({
        userKey,
        kind: 'choose-close',
        tickets: ['ADU-2026-00001', 'ADU-2026-00002'],
        askedAt: at('10:00'),
      });

      await store().savePendingQuestion({ userKey, kind: 'reopen-reason', tickets: ['ADU-2026-00002'], detail: 'izin belum terbit', askedAt: at('10:05') });
      expect(await store().findPendingQuestion(userKey)).toEqual({
        userKey,
        kind: 'reopen-reason',
        tickets: ['ADU-2026-00002'],
        detail: 'izin belum terbit',
        askedAt: at('10:05'),
      });

      await store().deletePendingQuestion(userKey);
      expect(await store().findPendingQuestion(userKey)).toBeUndefined();
      await expect(store().deletePendingQuestion(userKey)).resolves.toBeUndefined();
    });
  });
}
