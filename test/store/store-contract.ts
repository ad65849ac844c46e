import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewComplaint } from '../../src/complaints/complaint.js';
import { formatTicketNumber } from '../../src/complaints/ticket-number.js';
import type { ComplaintUpdate, ConversationTurn, Store, TurnResult } from '../../src/store/store.js';
import { newComplaint } from '../complaints/complaint-fixtures.js';

/**
 * The behaviour every `Store` adapter must show, as one suite that each adapter's test file
 * runs against its own store. All tests of a file share one database, so each test works
 * on its own users, channels and ticket years and never reads another test's data.
 */

/** Faults an adapter's test file can inject, for the steps a transactional store cannot stop between. */
export interface StoreFaults {
  /**
   * Writes what `commitTurn(turn)` writes up to and including filing its complaint, then
   * stops, as a crash there would. Omitted for a store that commits in one transaction.
   */
  crashAfterFiling?(turn: ConversationTurn): Promise<void>;
}

/**
 * Registers the contract tests of `name`. Each call of `openStore` opens another store on
 * the test file's database. `closeStore` closes a store that `openStore` opened.
 */
export function describeStoreContract(
  name: string,
  openStore: () => Promise<Store>,
  closeStore: (store: Store) => Promise<void>,
  faults: StoreFaults = {},
): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    const opened: Store[] = [];
    const open = async () => {
      const another = await openStore();
      opened.push(another);
      return another;
    };
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      for (const each of opened.reverse()) await closeStore(each);
    });

    describe('conversations', () => {
      it('saves a first contact at version 1', async () => {
        const user = newUser();
        expect(await store.findConversation(user.userKey)).toBeUndefined();
        const snapshot = { value: 'menu', context: { draft: { text: 'Izin usaha belum terbit — sudah dua bulan' }, '$key.dotted': [1, null, true] } };
        expect(await store.commitTurn(turn(user, { snapshot }))).toEqual({ status: 'committed', version: 1 });
        const found = await store.findConversation(user.userKey);
        expect(found).toEqual({ userKey: user.userKey, snapshot, version: 1, updatedAt: at('10:00') });
        expect(found?.updatedAt).toBeInstanceOf(Date);
      });

      it('increments the version on each save', async () => {
        const user = newUser();
        await store.commitTurn(turn(user, { snapshot: { step: 1 } }));
        expect(await store.commitTurn(turn(user, { expectedVersion: 1, snapshot: { step: 2 }, now: at('10:05') }))).toEqual({
          status: 'committed',
          version: 2,
        });
        expect(await store.findConversation(user.userKey)).toMatchObject({ version: 2, snapshot: { step: 2 }, updatedAt: at('10:05') });
      });

      it('rejects a stale version', async () => {
        const user = newUser();
        await store.commitTurn(turn(user, { snapshot: { step: 1 } }));
        await store.commitTurn(turn(user, { expectedVersion: 1, snapshot: { step: 2 } }));
        const stale = turn(user, { expectedVersion: 1, snapshot: { step: 'stale' } });
        expect(await store.commitTurn(stale)).toEqual({ status: 'conflict' });
        expect(await store.findConversation(user.userKey)).toMatchObject({ version: 2, snapshot: { step: 2 } });
        expect(await store.isProcessed(user.channel, stale.message.messageId)).toBe(false);
      });

      it('rejects a second first save', async () => {
        const user = newUser();
        await store.commitTurn(turn(user, { snapshot: { first: true } }));
        expect(await store.commitTurn(turn(user, { snapshot: { second: true } }))).toEqual({ status: 'conflict' });
        expect(await store.findConversation(user.userKey)).toMatchObject({ version: 1, snapshot: { first: true } });
      });
    });

    describe('processed messages', () => {
      it('reports a processed message as duplicate', async () => {
        const user = newUser();
        const first = turn(user);
        expect(await store.isProcessed(user.channel, first.message.messageId)).toBe(false);
        await store.commitTurn(first);
        expect(await store.isProcessed(user.channel, first.message.messageId)).toBe(true);
        expect(await store.isProcessed('other-channel', first.message.messageId)).toBe(false);

        const again = { ...first, expectedVersion: 1, snapshot: { again: true } };
        expect(await store.commitTurn(again)).toEqual({ status: 'duplicate' });
        expect(await store.findConversation(user.userKey)).toMatchObject({ version: 1 });
      });

      it('files nothing for a duplicate', async () => {
        const user = newUser();
        const year = nextYear();
        const first = turn(user, { complaint: complaintFor(user, year) });
        await store.commitTurn(first);
        const again = { ...first, expectedVersion: 1 };
        expect(await store.commitTurn(again)).toEqual({ status: 'duplicate' });
        expect(await store.listComplaints({ channel: user.channel, userId: user.userId })).toHaveLength(1);
      });
    });

    describe('filing complaints', () => {
      it('files ADU-<year>-00001 as diterima', async () => {
        const user = newUser();
        const year = nextYear();
        const input = complaintFor(user, year);
        const result = committed(await store.commitTurn(turn(user, { complaint: input })));
        const complaint = result.complaint!;
        expect(complaint).toEqual({
          ...input,
          ticket: formatTicketNumber(year, 1),
          sequence: 1,
          status: 'diterima',
          history: [{ at: input.receivedAt, actor: 'citizen', from: null, to: 'diterima' }],
          revision: 1,
          updatedAt: at('10:00'),
        });
        expect(await store.findComplaint(complaint.ticket)).toEqual(complaint);

        const second = newUser();
        const next = committed(await store.commitTurn(turn(second, { complaint: complaintFor(second, year) })));
        expect(next.complaint?.ticket).toBe(formatTicketNumber(year, 2));
      });

      it('numbers 50 concurrent filings consecutively', async () => {
        const year = nextYear();
        const stores = [store, await open()];
        const users = Array.from({ length: 50 }, () => newUser());
        const results = await Promise.all(
          users.map((user, index) => stores[index % stores.length]!.commitTurn(turn(user, { complaint: complaintFor(user, year) }))),
        );
        const tickets = results.map((result) => committed(result).complaint!.ticket);
        expect([...tickets].sort()).toEqual(Array.from({ length: 50 }, (_, index) => formatTicketNumber(year, index + 1)));
        const stored = await Promise.all(users.map((user) => store.listComplaints({ channel: user.channel, userId: user.userId })));
        expect(stored.map((complaints) => complaints.length)).toEqual(users.map(() => 1));
      });

      it('restarts numbering each year', async () => {
        const year = nextYear();
        nextYear();
        const file = async (fileYear: number) => {
          const user = newUser();
          return committed(await store.commitTurn(turn(user, { complaint: complaintFor(user, fileYear) }))).complaint!.ticket;
        };
        expect([await file(year), await file(year)]).toEqual([formatTicketNumber(year, 1), formatTicketNumber(year, 2)]);
        expect(await file(year + 1)).toBe(formatTicketNumber(year + 1, 1));
        expect(await file(year)).toBe(formatTicketNumber(year, 3));
      });

      it('refiles a retried message once', async () => {
        const user = newUser();
        const year = nextYear();
        const messageId = randomUUID();
        const attempt = (pinHash: string, expectedVersion?: number) =>
          turn(user, { messageId, expectedVersion, complaint: complaintFor(user, year, { pinHash }) });

        // A crash after filing (where the adapter can stop there) and a conflicting attempt.
        await faults.crashAfterFiling?.(attempt('a'.repeat(64)));
        expect(await store.commitTurn(attempt('b'.repeat(64), 7))).toEqual({ status: 'conflict' });

        const retried = committed(await store.commitTurn(attempt('c'.repeat(64))));
        expect(retried.complaint).toMatchObject({ ticket: formatTicketNumber(year, 1), pinHash: 'c'.repeat(64), revision: 1 });
        expect(await store.findComplaint(formatTicketNumber(year, 1))).toMatchObject({ pinHash: 'c'.repeat(64) });
        expect(await store.listComplaints({ channel: user.channel, userId: user.userId })).toHaveLength(1);
        expect(await store.commitTurn(attempt('d'.repeat(64), 1))).toEqual({ status: 'duplicate' });

        const other = newUser();
        const next = committed(await store.commitTurn(turn(other, { complaint: complaintFor(other, year) })));
        expect(next.complaint?.ticket).toBe(formatTicketNumber(year, 2));
      });
    });

    describe('finding and listing complaints', () => {
      it('returns undefined for an unknown ticket', async () => {
        expect(await store.findComplaint('ADU-1999-99999')).toBeUndefined();
      });

      it('lists by filter, deadline and limit', async () => {
        const channel = `list-${randomUUID()}`;
        const year = nextYear();
        const alice = newUser(channel);
        const bob = newUser(channel);
        const file = async (user: TestUser, dueAt: string) => {
          const result = await store.commitTurn(
            turn(user, { expectedVersion: (await store.findConversation(user.userKey))?.version, complaint: complaintFor(user, year, { dueAt: at(dueAt, '2026-12-20') }) }),
          );
          return committed(result).complaint!;
        };
        const late = await file(alice, '15:00');
        const early = await file(bob, '09:00');
        const middle = await file(alice, '12:00');
        const verified = await store.updateComplaint(statusChange(early.ticket, 1, 'diverifikasi'));
        expect(verified).not.toBe('conflict');

        const tickets = async (query: Parameters<Store['listComplaints']>[0]) => (await store.listComplaints(query)).map((complaint) => complaint.ticket);
        expect(await tickets({ channel })).toEqual([early.ticket, middle.ticket, late.ticket]);
        expect(await tickets({ channel, userId: alice.userId })).toEqual([middle.ticket, late.ticket]);
        expect(await tickets({ channel, statuses: ['diterima'] })).toEqual([middle.ticket, late.ticket]);
        expect(await tickets({ channel, statuses: ['diverifikasi', 'selesai'] })).toEqual([early.ticket]);
        expect(await tickets({ channel, limit: 2 })).toEqual([early.ticket, middle.ticket]);
        expect(await tickets({ channel: `${channel}-none` })).toEqual([]);
      });
    });

    describe('updating complaints', () => {
      it('applies changes, history and messages', async () => {
        const { complaint, user } = await fileOne();
        const first = await store.updateComplaint({
          ...statusChange(complaint.ticket, 1, 'diverifikasi'),
          changes: { status: 'diverifikasi', classId: 'sedang', dueAt: at('16:00', '2026-12-22'), assignee: 'petugas-1' },
          outbound: [
            { channel: user.channel, userId: user.userId, text: 'Pengaduan Anda diverifikasi.', ticket: complaint.ticket, createdAt: at('11:00') },
            { channel: 'officer', userId: 'petugas-1', text: 'Pengaduan baru untuk Anda.', createdAt: at('11:00') },
          ],
        });
        expect(first).toMatchObject({ status: 'diverifikasi', classId: 'sedang', assignee: 'petugas-1', revision: 2, updatedAt: at('11:00') });
        const second = await store.updateComplaint({
          ...statusChange(complaint.ticket, 2, 'diproses'),
          changes: { status: 'diproses', assignee: undefined },
          history: { at: at('11:30'), actor: 'petugas-2', from: 'diverifikasi', to: 'diproses', note: 'Diambil alih.' },
        });
        expect(second).not.toBe('conflict');
        const stored = await store.findComplaint(complaint.ticket);
        expect(stored).toEqual(second);
        expect(stored).toMatchObject({ status: 'diproses', classId: 'sedang', revision: 3, dueAt: at('16:00', '2026-12-22') });
        expect(stored).not.toHaveProperty('assignee');
        expect(stored?.history).toEqual([
          { at: complaint.receivedAt, actor: 'citizen', from: null, to: 'diterima' },
          { at: at('11:00'), actor: 'petugas-1', from: 'diterima', to: 'diverifikasi' },
          { at: at('11:30'), actor: 'petugas-2', from: 'diverifikasi', to: 'diproses', note: 'Diambil alih.' },
        ]);

        expect(await store.listOutbound({ channel: user.channel, userId: user.userId })).toEqual([
          { id: expect.any(String), channel: user.channel, userId: user.userId, text: 'Pengaduan Anda diverifikasi.', ticket: complaint.ticket, createdAt: at('11:00') },
        ]);
        expect((await store.listOutbound({ channel: 'officer', userId: 'petugas-1' })).map((message) => message.text)).toEqual([
          'Pengaduan baru untuk Anda.',
        ]);
      });

      it('rejects stale revisions and unknown tickets', async () => {
        const { complaint, user } = await fileOne();
        await store.updateComplaint(statusChange(complaint.ticket, 1, 'diverifikasi'));
        const stale = await store.updateComplaint({
          ...statusChange(complaint.ticket, 1, 'ditolak'),
          outbound: [{ channel: user.channel, userId: user.userId, text: 'Ditolak.', createdAt: at('12:00') }],
        });
        expect(stale).toBe('conflict');
        const stored = await store.findComplaint(complaint.ticket);
        expect(stored).toMatchObject({ status: 'diverifikasi', revision: 2 });
        expect(stored?.history).toHaveLength(2);
        expect(await store.listOutbound({ channel: user.channel, userId: user.userId })).toEqual([]);
        expect(await store.updateComplaint(statusChange('ADU-1999-99999', 1, 'diverifikasi'))).toBe('conflict');
      });
    });

    describe('outbox', () => {
      it('lists and takes per recipient in order', async () => {
        const channel = `outbox-${randomUUID()}`;
        const message = (userId: string, text: string) => ({ channel, userId, text, createdAt: at('09:00') });
        await store.enqueueOutbound([message('u1', 'satu'), message('u2', 'lain'), message('u1', 'dua')]);
        await store.enqueueOutbound([message('u1', 'tiga')]);

        const texts = (messages: Array<{ text: string }>) => messages.map((each) => each.text);
        expect(texts(await store.listOutbound({ channel, userId: 'u1' }))).toEqual(['satu', 'dua', 'tiga']);
        expect(texts(await store.listOutbound({ channel }))).toEqual(['satu', 'lain', 'dua', 'tiga']);
        expect(texts(await store.listOutbound({ channel, limit: 2 }))).toEqual(['satu', 'lain']);

        const taken = await store.takeOutbound(channel, 'u1', at('12:00'));
        expect(texts(taken)).toEqual(['satu', 'dua', 'tiga']);
        expect(taken[0]).toEqual({ id: expect.any(String), channel, userId: 'u1', text: 'satu', createdAt: at('09:00') });
        expect(new Set(taken.map((each) => each.id)).size).toBe(3);
        expect(await store.takeOutbound(channel, 'u1', at('12:00'))).toEqual([]);
        expect(texts(await store.listOutbound({ channel }))).toEqual(['lain']);
        expect(texts(await store.takeOutbound(channel, 'u2', at('12:00')))).toEqual(['lain']);
        expect(await store.listOutbound({ channel })).toEqual([]);
      });
    });

    describe('deliveries', () => {
      const channelsOf = () => {
        const channel = `dispatch-${randomUUID()}`;
        const message = (userId: string, text: string, ticket?: string) => ({
          channel,
          userId,
          text,
          ...(ticket ? { ticket } : {}),
          createdAt: at('09:00'),
        });
        return { channel, message };
      };

      it('claims due messages in order and settles each once', async () => {
        const { channel, message } = channelsOf();
        await store.enqueueOutbound([message('u1', 'satu'), message('u2', 'lain'), message('u1', 'dua')]);

        const claimed = await store.claimOutbound({ channels: [channel], now: at('09:01'), limit: 10, claimMs: 60_000 });
        expect(claimed.map((each) => [each.userId, each.text, each.attempts])).toEqual([
          ['u1', 'satu', 0],
          ['u2', 'lain', 0],
          ['u1', 'dua', 0],
        ]);
        // Claimed messages are not handed out again while the claim lasts.
        expect(await store.claimOutbound({ channels: [channel], now: at('09:01'), limit: 10, claimMs: 60_000 })).toEqual([]);

        const [first, other, second] = claimed;
        expect(await store.settleOutbound({ id: first!.id, claimToken: first!.claimToken, outcome: { status: 'sent', at: at('09:02') } })).toBe(true);
        // A second settle with the same claim changes nothing.
        expect(await store.settleOutbound({ id: first!.id, claimToken: first!.claimToken, outcome: { status: 'sent', at: at('09:03') } })).toBe(false);
        expect(await store.settleOutbound({ id: other!.id, claimToken: 'not-the-token', outcome: { status: 'sent', at: at('09:02') } })).toBe(false);

        // After the claims expire, the unsettled messages are claimable again with new tokens.
        const again = await store.claimOutbound({ channels: [channel], now: at('09:05'), limit: 10, claimMs: 60_000 });
        expect(again.map((each) => each.text)).toEqual(['lain', 'dua']);
        expect(again[0]!.claimToken).not.toBe(other!.claimToken);
        expect(await store.settleOutbound({ id: other!.id, claimToken: other!.claimToken, outcome: { status: 'sent', at: at('09:05') } })).toBe(false);
        expect(await store.settleOutbound({ id: second!.id, claimToken: second!.claimToken, outcome: { status: 'sent', at: at('09:05') } })).toBe(false);
      });

      it('holds a recipient behind its message that waits, and no one else', async () => {
        const { channel, message } = channelsOf();
        await store.enqueueOutbound([message('u1', 'satu'), message('u1', 'dua'), message('u2', 'lain')]);
        const claim = (time: string, limit = 10) => store.claimOutbound({ channels: [channel], now: at(time), limit, claimMs: 60_000 });

        // Only the first message: u1's second one waits behind the live claim, u2 is past the limit.
        const [first] = await claim('09:00', 1);
        expect(first?.text).toBe('satu');
        const [other] = await claim('09:00:10');
        expect(other?.text).toBe('lain');
        expect(await store.settleOutbound({ id: other!.id, claimToken: other!.claimToken, outcome: { status: 'sent', at: at('09:00:11') } })).toBe(true);
        const retry = { status: 'retry' as const, retryAt: at('09:30'), error: '502 Bad Gateway' };
        expect(await store.settleOutbound({ id: first!.id, claimToken: first!.claimToken, outcome: retry })).toBe(true);
        expect(await claim('09:29')).toEqual([]);
        expect((await claim('09:30')).map((each) => each.text)).toEqual(['satu', 'dua']);
      });

      it('keeps a failed message pending until its retry time, then dead after the last attempt', async () => {
        const { channel, message } = channelsOf();
        const ticket = `ADU-2091-${String(Math.floor(Math.random() * 90000) + 10000)}`;
        await store.enqueueOutbound([message('u1', 'pertama', ticket), message('u1', 'kedua', ticket)]);
        // One at a time, so that no later message is left claimed.
        const claim = (time: string) => store.claimOutbound({ channels: [channel], now: at(time), limit: 1, claimMs: 60_000 });

        const [first] = await claim('09:00');
        const retry = { status: 'retry' as const, retryAt: at('09:30'), error: '429 Too Many Requests' };
        expect(await store.settleOutbound({ id: first!.id, claimToken: first!.claimToken, outcome: retry })).toBe(true);
        // Not due yet, and the recipient's later message waits behind it.
        expect(await claim('09:29')).toEqual([]);
        const [retried] = await claim('09:30');
        expect(retried).toMatchObject({ text: 'pertama', attempts: 1 });
        const dead = { status: 'dead' as const, at: at('09:31'), error: '403 Forbidden: bot was blocked by the user' };
        expect(await store.settleOutbound({ id: retried!.id, claimToken: retried!.claimToken, outcome: dead })).toBe(true);
        // A dead message no longer holds the queue.
        expect((await claim('09:31')).map((each) => each.text)).toEqual(['kedua']);

        const deliveries = await store.listDeliveries({ ticket });
        expect(deliveries.map((each) => [each.text, each.status, each.attempts, each.lastError])).toEqual([
          ['pertama', 'dead', 2, '403 Forbidden: bot was blocked by the user'],
          ['kedua', 'pending', 0, undefined],
        ]);
        expect((await store.listDeliveries({ channel, statuses: ['dead'] })).map((each) => each.text)).toEqual(['pertama']);
        expect(await store.listOutbound({ channel })).toEqual([expect.objectContaining({ text: 'kedua' })]);
      });

      it('records the web chat take as sent', async () => {
        const { channel, message } = channelsOf();
        await store.enqueueOutbound([message('u1', 'satu')]);
        await store.takeOutbound(channel, 'u1', at('10:00'));
        const [delivery] = await store.listDeliveries({ channel });
        expect(delivery).toMatchObject({ status: 'sent', sentAt: at('10:00'), attempts: 0 });
        expect(await store.claimOutbound({ channels: [channel], now: at('10:01'), limit: 10, claimMs: 1000 })).toEqual([]);
      });

      it('claims only the channels asked for', async () => {
        const first = channelsOf();
        const second = channelsOf();
        await store.enqueueOutbound([first.message('u1', 'satu'), second.message('u1', 'dua')]);
        const claimed = await store.claimOutbound({ channels: [second.channel], now: at('09:01'), limit: 10, claimMs: 1000 });
        expect(claimed.map((each) => each.text)).toEqual(['dua']);
      });
    });

    describe('notices', () => {
      it('queues a keyed notice once', async () => {
        const key = `reminder:${randomUUID()}`;
        const channel = `notice-${randomUUID()}`;
        const notice = {
          key,
          ticket: 'ADU-2092-00001',
          outbound: [
            { channel, userId: 'petugas-1', text: 'Pengingat 1', createdAt: at('09:00') },
            { channel, userId: 'petugas-2', text: 'Pengingat 2', createdAt: at('09:00') },
          ],
          now: at('09:00'),
        };
        expect(await store.findNoticeKeys([key, `${key}-other`])).toEqual(new Set());
        expect(await store.recordNotice(notice)).toBe(true);
        expect(await store.recordNotice({ ...notice, now: at('09:01') })).toBe(false);
        expect((await store.listOutbound({ channel })).map((each) => [each.userId, each.text])).toEqual([
          ['petugas-1', 'Pengingat 1'],
          ['petugas-2', 'Pengingat 2'],
        ]);
        expect(await store.findNoticeKeys([key, `${key}-other`])).toEqual(new Set([key]));
      });

      it('queues one copy when two stores record the same key at once', async () => {
        const other = await open();
        const key = `reminder:${randomUUID()}`;
        const channel = `notice-${randomUUID()}`;
        const notice = { key, outbound: [{ channel, userId: 'petugas-1', text: 'Sekali saja', createdAt: at('09:00') }], now: at('09:00') };
        const results = await Promise.all([store.recordNotice(notice), other.recordNotice(notice)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listOutbound({ channel })).toHaveLength(1);
      });
    });

    describe('leases', () => {
      it('lets one holder in until the lease expires', async () => {
        const name = `scheduler-${randomUUID()}`;
        const ttlMs = 60_000;
        expect(await store.acquireLease({ name, holder: 'a', now: at('09:00'), ttlMs })).toBe(true);
        expect(await store.acquireLease({ name, holder: 'b', now: at('09:00:30'), ttlMs })).toBe(false);
        // The holder renews it.
        expect(await store.acquireLease({ name, holder: 'a', now: at('09:00:45'), ttlMs })).toBe(true);
        expect(await store.acquireLease({ name, holder: 'b', now: at('09:01:30'), ttlMs })).toBe(false);
        // Expired: another holder takes it.
        expect(await store.acquireLease({ name, holder: 'b', now: at('09:01:45'), ttlMs })).toBe(true);
        expect(await store.acquireLease({ name, holder: 'a', now: at('09:01:50'), ttlMs })).toBe(false);
        // Released by its holder only.
        await store.releaseLease({ name, holder: 'a' });
        expect(await store.acquireLease({ name, holder: 'a', now: at('09:01:55'), ttlMs })).toBe(false);
        await store.releaseLease({ name, holder: 'b' });
        expect(await store.acquireLease({ name, holder: 'a', now: at('09:01:55'), ttlMs })).toBe(true);
      });
    });

    describe('media', () => {
      it('round-trips bytes, type, size and name', async () => {
        const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, index) => index % 251));
        const id = await store.saveMedia({ mimeType: 'image/jpeg', size: bytes.length, fileName: 'bukti.jpg', bytes, createdAt: at('10:00') });
        const { bytes: foundBytes, ...found } = (await store.findMedia(id))!;
        expect(found).toEqual({ id, mimeType: 'image/jpeg', size: bytes.length, fileName: 'bukti.jpg', createdAt: at('10:00') });
        // Buffer.equals: a deep toEqual over 300 kB takes seconds.
        expect(Buffer.isBuffer(foundBytes)).toBe(true);
        expect(foundBytes.equals(bytes)).toBe(true);

        const unnamed = await store.saveMedia({ mimeType: 'application/pdf', size: 4, bytes: Buffer.from('%PDF'), createdAt: at('10:01') });
        expect(unnamed).not.toBe(id);
        const pdf = await store.findMedia(unnamed);
        expect(pdf).toEqual({ id: unnamed, mimeType: 'application/pdf', size: 4, bytes: Buffer.from('%PDF'), createdAt: at('10:01') });
        expect(pdf).not.toHaveProperty('fileName');
      });

      it('deletes files, ignoring unknown ids', async () => {
        const save = (text: string) =>
          store.saveMedia({ mimeType: 'application/pdf', size: text.length, bytes: Buffer.from(text), createdAt: at('10:00') });
        const [first, second] = [await save('%PDF-1'), await save('%PDF-2')];
        await store.deleteMedia([first, 'no-such-media', randomUUID(), '0123456789abcdef01234567']);
        await store.deleteMedia([]);
        expect(await store.findMedia(first)).toBeUndefined();
        expect((await store.findMedia(second))?.bytes.toString()).toBe('%PDF-2');
      });

      it('returns undefined for an unknown id', async () => {
        for (const id of ['no-such-media', randomUUID(), '0123456789abcdef01234567']) expect(await store.findMedia(id)).toBeUndefined();
      });
    });

    describe('PIN failures', () => {
      it('counts failures per ticket and user', async () => {
        const ticket = `ADU-2026-${randomUUID()}`;
        const otherTicket = `ADU-2026-${randomUUID()}`;
        const [alice, bob] = [newUser(), newUser()];
        await store.recordPinFailure({ ticket, userKey: alice.userKey, at: at('08:00') });
        await store.recordPinFailure({ ticket, userKey: alice.userKey, at: at('10:00') });
        await store.recordPinFailure({ ticket, userKey: bob.userKey, at: at('10:30') });
        await store.recordPinFailure({ ticket: otherTicket, userKey: alice.userKey, at: at('11:00') });

        expect(await store.countPinFailures({ ticket, userKey: alice.userKey, since: at('09:00') })).toEqual({ forTicket: 2, forUser: 2 });
        expect(await store.countPinFailures({ ticket, userKey: alice.userKey, since: at('07:00') })).toEqual({ forTicket: 3, forUser: 3 });
        expect(await store.countPinFailures({ ticket, userKey: bob.userKey, since: at('10:30') })).toEqual({ forTicket: 1, forUser: 1 });
        expect(await store.countPinFailures({ ticket: otherTicket, userKey: bob.userKey, since: at('12:00') })).toEqual({ forTicket: 0, forUser: 0 });
      });
    });

    describe('ping and close', () => {
      it('pings, then fails after close', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        const extra = await openStore();
        await extra.ping();
        await extra.close();
        await expect(extra.ping()).rejects.toThrow();
        await expect(extra.close()).resolves.toBeUndefined();
      });
    });

    /** Files one complaint for a new user in a year of its own. */
    async function fileOne() {
      const user = newUser();
      const result = await store.commitTurn(turn(user, { complaint: complaintFor(user, nextYear()) }));
      return { user, complaint: committed(result).complaint! };
    }
  });
}

interface TestUser {
  channel: string;
  userId: string;
  userKey: string;
}

let users = 0;
/** Returns a user no other test uses. */
function newUser(channel = 'telegram'): TestUser {
  const userId = `user-${++users}-${randomUUID().slice(0, 8)}`;
  return { channel, userId, userKey: `${channel}:${userId}` };
}

let years = 2040;
/** Returns a ticket year that no other test of the file files in. */
function nextYear(): number {
  return ++years;
}

/** Returns a time on `date` (default 2026-12-04) in the office's zone, UTC+7. */
/** The instant `time` (HH:MM or HH:MM:SS) on `date` in WIB. */
function at(time: string, date = '2026-12-04'): Date {
  const seconds = time.length === 5 ? ':00' : '';
  return new Date(`${date}T${time}${seconds}+07:00`);
}

function complaintFor(user: TestUser, year: number, overrides: Partial<NewComplaint> = {}): NewComplaint {
  return newComplaint({ channel: user.channel, userId: user.userId, year, receivedAt: at('09:30'), dueAt: at('16:00', '2026-12-11'), ...overrides });
}

function turn(
  user: TestUser,
  options: { messageId?: string; expectedVersion?: number; snapshot?: unknown; now?: Date; complaint?: NewComplaint } = {},
): ConversationTurn {
  const now = options.now ?? at('10:00');
  return {
    message: { channel: user.channel, messageId: options.messageId ?? randomUUID(), userKey: user.userKey, processedAt: now },
    userKey: user.userKey,
    snapshot: options.snapshot ?? { value: 'menu' },
    expectedVersion: options.expectedVersion,
    now,
    ...(options.complaint ? { newComplaint: options.complaint } : {}),
  };
}

function committed(result: TurnResult): Extract<TurnResult, { status: 'committed' }> {
  if (result.status !== 'committed') throw new Error(`Expected the turn to commit, but it was ${result.status}`);
  return result;
}

function statusChange(ticket: string, expectedRevision: number, to: 'diverifikasi' | 'diproses' | 'ditolak'): ComplaintUpdate {
  return {
    ticket,
    expectedRevision,
    changes: { status: to },
    history: { at: at('11:00'), actor: 'petugas-1', from: 'diterima', to },
    outbound: [],
    now: at('11:00'),
  };
}
