import { afterEach, describe, expect, it } from 'vitest';
import { WorkingCalendar, type WeeklyOfficeHours } from '../../src/calendar/index.js';
import { loadOfficeCalendar } from './office-calendar.js';

const originalTimeZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTimeZone;
});

/** Results of every calendar method for instants written with explicit offsets, as strings. */
async function computeSample(): Promise<string[]> {
  const calendar = await loadOfficeCalendar();
  const received = [
    '2025-08-15T15:00:00+07:00',
    '2025-12-31T14:00:00+07:00',
    '2025-08-17T19:00:00+07:00',
    '2026-03-17T08:30:00Z',
    '2025-08-08T04:45:00Z',
  ].map((text) => new Date(text));

  return received.flatMap((instant) => [
    calendar.addOfficeHours(instant, 3).toISOString(),
    calendar.addWorkingDays(instant, 5).toISOString(),
    calendar.nextOpening(instant).toISOString(),
    String(calendar.isWithinOfficeHours(instant)),
    String(calendar.isWorkingDay(instant)),
    calendar.formatDeadline(instant),
  ]);
}

describe('host time zone', () => {
  it('does not change any result', async () => {
    process.env.TZ = 'Asia/Pontianak';
    const inOfficeZone = await computeSample();

    for (const hostZone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = hostZone;
      // Node re-reads TZ on assignment; this checks that the host zone really changed.
      const expectedOffset = { 'America/Los_Angeles': 420, 'Pacific/Kiritimati': -840, UTC: 0 }[hostZone];
      expect(new Date(2025, 6, 1).getTimezoneOffset()).toBe(expectedOffset);
      expect(await computeSample()).toEqual(inOfficeZone);
    }
  });

  it('gives the hand-computed WIB deadlines under UTC-7', async () => {
    process.env.TZ = 'America/Los_Angeles';
    const calendar = await loadOfficeCalendar();
    // Friday 15:00 WIB before the 18 August 2025 cuti bersama: 1.5 h on Friday, 1.5 h on Tuesday.
    expect(calendar.addOfficeHours(new Date('2025-08-15T15:00:00+07:00'), 3).toISOString()).toBe(
      new Date('2025-08-19T09:00:00+07:00').toISOString(),
    );
    expect(calendar.addWorkingDays(new Date('2025-12-31T14:00:00+07:00'), 5).toISOString()).toBe(
      new Date('2026-01-08T16:00:00+07:00').toISOString(),
    );
  });
});

describe('office zone with daylight saving', () => {
  const nineToFive = [{ start: '09:00', end: '17:00' }];
  const officeHours: WeeklyOfficeHours = {
    monday: nineToFive,
    tuesday: nineToFive,
    wednesday: nineToFive,
    thursday: nineToFive,
    friday: nineToFive,
    saturday: [],
    sunday: [],
  };
  const berlin = new WorkingCalendar({ timeZone: 'Europe/Berlin', timeZoneLabel: 'MEZ', officeHours, years: [] });

  it('counts wall-clock office hours across the spring change', () => {
    // Clocks move from +01:00 to +02:00 on Sunday 30 March 2025.
    const deadline = berlin.addOfficeHours(new Date('2025-03-28T16:00:00+01:00'), 2);
    expect(deadline.toISOString()).toBe(new Date('2025-03-31T10:00:00+02:00').toISOString());
  });

  it('closes at 17:00 local time after the autumn change', () => {
    // Clocks move from +02:00 to +01:00 on Sunday 26 October 2025.
    const deadline = berlin.addWorkingDays(new Date('2025-10-24T12:00:00+02:00'), 1);
    expect(deadline.toISOString()).toBe(new Date('2025-10-27T17:00:00+01:00').toISOString());
  });

  it('finds the local date near midnight', () => {
    expect(berlin.isWorkingDay(new Date('2025-03-30T22:30:00Z'))).toBe(true); // Monday 00:30 +02:00
    expect(berlin.isWorkingDay(new Date('2025-03-30T21:30:00Z'))).toBe(false); // Sunday 23:30 +02:00
  });
});
