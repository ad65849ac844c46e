import { beforeEach, describe, expect, it } from 'vitest';
import { createMatcher } from '../../src/catalog/matcher.js';
import { ConversationService } from '../../src/conversation/conversation-service.js';
import { createSilentLogger } from '../../src/log/logger.js';
import type { InboundMessage } from '../../src/pipeline/inbound-message.js';
import { toOutboundMessages } from '../../src/pipeline/deliver-later.js';
import { InboundPipeline } from '../../src/pipeline/inbound-pipeline.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { loadShippedCalendar, loadShippedCatalog } from '../support/harness.js';

/**
 * A store whose database can be switched off: every call fails with StoreUnavailableError
 * while `down` is true, as the adapters do when the server is unreachable.
 */
function withOutage(inner: Store): Store & { down: boolean } {
  const state = { down: false };
  const proxy = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'down') return state.down;
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (state.down && property !== 'close') return Promise.reject(new StoreUnavailableError('database unreachable (test outage)'));
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
    set(_target, property, value) {
      if (property !== 'down') return false;
      state.down = Boolean(value);
      return true;
    },
  });
  return proxy as Store & { down: boolean };
}

let sequence = 0;
function message(userId: string, text: string, messageId = `m-${++sequence}`): InboundMessage {
  return { channel: 'web', userId, messageId, text, receivedAt: new Date('2026-12-07T02:00:00Z') };
}

describe('held messages', () => {
  let store: Store & { down: boolean };
  let pipeline: InboundPipeline;
  let conversations: ConversationService;

  async function build(options: { attached: boolean; capacity?: number } = { attached: true }) {
    const catalog = await loadShippedCatalog();
    store = withOutage(SqliteStore.open(':memory:'));
    conversations = new ConversationService({
      catalog,
      matcher: createMatcher(catalog),
      store,
      calendar: await loadShippedCalendar(),
      logger: createSilentLogger(),
      idleMinutes: 30,
    });
    pipeline = new InboundPipeline({
      catalog,
      logger: createSilentLogger(),
      ...(options.attached ? { conversations } : {}),
      pingStore: () => store.ping(),
      deliverLater: async (held, replies) => {
        await store.enqueueOutbound(toOutboundMessages(held, replies, held.receivedAt));
      },
      retry: { capacity: options.capacity ?? 100, initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
  }

  beforeEach(async () => {
    await build();
  });

  it('outage reply promises processing', async () => {
    store.down = true;
    const result = await pipeline.receive(message('u1', 'halo'));
    expect(result.held).toBe(true);
    expect(result.replies[0]!.text).toContain('sedang sibuk');
    expect(result.replies[0]!.text).toContain('akan kami proses');
  });

  it('held message is not marked processed', async () => {
    store.down = true;
    await pipeline.receive(message('u1', 'halo', 'keep-me'));
    store.down = false;
    expect(await store.isProcessed('web', 'keep-me')).toBe(false);
  });

  it('held messages run in order once the store is back', async () => {
    store.down = true;
    await pipeline.receive(message('u1', 'halo'));
    await pipeline.receive(message('u1', '1'));
    expect(pipeline.heldCount).toBe(2);

    store.down = false;
    await pipeline.retryNow();
    expect(pipeline.heldCount).toBe(0);
    const delivered = await store.takeOutbound('web', 'u1', new Date('2026-12-07T03:00:00Z'));
    expect(delivered.map((entry) => entry.text).join('\n')).toContain('Selamat datang');
    expect(delivered.at(-1)!.text).toContain('1. Pelayanan Konsultasi');
    expect((await store.findConversation('web:u1'))!.version).toBe(2);
  });

  it('newer message waits behind held ones', async () => {
    store.down = true;
    await pipeline.receive(message('u1', 'halo'));
    store.down = false;
    const result = await pipeline.receive(message('u1', '1'));
    expect(result.held).toBe(true);
    await pipeline.retryNow();
    expect((await store.findConversation('web:u1'))!.version).toBe(2);
  });

  it('other users are not held', async () => {
    store.down = true;
    await pipeline.receive(message('u1', 'halo'));
    store.down = false;
    const result = await pipeline.receive(message('u2', 'halo'));
    expect(result.held).toBeUndefined();
    expect(result.replies[0]!.text).toContain('Selamat datang');
  });

  it('retry during the outage keeps them held', async () => {
    store.down = true;
    await pipeline.receive(message('u1', 'halo'));
    await pipeline.retryNow();
    expect(pipeline.heldCount).toBe(1);
  });

  it('redelivered held message is held once', async () => {
    store.down = true;
    await pipeline.receive(message('u1', 'halo', 'same'));
    await pipeline.receive(message('u1', 'halo', 'same'));
    expect(pipeline.heldCount).toBe(1);
    store.down = false;
    await pipeline.retryNow();
    expect((await store.findConversation('web:u1'))!.version).toBe(1);
  });

  it('full queue asks to resend', async () => {
    await build({ attached: true, capacity: 2 });
    store.down = true;
    await pipeline.receive(message('a', 'halo'));
    await pipeline.receive(message('b', 'halo'));
    const third = await pipeline.receive(message('c', 'halo'));
    expect(third.held).toBeUndefined();
    expect(third.replies[0]!.text).toContain('kirim ulang');
    expect(pipeline.heldCount).toBe(2);
  });

  it('messages before the store connects are held', async () => {
    await build({ attached: false });
    const result = await pipeline.receive(message('u1', 'halo'));
    expect(result.held).toBe(true);
    pipeline.attach(conversations);
    await pipeline.retryNow();
    expect((await store.findConversation('web:u1'))!.version).toBe(1);
  });

  it('complaint submitted during an outage is filed once', async () => {
    const steps = ['halo', '2', '9', 'Petugas tidak membalas surat permohonan saya sejak bulan lalu.', 'lewati', '2'];
    for (const text of steps) await pipeline.receive(message('u1', text));
    store.down = true;
    await pipeline.receive(message('u1', '1', 'submit'));
    await pipeline.receive(message('u1', '1', 'submit'));
    store.down = false;
    await pipeline.retryNow();
    expect(await store.listComplaints({})).toHaveLength(1);
    const delivered = await store.takeOutbound('web', 'u1', new Date('2026-12-07T03:00:00Z'));
    expect(delivered.map((entry) => entry.text).join('\n')).toContain('Nomor tiket: *ADU-2026-00001*');
  });
});
