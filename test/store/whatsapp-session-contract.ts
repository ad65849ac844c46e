import { randomUUID } from 'node:crypto';
import { BufferJSON, Curve, initAuthCreds, proto, type SignalDataSet } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthState, UnreadableCredsError } from '../../src/channels/whatsapp/auth-state.js';
import { createSilentLogger } from '../../src/log/logger.js';
import type { Store } from '../../src/store/store.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';

const logger = createSilentLogger();

/** One value of every signal key type Baileys 7 stores, with binary fields as Buffers. */
function everyKeyType(): SignalDataSet {
  return {
    'pre-key': { '1': Curve.generateKeyPair(), '2': Curve.generateKeyPair() },
    session: { '201234567890123_1.0': Buffer.from('session record bytes') },
    'sender-key': { '120363012345678901@g.us::201234567890123::0': Buffer.from('sender key bytes') },
    'sender-key-memory': { '120363012345678901@g.us': { '201234567890123:0@lid': true } },
    'app-state-sync-key': {
      AAAAAMnP: proto.Message.AppStateSyncKeyData.fromObject({
        keyData: Buffer.from('0123456789abcdef0123456789abcdef'),
        fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 1] },
        timestamp: 1_700_000_000,
      }),
    },
    'app-state-sync-version': { regular_high: { version: 3, hash: Buffer.alloc(128, 7), indexValueMap: { 'a2V5/w==': { valueMac: Buffer.from('mac') } } } },
    'lid-mapping': { '6281234567890': '201234567890123', '201234567890123_reverse': '6281234567890' },
    'device-list': { '6281234567890': ['0', '12'] },
    tctoken: { '201234567890123@lid': { token: Buffer.from('trusted contact token'), timestamp: '1700000000' } },
    'identity-key': { '201234567890123.0': Buffer.concat([Buffer.from([5]), Buffer.alloc(32, 9)]) },
  };
}

/**
 * The WhatsApp session data and the user merge, on a store from `openStore`. The auth state
 * goes through the channel's own loader, so what is checked is the whole round trip: Baileys
 * objects, BufferJSON text, the store, and back.
 */
export function describeWhatsAppSessionContract(name: string, openStore: () => Promise<Store>, closeStore: (store: Store) => Promise<void>): void {
  describe(`${name} WhatsApp sessions`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openStore();
    });
    afterAll(async () => {
      await closeStore(store);
    });
    const newSession = () => `office-${randomUUID().slice(0, 8)}`;

    it('starts unpaired without creds', async () => {
      const auth = await loadAuthState(store.whatsappSessions, newSession(), logger);
      expect(auth.registered).toBe(false);
      expect(auth.state.creds.noiseKey.private).toBeInstanceOf(Buffer);
    });

    it('round-trips initAuthCreds', async () => {
      const session = newSession();
      const auth = await loadAuthState(store.whatsappSessions, session, logger);
      Object.assign(auth.state.creds, { registered: true, me: { id: '6285600000001:3@s.whatsapp.net', lid: '99887766554433:3@lid', name: 'Diskop' } });
      await auth.saveCreds();
      const loaded = await loadAuthState(store.whatsappSessions, session, logger);
      expect(loaded.state.creds).toEqual(auth.state.creds);
      expect(loaded.state.creds.signedIdentityKey.private).toBeInstanceOf(Buffer);
      expect(loaded.registered).toBe(true);
    });

    it('round-trips every signal key type', async () => {
      const session = newSession();
      const data = everyKeyType();
      await (await loadAuthState(store.whatsappSessions, session, logger)).state.keys.set(data);
      const keys = (await loadAuthState(store.whatsappSessions, session, logger)).state.keys;
      for (const [type, values] of Object.entries(data) as Array<[keyof SignalDataSet, Record<string, unknown>]>) {
        const found = await keys.get(type, Object.keys(values));
        expect(JSON.stringify(found, BufferJSON.replacer), type).toBe(JSON.stringify(values, BufferJSON.replacer));
      }
    });

    it('revives app-state sync keys as protobuf objects', async () => {
      const session = newSession();
      const auth = await loadAuthState(store.whatsappSessions, session, logger);
      await auth.state.keys.set({ 'app-state-sync-key': everyKeyType()['app-state-sync-key']! });
      const found = await auth.state.keys.get('app-state-sync-key', ['AAAAAMnP']);
      expect(found.AAAAAMnP).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
      expect(Buffer.from(found.AAAAAMnP!.keyData!).toString()).toBe('0123456789abcdef0123456789abcdef');
    });

    it('deletes a key set to null', async () => {
      const session = newSession();
      const { keys } = (await loadAuthState(store.whatsappSessions, session, logger)).state;
      await keys.set({ 'pre-key': { '5': Curve.generateKeyPair(), '6': Curve.generateKeyPair() } });
      await keys.set({ 'pre-key': { '5': null } });
      expect(Object.keys(await keys.get('pre-key', ['5', '6', '7']))).toEqual(['6']);
    });

    it('keeps sessions apart', async () => {
      const first = await loadAuthState(store.whatsappSessions, newSession(), logger);
      const second = await loadAuthState(store.whatsappSessions, newSession(), logger);
      await first.state.keys.set({ 'device-list': { '6281234567890': ['0'] } });
      expect(await second.state.keys.get('device-list', ['6281234567890'])).toEqual({});
    });

    it('rejects truncated creds loudly', async () => {
      const session = newSession();
      const full = JSON.stringify(initAuthCreds(), BufferJSON.replacer);
      await store.whatsappSessions.writeAuthValues(session, [{ key: 'creds', value: full.slice(0, Math.floor(full.length / 2)) }]);
      await expect(loadAuthState(store.whatsappSessions, session, logger)).rejects.toThrow(UnreadableCredsError);
    });

    it('rejects creds without keys', async () => {
      const session = newSession();
      await store.whatsappSessions.writeAuthValues(session, [{ key: 'creds', value: '{"registered":true}' }]);
      await expect(loadAuthState(store.whatsappSessions, session, logger)).rejects.toThrow(/noiseKey/);
    });

    it('resets to new creds', async () => {
      const session = newSession();
      const auth = await loadAuthState(store.whatsappSessions, session, logger);
      auth.state.creds.registered = true;
      await auth.saveCreds();
      await auth.state.keys.set({ session: { a: Buffer.from('x') } });
      const oldNoiseKey = auth.state.creds.noiseKey.private;
      await auth.reset();
      expect(auth.state.creds.noiseKey.private).not.toEqual(oldNoiseKey);
      expect(await store.whatsappSessions.readAuthValues(session, ['creds', 'session:a'])).toEqual(new Map());
    });

    it('keeps and prunes sent messages', async () => {
      const session = newSession();
      const sessions = store.whatsappSessions;
      await sessions.saveSentMessage(session, { id: 'OLD', content: '{"conversation":"lama"}', sentAt: new Date('2026-12-01T00:00:00Z') });
      await sessions.saveSentMessage(session, { id: 'NEW', content: '{"conversation":"baru"}', sentAt: new Date('2026-12-05T00:00:00Z') });
      expect(await sessions.findSentMessage(session, 'NEW')).toBe('{"conversation":"baru"}');
      expect(await sessions.deleteSentMessagesBefore(session, new Date('2026-12-03T00:00:00Z'))).toBe(1);
      expect(await sessions.findSentMessage(session, 'OLD')).toBeUndefined();
      expect(await sessions.findSentMessage(session, 'NEW')).toBe('{"conversation":"baru"}');
    });
  });

  describe(`${name} user merge`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openStore();
    });
    afterAll(async () => {
      await closeStore(store);
    });
    const ids = () => {
      const suffix = String(Date.now()).slice(-6) + String(Math.floor(Math.random() * 1000)).padStart(3, '0');
      return { lid: `lid:20${suffix}`, phone: `628${suffix}` };
    };
    const save = (userId: string, snapshot: unknown, now: Date, expectedVersion?: number) =>
      store.commitTurn({
        message: { channel: 'whatsapp', messageId: randomUUID(), userKey: `whatsapp:${userId}`, processedAt: now },
        userKey: `whatsapp:${userId}`,
        snapshot,
        expectedVersion,
        now,
      });

    it('moves the conversation and complaints', async () => {
      const { lid, phone } = ids();
      const filed = await fileComplaint(store, newComplaint({ channel: 'whatsapp', userId: lid }));
      expect(await store.mergeUser({ channel: 'whatsapp', fromUserId: lid, toUserId: phone })).toEqual({ conversation: 'moved', complaints: 1 });
      expect(await store.findConversation(`whatsapp:${lid}`)).toBeUndefined();
      expect(await store.findConversation(`whatsapp:${phone}`)).toMatchObject({ snapshot: { state: 'filed' }, version: 1 });
      expect((await store.listComplaints({ channel: 'whatsapp', userId: phone })).map((complaint) => complaint.ticket)).toEqual([filed.ticket]);
      expect(await store.findComplaint(filed.ticket)).toMatchObject({ userId: phone });
      expect(await store.listComplaints({ channel: 'whatsapp', userId: lid })).toEqual([]);
    });

    it('keeps the newer of two conversations', async () => {
      const { lid, phone } = ids();
      await save(phone, { step: 'old' }, new Date('2026-12-04T03:00:00Z'));
      await save(lid, { step: 'new' }, new Date('2026-12-04T04:00:00Z'));
      expect(await store.mergeUser({ channel: 'whatsapp', fromUserId: lid, toUserId: phone })).toEqual({ conversation: 'kept', complaints: 0 });
      expect(await store.findConversation(`whatsapp:${phone}`)).toMatchObject({ snapshot: { step: 'new' }, version: 2 });
      expect(await store.findConversation(`whatsapp:${lid}`)).toBeUndefined();
    });

    it('makes a turn on the old version conflict', async () => {
      const { lid, phone } = ids();
      await save(phone, { step: 1 }, new Date('2026-12-04T03:00:00Z'));
      await save(lid, { step: 1 }, new Date('2026-12-04T02:00:00Z'));
      await store.mergeUser({ channel: 'whatsapp', fromUserId: lid, toUserId: phone });
      expect(await save(phone, { step: 2 }, new Date('2026-12-04T05:00:00Z'), 1)).toEqual({ status: 'conflict' });
    });

    it('changes nothing the second time', async () => {
      const { lid, phone } = ids();
      await fileComplaint(store, newComplaint({ channel: 'whatsapp', userId: lid }));
      await store.mergeUser({ channel: 'whatsapp', fromUserId: lid, toUserId: phone });
      expect(await store.mergeUser({ channel: 'whatsapp', fromUserId: lid, toUserId: phone })).toEqual({ conversation: 'none', complaints: 0 });
      expect(await store.findConversation(`whatsapp:${phone}`)).toMatchObject({ version: 1 });
    });
  });
}
