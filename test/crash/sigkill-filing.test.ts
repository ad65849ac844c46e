import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';

/**
 * Kills the bot with SIGKILL at random points while 100 citizens file complaints, restarts
 * it, and redelivers every message whose reply never arrived (same message id, as a
 * channel would). Afterwards every acknowledged ticket must exist exactly once and no
 * citizen may have two complaints.
 */

const citizens = 100;
const description = 'Permohonan pertek kantor kas kami belum diproses sejak tiga minggu lalu.';
const dialogue = ['halo', '2', '6', description, 'lewati', '2', '1'];

/** A seeded random generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('SIGKILL during filings', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-crash-'));
  let bot: BotProcess | undefined;
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('acknowledged complaints exist exactly once', async () => {
    const seed = Number(process.env.CRASH_SEED ?? 20261207);
    const next = random(seed);
    const start = () => startBotProcess({ DATA_DIR: dataDir, SESSION_IDLE_MINUTES: '10080' });
    bot = await start();
    let kills = 0;
    let sent = 0;
    const acknowledged = new Map<string, string>();

    for (let citizen = 0; citizen < citizens; citizen++) {
      const user = `warga-${citizen}`;
      for (const [step, text] of dialogue.entries()) {
        const id = `${user}-step-${step}`;
        for (;;) {
          // Kill before about one message in forty, while requests are in flight.
          if (next() < 0.025) {
            const request = send(bot.url, user, text, id).catch(() => undefined);
            await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 5)));
            bot.child.kill('SIGKILL');
            await bot.exited;
            await request;
            kills++;
            bot = await start();
            continue;
          }
          const reply = await send(bot.url, user, text, id);
          sent++;
          const ticket = /Nomor tiket: \*(ADU-\d{4}-\d{5})\*/.exec(reply)?.[1];
          if (ticket) acknowledged.set(user, ticket);
          break;
        }
      }
    }

    bot.child.kill('SIGTERM');
    await bot.exited;
    bot = undefined;

    const store = SqliteStore.open(dataDir);
    const complaints = await store.listComplaints({ limit: 1000 });
    await store.close();

    expect(kills, `seed ${seed}`).toBeGreaterThan(0);
    expect(sent).toBe(citizens * dialogue.length);
    // A kill after the commit but before the reply leaves a filing unacknowledged: the
    // redelivery is then a duplicate. The complaint must still exist exactly once.
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(complaints).toHaveLength(citizens);
    expect(new Set(complaints.map((complaint) => complaint.userId)).size).toBe(citizens);
    for (const [user, ticket] of acknowledged) {
      const matching = complaints.filter((complaint) => complaint.ticket === ticket);
      expect(matching, `${user} ${ticket}`).toHaveLength(1);
      expect(matching[0]!.userId).toBe(user);
    }
    const sequences = complaints.map((complaint) => complaint.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: citizens }, (_, index) => index + 1));
  }, 300_000);
});

/** Posts one message and returns the reply texts; a redelivered id that was processed returns ''. */
async function send(url: string, user: string, text: string, id: string): Promise<string> {
  const response = await fetch(`${url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text, id }),
  });
  if (response.status !== 200) throw new Error(`Simulator answered ${response.status} for ${id}`);
  const body = (await response.json()) as { replies: Array<{ text: string }> };
  return body.replies.map((reply) => reply.text).join('\n');
}
