import type { Catalog } from '../../src/catalog/load.js';
import type { Complaint, NewComplaint } from '../../src/complaints/complaint.js';
import { BotHarness, loadShippedCatalog, TestClock } from '../support/harness.js';
import { fileComplaint, newComplaint } from '../complaints/complaint-fixtures.js';

/** Web simulator users of the test roster: the shipped demo officer plus one officer per limited role. */
export const manager = 'petugas-demo';
export const teamMember = 'tim-web';
export const supervisor = 'atasan-web';
export const citizen = 'warga-1';

/** Returns the shipped catalog with two more officers reachable from the web simulator. */
export async function catalogWithWebOfficers(): Promise<Catalog> {
  const shipped = await loadShippedCatalog();
  return {
    ...shipped,
    officers: {
      ...shipped.officers,
      officers: [
        ...shipped.officers.officers,
        { id: 'tim-web', name: 'Tim Web', roles: ['tim_pengelola'], addresses: { web: teamMember }, absences: [] },
        { id: 'atasan-web', name: 'Atasan Web', roles: ['atasan'], field: 'Kelembagaan', addresses: { web: supervisor }, absences: [] },
      ],
    },
  };
}

/** Creates a bot on an in-memory store whose roster includes the web officers above. The clock starts on Monday 7 December 2026 at 09:00 WIB. */
export async function createOfficerBot(clock = new TestClock()): Promise<BotHarness> {
  return BotHarness.create({ catalog: await catalogWithWebOfficers(), clock });
}

/** Files a complaint of `citizen` in the web simulator directly into the store, received now. */
export async function fileFor(bot: BotHarness, overrides: Partial<NewComplaint> = {}): Promise<Complaint> {
  const receivedAt = bot.clock.now();
  const dueAt = bot.calendar.computeDeadline(receivedAt, { amount: 3, unit: 'officeHours' });
  return fileComplaint(bot.store, newComplaint({ channel: 'web', userId: citizen, receivedAt, dueAt, ...overrides }));
}

/** Returns the texts queued for a recipient, oldest first, without taking them. */
export async function queued(bot: BotHarness, channel: string, userId: string): Promise<string[]> {
  return (await bot.store.listOutbound({ channel, userId, limit: 1000 })).map((message) => message.text);
}
