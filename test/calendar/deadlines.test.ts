import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../src/calendar/index.js';
import { loadOfficeCalendar, toWib, wib } from './office-calendar.js';

// Expected values are worked out by hand from the office hours (Mon–Thu 07:30–12:00 and
// 13:00–16:00, Fri 07:30–11:30 and 13:00–16:30) and the SKB 3 Menteri lists for 2025 and 2026.
// Every time is WIB wall-clock time.

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadOfficeCalendar();
});

type Case = [name: string, received: string, amount: number, expected: string];

const officeHourCases: Case[] = [
  ['inside the morning period', '2025-08-04T08:00', 3, '2025-08-04T11:00'],
  ['across the Monday lunch break', '2025-08-04T10:00', 3, '2025-08-04T14:00'],
  ['received during lunch break', '2025-08-04T12:30', 3, '2025-08-04T16:00'],
  ['received exactly at 12:00', '2025-08-04T12:00', 3, '2025-08-04T16:00'],
  ['across the Monday close', '2025-08-04T15:00', 3, '2025-08-05T09:30'],
  ['received before 07:30', '2025-08-04T06:00', 3, '2025-08-04T10:30'],
  ['received exactly at 07:30', '2025-08-04T07:30', 3, '2025-08-04T10:30'],
  ['received after close', '2025-08-04T17:00', 3, '2025-08-05T10:30'],
  ['received exactly at 16:00 close', '2025-08-04T16:00', 3, '2025-08-05T10:30'],
  ['one minute before lunch', '2025-08-04T11:59', 3, '2025-08-04T15:59'],
  ['across the Friday break', '2025-08-08T10:00', 3, '2025-08-08T14:30'],
  ['received in the Friday break', '2025-08-08T11:45', 3, '2025-08-08T16:00'],
  ['received exactly at Friday 11:30', '2025-08-08T11:30', 3, '2025-08-08T16:00'],
  ['Friday afternoon into Monday', '2025-08-08T15:00', 3, '2025-08-11T09:00'],
  ['Friday 16:15 before 16:30 close', '2025-08-08T16:15', 3, '2025-08-11T10:15'],
  ['Friday 16:00 is still open', '2025-08-08T16:00', 3, '2025-08-11T10:00'],
  ['received on Saturday', '2025-08-09T10:00', 3, '2025-08-11T10:30'],
  ['received on Sunday night', '2025-08-10T22:00', 3, '2025-08-11T10:30'],
  ['Friday before the 18 Aug 2025 cuti bersama', '2025-08-15T15:00', 3, '2025-08-19T09:00'],
  ['received on 17 Aug 2025 libur nasional', '2025-08-17T09:00', 3, '2025-08-19T10:30'],
  ['received on 18 Aug 2025 cuti bersama', '2025-08-18T09:00', 3, '2025-08-19T10:30'],
  ['received on Kenaikan 2025', '2025-05-29T09:00', 3, '2025-06-02T10:30'],
  ['Christmas 2025 and its cuti bersama', '2025-12-24T15:00', 3, '2025-12-29T09:30'],
  ['31 Dec 2025 into 2026', '2025-12-31T14:00', 3, '2026-01-02T08:30'],
  ['Nyepi and Idulfitri 2026', '2026-03-17T15:30', 3, '2026-03-25T10:00'],
  ['Imlek 2026 and its cuti bersama', '2026-02-13T16:00', 3, '2026-02-18T10:00'],
  ['Idulfitri 2025 closure', '2025-03-27T14:00', 3, '2025-04-08T08:30'],
  ['half an hour over lunch', '2025-08-04T11:45', 0.5, '2025-08-04T13:15'],
  ['one full office day', '2025-08-04T07:30', 7.5, '2025-08-04T16:00'],
  ['eight office hours', '2025-08-04T07:30', 8, '2025-08-05T08:00'],
];

const workingDayCases: Case[] = [
  ['five days from Monday', '2025-08-04T10:00', 5, '2025-08-11T16:00'],
  ['five days ending on Friday', '2025-08-08T10:00', 5, '2025-08-15T16:30'],
  ['skips the 18 Aug 2025 cuti bersama', '2025-08-13T10:00', 5, '2025-08-21T16:00'],
  ['Friday evening before 18 Aug 2025', '2025-08-15T20:00', 1, '2025-08-19T16:00'],
  ['received on Saturday 16 Aug 2025', '2025-08-16T10:00', 1, '2025-08-19T16:00'],
  ['holiday evening of 17 Aug 2025', '2025-08-17T19:00', 5, '2025-08-25T16:00'],
  ['Christmas 2025 inside the count', '2025-12-22T10:00', 5, '2025-12-31T16:00'],
  ['31 Dec 2025 into 2026', '2025-12-31T10:00', 5, '2026-01-08T16:00'],
  ['24 Dec 2025 before holiday and cuti', '2025-12-24T09:00', 1, '2025-12-29T16:00'],
  ['Idulfitri 2025 closure', '2025-03-24T10:00', 5, '2025-04-09T16:00'],
  ['day before Idulfitri 2025 closure', '2025-03-27T10:00', 1, '2025-04-08T16:00'],
  ['Nyepi and Idulfitri 2026', '2026-03-16T10:00', 5, '2026-03-30T16:00'],
  ['fourteen days across 18 Aug 2025', '2025-08-04T10:00', 14, '2025-08-25T16:00'],
  ['sixty days across Maulid 2025', '2025-08-04T10:00', 60, '2025-10-29T16:00'],
  ['Thursday to Friday close', '2026-01-08T09:00', 1, '2026-01-09T16:30'],
  ['Imlek 2026 and its cuti bersama', '2026-02-13T10:00', 2, '2026-02-19T16:00'],
  ['Christmas 2026 and its cuti bersama', '2026-12-23T10:00', 2, '2026-12-29T16:00'],
  ['31 Dec 2026 into 2027 new year', '2026-12-31T10:00', 1, '2027-01-04T16:00'],
  ['received before opening', '2025-08-04T06:00', 1, '2025-08-05T16:00'],
  ['received on Christmas evening 2025', '2025-12-25T20:00', 1, '2025-12-29T16:00'],
  ['received on Waisak 2025', '2025-05-12T10:00', 1, '2025-05-14T16:00'],
  ['Iduladha 2025 and its cuti bersama', '2025-06-05T10:00', 2, '2025-06-11T16:00'],
  ['Friday after close', '2025-08-08T17:00', 1, '2025-08-11T16:00'],
  ['one minute before midnight', '2025-08-11T23:59', 1, '2025-08-12T16:00'],
  ['fourteen days across Idulfitri 2025', '2025-03-20T10:00', 14, '2025-04-21T16:00'],
  ['sixty days across new year 2026', '2025-11-03T10:00', 60, '2026-01-30T16:30'],
];

describe('addOfficeHours', () => {
  it.each(officeHourCases)('%s', (_name, received, hours, expected) => {
    expect(toWib(calendar.addOfficeHours(wib(received), hours))).toBe(expected);
  });
});

describe('addWorkingDays', () => {
  it.each(workingDayCases)('%s', (_name, received, days, expected) => {
    expect(toWib(calendar.addWorkingDays(wib(received), days))).toBe(expected);
  });
});

describe('computeDeadline', () => {
  it('counts office hours for an officeHours spec', () => {
    const deadline = calendar.computeDeadline(wib('2025-08-15T15:00'), { amount: 3, unit: 'officeHours' });
    expect(toWib(deadline)).toBe('2025-08-19T09:00');
  });

  it('counts working days for a workingDays spec', () => {
    const deadline = calendar.computeDeadline(wib('2025-08-13T10:00'), { amount: 5, unit: 'workingDays' });
    expect(toWib(deadline)).toBe('2025-08-21T16:00');
  });

  it('matches both tables for every case', () => {
    for (const [, received, amount, expected] of officeHourCases) {
      expect(toWib(calendar.computeDeadline(wib(received), { amount, unit: 'officeHours' }))).toBe(expected);
    }
    for (const [, received, amount, expected] of workingDayCases) {
      expect(toWib(calendar.computeDeadline(wib(received), { amount, unit: 'workingDays' }))).toBe(expected);
    }
  });

  it('rejects an unknown unit', () => {
    const spec = { amount: 1, unit: 'calendarDays' } as unknown as Parameters<WorkingCalendar['computeDeadline']>[1];
    expect(() => calendar.computeDeadline(wib('2025-08-04T10:00'), spec)).toThrow(/Unknown duration unit "calendarDays"/);
  });
});
