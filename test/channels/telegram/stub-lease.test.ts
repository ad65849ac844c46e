import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel, TelegramChannelStore } from '../../../src/channels/telegram/telegram-channel.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { TestClock } from '../../support/harness.js';
import { BotApiStub, stubToken, textUpdate } from './bot-api-stub.js';
import { createStubChannel, waitUntil } from './stub-support.js';

/** The lease name every instance of the stub token's bot uses. */
const leaseName = `telegram-poller:${stubToken.split(':')[0]}`;

/** The SQLite store of one instance, counting its lease attempts. */
class CountingStore implements TelegramChannelStore {
  leaseAttempts = 0;
  constructor(readonly inner: SqliteStore) {}

  acquireLease(lease: Parameters<TelegramChannelStore['acquireLease']>[0]): Promise<boolean> {
    this.leaseAttempts++;
    return this.inner.acquireLease(lease);
  }
  releaseLease(lease: Parameters<TelegramChannelStore['releaseLease']>[0]): Promise<void> {
    return this.inner.releaseLease(lease);
  }
  setRecipientReachable(change: Parameters<TelegramChannelStore['setRecipientReachable']>[0]): Promise<void> {
    return this.inner.setRecipientReachable(change);
  }
  isRecipientUnreachable(channel: string, userId: string): Promise<boolean> {
    return this.inner.isRecipientUnreachable(channel, userId);
  }
}

/**
 * Two instances of the bot with the same token, each with its own Bot API stub (so the test
 * can tell which one polls) and its own store connection to one SQLite file, as two processes on
 * one DATA_DIR have.
 */
describe('telegram poller lease', () => {
  let dataDir: string;
  let clock: TestClock;
  const stubs: BotApiStub[] = [];
  const channels: TelegramChannel[] = [];
  const stores: SqliteStore[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-telegram-lease-'));
    clock = new TestClock();
  });

  afterEach(async () => {
    for (const channel of channels.splice(0)) await channel.stop();
    for (const stub of stubs.splice(0)) await stub.stop();
    for (const store of stores.splice(0)) await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts an instance; `connected` returns false while its store is not connected yet. */
  async function startInstance(connected: () => boolean = () => true) {
    const stub = await new BotApiStub().start();
    stubs.push(stub);
    const sqlite = SqliteStore.open(dataDir);
    stores.push(sqlite);
    const store = new CountingStore(sqlite);
    const channel = await createStubChannel(stub, { store: () => (connected() ? store : undefined), clock: clock.now });
    channels.push(channel);
    channel.start();
    return { stub, store, channel };
  }

  /** Waits until the instance made `count` more lease attempts. */
  async function waitForAttempts(store: CountingStore, count: number): Promise<void> {
    const target = store.leaseAttempts + count;
    await waitUntil(() => store.leaseAttempts >= target, `${count} more lease attempts`);
  }

  it('lets one of two instances poll', async () => {
    const first = await startInstance();
    await waitUntil(() => first.channel.status().state === 'running', 'the first instance to run');
    await first.stub.waitForCalls('getUpdates', 1);

    const second = await startInstance();
    await waitUntil(() => second.channel.status().state === 'standby', 'the second instance to stand by');
    await waitForAttempts(second.store, 3);
    expect(second.stub.callsOf('getMe')).toEqual([]);
    expect(second.stub.callsOf('getUpdates')).toEqual([]);
    expect(first.channel.status().state).toBe('running');
  });

  it('hands polling over when the holder stops', async () => {
    const first = await startInstance();
    await first.stub.waitForCalls('getUpdates', 1);
    const second = await startInstance();
    await waitUntil(() => second.channel.status().state === 'standby', 'the second instance to stand by');

    await first.channel.stop();
    const polledByFirst = first.stub.callsOf('getUpdates').length;
    // The lease was released, so the second instance takes it at once instead of after its lifetime.
    await waitUntil(() => second.channel.status().state === 'running', 'the second instance to run');
    second.stub.pushUpdate(textUpdate(1, 777, 'halo'));
    await second.stub.waitForCalls('sendMessage', 1);
    expect(first.stub.callsOf('getUpdates')).toHaveLength(polledByFirst);
  });

  it('stops polling when another holder took the lease', async () => {
    const first = await startInstance();
    await first.stub.waitForCalls('getUpdates', 1);

    // Another process found the lease expired: it takes it at a later time than this instance's clock.
    const later = new Date(clock.now().getTime() + 61_000);
    expect(await stores[0]!.acquireLease({ name: leaseName, holder: 'another-process', now: later, ttlMs: 60_000 })).toBe(true);
    await waitUntil(() => first.channel.status().state === 'standby', 'the instance to stand by');
    const polls = first.stub.callsOf('getUpdates').length;
    await waitForAttempts(first.store, 3);
    expect(first.stub.callsOf('getUpdates')).toHaveLength(polls);

    await stores[0]!.releaseLease({ name: leaseName, holder: 'another-process' });
    await waitUntil(() => first.channel.status().state === 'running', 'the instance to run again');
    await first.stub.waitForCalls('getUpdates', polls + 1);
  });

  it('stops polling before a lease it cannot renew expires', async () => {
    const first = await startInstance();
    await first.stub.waitForCalls('getUpdates', 1);
    const second = await startInstance();
    await waitUntil(() => second.channel.status().state === 'standby', 'the second instance to stand by');
    const takenAt = clock.now().getTime();

    // The first instance's database connection breaks: each renewal fails.
    await first.store.inner.close();
    await waitForAttempts(first.store, 3);
    expect(first.channel.status().state).toBe('running');

    // 20 ms before the lease expires, which is less than the 30 ms to the next renewal: the holder stops.
    clock.set(new Date(takenAt + 60_000 - 20));
    await waitUntil(() => first.channel.status().state === 'standby', 'the first instance to stop polling');
    const polls = first.stub.callsOf('getUpdates').length;
    await waitForAttempts(second.store, 2);
    expect(second.channel.status().state).toBe('standby');

    // Once the lease expired, the second instance takes over.
    clock.set(new Date(takenAt + 60_000));
    await waitUntil(() => second.channel.status().state === 'running', 'the second instance to run');
    await second.stub.waitForCalls('getUpdates', 1);
    expect(first.stub.callsOf('getUpdates')).toHaveLength(polls);
  });

  it('waits for the store before polling', async () => {
    let connected = false;
    let lookups = 0;
    const instance = await startInstance(() => {
      lookups++;
      return connected;
    });
    await waitUntil(() => lookups >= 3, 'three lease attempts without a store');
    expect(instance.channel.status().state).toBe('starting');
    expect(instance.stub.callsOf('getMe')).toEqual([]);
    expect(instance.store.leaseAttempts).toBe(0);

    connected = true;
    await waitUntil(() => instance.channel.status().state === 'running', 'the instance to run');
    await instance.stub.waitForCalls('getUpdates', 1);
  });
});
