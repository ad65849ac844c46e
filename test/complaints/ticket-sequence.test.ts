import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTicketNumber } from '../../src/complaints/ticket-number.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { wib } from '../calendar/office-calendar.js';
import { repositoryRoot } from '../support/harness.js';
import { fileComplaint, newComplaint } from './complaint-fixtures.js';

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const fileComplaintsScript = path.join(repositoryRoot, 'test', 'complaints', 'support', 'file-complaints.ts');

/**
 * Runs support/file-complaints.ts in a child process. `ready` resolves once its store is
 * open, and `start()` lets it file and returns the tickets it printed.
 */
function startFilingProcess(dataDir: string, count: number, prefix: string): { ready: Promise<void>; start(): Promise<string[]> } {
  const child = spawn(tsx, [fileComplaintsScript, dataDir, String(count), prefix], { cwd: repositoryRoot });
  let stdout = '';
  let stderr = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  void exited.then(() => markReady());
  return {
    ready,
    async start() {
      child.stdin.end('go\n');
      const code = await exited;
      if (code !== 0) throw new Error(`file-complaints.ts ${prefix} exited with ${code}: ${stderr}`);
      return JSON.parse(stdout.slice('ready\n'.length)) as string[];
    },
  };
}

/** Lists ADU-<year>-00001 up to the given count, in order. */
function consecutiveTickets(year: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => formatTicketNumber(year, index + 1));
}

/** Files `count` complaints of distinct users at once and returns their tickets. */
async function fileConcurrently(stores: Store[], count: number, year = 2026, receivedAt = '2026-12-04T14:00'): Promise<string[]> {
  const filings = Array.from({ length: count }, (_, index) =>
    fileComplaint(stores[index % stores.length]!, newComplaint({ year, userId: `user-${year}-${index}`, receivedAt: wib(receivedAt) })),
  );
  return (await Promise.all(filings)).map((complaint) => complaint.ticket);
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sapa-tickets-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function open(dataDir: string): SqliteStore {
  const store = SqliteStore.open(dataDir);
  cleanups.push(() => store.close());
  return store;
}

describe('ticket numbers', () => {
  it('gives 100 concurrent filings distinct, consecutive numbers', async () => {
    const tickets = await fileConcurrently([open(':memory:')], 100);
    expect([...tickets].sort()).toEqual(consecutiveTickets(2026, 100));
  });

  it('starts again at 00001 in a new year', async () => {
    const store = open(':memory:');
    await fileConcurrently([store], 3, 2026, '2026-12-31T15:00');
    const next = await fileConcurrently([store], 2, 2027, '2027-01-04T08:00');
    expect(next.sort()).toEqual(['ADU-2027-00001', 'ADU-2027-00002']);
    const again = await fileComplaint(store, newComplaint({ userId: 'late-2026', receivedAt: wib('2026-12-31T15:30') }));
    expect(again.ticket).toBe('ADU-2026-00004');
  });

  it('keeps numbers distinct and consecutive across two stores on one database file', async () => {
    const dir = await temporaryDir();
    const first = open(dir);
    const second = open(dir);
    const tickets = await fileConcurrently([first, second], 100);
    expect([...tickets].sort()).toEqual(consecutiveTickets(2026, 100));
    expect((await first.listComplaints({ limit: 1000 })).map((complaint) => complaint.ticket).sort()).toEqual(
      consecutiveTickets(2026, 100),
    );
  });

  it('keeps numbers distinct and consecutive across two processes filing at the same time', async () => {
    const dir = await temporaryDir();
    await open(dir).close();
    const processes = ['first', 'second'].map((prefix) => startFilingProcess(dir, 50, prefix));
    await Promise.all(processes.map((child) => child.ready));
    const tickets = (await Promise.all(processes.map((child) => child.start()))).flat();
    expect(tickets.sort()).toEqual(consecutiveTickets(2026, 100));
  });
});
