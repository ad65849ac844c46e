import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { wib } from '../calendar/office-calendar.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';
import { repositoryRoot } from '../support/harness.js';

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const cli = path.join(repositoryRoot, 'src', 'cli', 'complaints.ts');

let dataDir: string;

/** Runs the complaints CLI on the seeded DATA_DIR and returns its exit code and output. */
function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [cli, ...args],
      { cwd: repositoryRoot, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** Reads the complaint and the queued messages straight from the database file. */
async function readStore(ticket: string) {
  const store = SqliteStore.open(dataDir);
  try {
    const complaint = await store.findComplaint(ticket);
    const outbound = complaint ? await store.listOutbound({ channel: complaint.channel, userId: complaint.userId }) : [];
    return { complaint, outbound };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sapa-cli-'));
  const store = SqliteStore.open(dataDir);
  // ADU-2026-00001: Friday 14:00, due Monday 08:00 while unclassified.
  await fileComplaint(store, newComplaint({ receivedAt: wib('2026-12-04T14:00'), dueAt: wib('2026-12-07T08:00') }));
  // ADU-2026-00002: Friday 11:00, due 15:30 the same day.
  await fileComplaint(
    store,
    newComplaint({ userId: '2002', topic: { kind: 'payment' }, receivedAt: wib('2026-12-04T11:00'), dueAt: wib('2026-12-04T15:30') }),
  );
  // ADU-2026-00003: confidential, so show withholds the name and address.
  await fileComplaint(
    store,
    newComplaint({
      userId: '6281234567890',
      identity: 'confidential',
      citizenName: 'Siti Rahasia',
      receivedAt: wib('2026-12-07T09:00'),
      dueAt: wib('2026-12-07T12:00'),
    }),
  );
  await store.close();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run complaints', () => {
  it('lists complaints as a table, soonest deadline first', async () => {
    const { code, stdout } = await runCli('list');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TICKET\s+STATUS\s+CLASS\s+DUE\s+TOPIC$/);
    expect(lines[1]).toMatch(/^ADU-2026-00002\s+diterima\s+\(unclassified\)\s+2026-12-04 15:30 WIB.*payment asked$/);
    expect(lines[2]).toMatch(/^ADU-2026-00001\s+diterima\s+\(unclassified\)\s+2026-12-07 08:00 WIB.*service 3$/);
    expect(lines[3]).toMatch(/^ADU-2026-00003\s+diterima\s+\(unclassified\)\s+2026-12-07 12:00 WIB/);
    expect(lines).toHaveLength(4);
  });

  it('shows every field and the history, accepting a loosely written ticket', async () => {
    const { code, stdout } = await runCli('show', 'adu 2026 1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Ticket:\s+ADU-2026-00001$/m);
    expect(stdout).toMatch(/^Status:\s+diterima \(Diterima, menunggu verifikasi petugas\)$/m);
    expect(stdout).toMatch(/^Received:\s+2026-12-04 14:00 WIB$/m);
    expect(stdout).toMatch(/^Citizen:\s+Budi Santoso$/m);
    expect(stdout).toMatch(/^Channel:\s+telegram 1001$/m);
    expect(stdout).toMatch(/^Description:\s+Permohonan izin usaha/m);
    expect(stdout).toContain('History:\n  2026-12-04 14:00 WIB  citizen  (filed) -> diterima');
  });

  it('show withholds a confidential citizen', async () => {
    const { code, stdout } = await runCli('show', 'ADU-2026-00003');
    expect(code).toBe(0);
    expect(stdout).not.toContain('Siti Rahasia');
    expect(stdout).not.toContain('6281234567890');
    expect(stdout).toMatch(/^Citizen:\s+\(confidential; shown with --reveal\)$/m);
  });

  it('show --reveal shows a confidential citizen', async () => {
    const { stdout } = await runCli('show', 'ADU-2026-00003', '--reveal');
    expect(stdout).toMatch(/^Citizen:\s+Siti Rahasia$/m);
    expect(stdout).toContain('6281234567890');
  });

  it('write commands reject a loosely written ticket', async () => {
    const { code, stderr } = await runCli('set-status', 'ADU-2026-0001', 'diproses');
    expect(code).toBe(2);
    expect(stderr).toContain('ADU-YYYY-NNNNN');
  });

  it('classifies a complaint, recomputing the deadline and queuing the message', async () => {
    const { code, stdout } = await runCli('classify', 'ADU-2026-00001', 'normatif');
    expect(code).toBe(0);
    expect(stdout).toContain('ADU-2026-00001: diterima -> diverifikasi, class normatif, due 2026-12-11 16:30 WIB.');
    const { complaint, outbound } = await readStore('ADU-2026-00001');
    expect(complaint).toMatchObject({ status: 'diverifikasi', classId: 'normatif', dueAt: wib('2026-12-11T16:30') });
    expect(complaint!.history.at(-1)).toMatchObject({ from: 'diterima', to: 'diverifikasi', actor: expect.stringMatching(/^operator/) });
    expect(outbound.map((message) => message.text)).toEqual([
      expect.stringContaining('Batas waktu penyelesaian: Jumat, 11 Desember 2026 pukul 16.30 WIB'),
    ]);
  });

  it('sets a status, taking the rest of the line as the answer', async () => {
    expect((await runCli('set-status', 'ADU-2026-00001', 'diproses')).code).toBe(0);
    const { code, stdout } = await runCli('set-status', 'ADU-2026-00001', 'dijawab', 'Izin', 'sudah', 'terbit.');
    expect(code).toBe(0);
    expect(stdout).toContain('ADU-2026-00001: diproses -> dijawab');
    const { complaint, outbound } = await readStore('ADU-2026-00001');
    expect(complaint).toMatchObject({ status: 'dijawab', answer: 'Izin sudah terbit.' });
    expect(outbound.at(-1)!.text).toContain('Jawaban petugas:\nIzin sudah terbit.');
  });

  it('takes the note as the agency of dialihkan', async () => {
    const { code } = await runCli('set-status', 'ADU-2026-00002', 'dialihkan', 'Ombudsman RI Perwakilan Kalimantan Barat');
    expect(code).toBe(0);
    expect((await readStore('ADU-2026-00002')).complaint).toMatchObject({
      status: 'dialihkan',
      forwardedTo: 'Ombudsman RI Perwakilan Kalimantan Barat',
    });
  });

  it.for([
    [[], 'Missing command.'],
    [['frobnicate'], 'Unknown command "frobnicate".'],
    [['show'], 'show: missing arguments.'],
    [['show', 'ADU-2026-00001', 'extra'], 'show: too many arguments'],
    [['show', 'nomor-7'], 'Invalid ticket number "nomor-7"'],
    [['classify', 'ADU-2026-00001'], 'classify: missing arguments.'],
    [['set-status', 'ADU-2026-00001', 'beres'], 'Unknown status "beres"'],
    [['list', 'beres'], 'Unknown status "beres"'],
  ] as Array<[string[], string]>)('rejects the arguments %j with exit 2 and the usage', async ([args, problem]) => {
    const { code, stdout, stderr } = await runCli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(problem);
    expect(stderr).toContain('Usage: npm run complaints -- <command>');
    expect(stderr).toContain('Example: npm run complaints -- set-status ADU-2026-00007');
  });

  it('reports an unknown ticket with exit 1', async () => {
    const { code, stdout, stderr } = await runCli('show', 'ADU-2026-00099');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('Complaint ADU-2026-00099 not found: check the ticket number (ADU-YYYY-NNNNN)');
  });

  it('reports a domain error with exit 1 and changes nothing', async () => {
    const before = await readStore('ADU-2026-00002');
    const { code, stderr } = await runCli('set-status', 'ADU-2026-00002', 'ditolak');
    expect(code).toBe(1);
    expect(stderr).toContain('ADU-2026-00002');
    expect(await readStore('ADU-2026-00002')).toEqual(before);
  });
});
