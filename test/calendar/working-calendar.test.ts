import { beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/catalog/schema.js';
import {
  durationSpecSchema,
  WorkingCalendar,
  type HolidayYear,
  type WeeklyOfficeHours,
} from '../../src/calendar/index.js';
import { kalbarOfficeHours, loadOfficeCalendar, toWib, wib } from './office-calendar.js';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadOfficeCalendar();
});

function calendarWith(overrides: Partial<ConstructorParameters<typeof WorkingCalendar>[0]>): WorkingCalendar {
  return new WorkingCalendar({
    timeZone: 'Asia/Pontianak',
    timeZoneLabel: 'WIB',
    officeHours: kalbarOfficeHours,
    years: [],
    ...overrides,
  });
}

// Compile-time check: the catalog's validated office hours fit the calendar's config.
const _catalogHoursFit: (hours: Office['officeHours']) => WeeklyOfficeHours = (hours) => hours;

describe('isWorkingDay', () => {
  it.each([
    ['2025-08-18', false, 'cuti bersama added by the 2025 amendment'],
    ['2025-08-19', true, 'ordinary Tuesday'],
    ['2025-08-16', false, 'Saturday'],
    ['2025-08-17', false, 'libur nasional on a Sunday'],
    ['2026-03-23', false, 'Idulfitri 2026 cuti bersama'],
    ['2026-03-25', true, 'first day back after Idulfitri 2026'],
    ['2025-12-26', false, 'Christmas 2025 cuti bersama'],
    ['2027-01-01', false, 'new year 2027 from the provisional file'],
  ])('%s is %s (%s)', (day, expected) => {
    expect(calendar.isWorkingDay(day)).toBe(expected);
  });

  it('uses the office-zone date of an instant', () => {
    expect(calendar.isWorkingDay(new Date('2025-08-17T17:30:00Z'))).toBe(false); // 18 Aug 00:30 WIB
    expect(calendar.isWorkingDay(new Date('2025-08-18T16:59:59Z'))).toBe(false); // 18 Aug 23:59 WIB
    expect(calendar.isWorkingDay(new Date('2025-08-18T17:00:00Z'))).toBe(true); // 19 Aug 00:00 WIB
  });

  it('rejects a date that does not exist', () => {
    expect(() => calendar.isWorkingDay('2025-02-30')).toThrow(/Invalid day "2025-02-30"/);
    expect(() => calendar.isWorkingDay('18-08-2025')).toThrow(/YYYY-MM-DD/);
  });

  it('counts Saturday when the office opens then', () => {
    const saturdayOffice = calendarWith({
      officeHours: { ...kalbarOfficeHours, saturday: [{ start: '08:00', end: '12:00' }] },
    });
    expect(saturdayOffice.isWorkingDay('2030-01-05')).toBe(true);
    expect(toWib(saturdayOffice.addWorkingDays(wib('2030-01-04T10:00'), 1))).toBe('2030-01-05T12:00');
  });
});

describe('holidaysOn', () => {
  it('returns the amendment day with its decree', () => {
    const [holiday] = calendar.holidaysOn('2025-08-18');
    expect(holiday?.type).toBe('cuti_bersama');
    expect(holiday?.name).toBe('Proklamasi Kemerdekaan (HUT RI ke-80)');
    expect(holiday?.decree).toBe('Nomor 933 Tahun 2025, Nomor 1 Tahun 2025, Nomor 3 Tahun 2025');
  });

  it('returns an empty list on a working day', () => {
    expect(calendar.holidaysOn('2025-08-19')).toEqual([]);
  });
});

describe('isWithinOfficeHours', () => {
  it.each([
    ['2025-08-04T07:29:59', false],
    ['2025-08-04T07:30', true],
    ['2025-08-04T11:59:59', true],
    ['2025-08-04T12:00', false],
    ['2025-08-04T12:59', false],
    ['2025-08-04T13:00', true],
    ['2025-08-04T16:00', false],
    ['2025-08-08T11:30', false],
    ['2025-08-08T16:15', true],
    ['2025-08-08T16:30', false],
    ['2025-08-09T10:00', false],
    ['2025-08-18T10:00', false],
  ])('%s WIB is %s', (local, expected) => {
    expect(calendar.isWithinOfficeHours(wib(local))).toBe(expected);
  });
});

describe('nextOpening', () => {
  it.each([
    ['2025-08-04T10:15', '2025-08-04T10:15'],
    ['2025-08-04T12:00', '2025-08-04T13:00'],
    ['2025-08-08T11:30', '2025-08-08T13:00'],
    ['2025-08-08T16:30', '2025-08-11T07:30'],
    ['2025-08-09T09:00', '2025-08-11T07:30'],
    ['2025-08-15T17:00', '2025-08-19T07:30'],
    ['2025-12-24T16:00', '2025-12-29T07:30'],
  ])('from %s WIB is %s', (local, expected) => {
    expect(toWib(calendar.nextOpening(wib(local)))).toBe(expected);
  });

  it('keeps seconds of an instant inside office hours', () => {
    const instant = wib('2025-08-04T10:15:42');
    expect(calendar.nextOpening(instant).getTime()).toBe(instant.getTime());
  });
});

describe('year without a holiday file', () => {
  const bare = calendarWith({ years: [] });

  it('reports the year as missing', () => {
    expect(bare.yearStatus(2030)).toBe('missing');
  });

  it('treats Monday to Friday as working days', () => {
    // 1 January 2030 is a Tuesday; with no file it is an ordinary working day.
    expect(bare.isWorkingDay('2030-01-01')).toBe(true);
    expect(toWib(bare.addWorkingDays(wib('2029-12-31T10:00'), 5))).toBe('2030-01-07T16:00');
    expect(toWib(bare.addOfficeHours(wib('2030-01-04T16:00'), 3))).toBe('2030-01-07T10:00');
  });
});

describe('yearStatus', () => {
  it.each([
    [2025, 'official'],
    [2026, 'official'],
    [2027, 'provisional'],
    [2028, 'missing'],
  ])('%i is %s', (year, expected) => {
    expect(calendar.yearStatus(year)).toBe(expected);
  });
});

describe('warnings', () => {
  it('is empty while this and next year are official', () => {
    expect(calendar.warnings(wib('2025-03-01T10:00'))).toEqual([]);
  });

  it('flags a provisional next year', () => {
    const warnings = calendar.warnings(wib('2026-06-01T10:00'));
    expect(warnings.map((warning) => [warning.year, warning.status])).toEqual([[2027, 'provisional']]);
    expect(warnings[0]?.message).toMatch(/2027\.yaml/);
  });

  it('flags a provisional current and missing next year', () => {
    const warnings = calendar.warnings(wib('2027-02-01T10:00'));
    expect(warnings.map((warning) => [warning.year, warning.status])).toEqual([
      [2027, 'provisional'],
      [2028, 'missing'],
    ]);
    expect(warnings[1]?.message).toMatch(/No holiday file for 2028/);
  });

  it('takes the year in the office zone', () => {
    // 2026-12-31T17:30Z is 1 January 2027 00:30 WIB, so the current year is already 2027.
    const years = calendar.warnings(new Date('2026-12-31T17:30:00Z')).map((warning) => warning.year);
    expect(years).toEqual([2027, 2028]);
  });
});

describe('invalid arguments', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('addOfficeHours rejects %s hours', (hours) => {
    expect(() => calendar.addOfficeHours(wib('2025-08-04T10:00'), hours)).toThrow(RangeError);
  });

  it.each([0, -2, 1.5, Number.NaN])('addWorkingDays rejects %s days', (days) => {
    expect(() => calendar.addWorkingDays(wib('2025-08-04T10:00'), days)).toThrow(RangeError);
  });

  it('rejects an invalid Date', () => {
    expect(() => calendar.addWorkingDays(new Date('not a date'), 1)).toThrow(/Invalid from: expected a valid Date/);
    expect(() => calendar.isWithinOfficeHours(new Date(Number.NaN))).toThrow(/Invalid instant/);
  });
});

describe('WorkingCalendar config', () => {
  it('rejects an unknown time zone', () => {
    expect(() => calendarWith({ timeZone: 'Asia/Borneo' })).toThrow(/Invalid time zone "Asia\/Borneo"/);
  });

  it('rejects an empty zone label', () => {
    expect(() => calendarWith({ timeZoneLabel: ' ' })).toThrow(/timeZoneLabel/);
  });

  it('rejects a time not written as HH:MM', () => {
    const officeHours = { ...kalbarOfficeHours, monday: [{ start: '7:30', end: '12:00' }] };
    expect(() => calendarWith({ officeHours })).toThrow(/monday period 1 start is "7:30"/);
  });

  it('rejects a period that ends before it starts', () => {
    const officeHours = { ...kalbarOfficeHours, friday: [{ start: '13:00', end: '11:30' }] };
    expect(() => calendarWith({ officeHours })).toThrow(/friday period 1 runs from 13:00 to 11:30/);
  });

  it('rejects overlapping periods', () => {
    const officeHours = {
      ...kalbarOfficeHours,
      tuesday: [
        { start: '07:30', end: '12:00' },
        { start: '11:00', end: '16:00' },
      ],
    };
    expect(() => calendarWith({ officeHours })).toThrow(/tuesday period 2 starts before the previous period ends/);
  });

  it('rejects a week without office hours', () => {
    const closed = Object.fromEntries(Object.keys(kalbarOfficeHours).map((day) => [day, []])) as unknown as WeeklyOfficeHours;
    expect(() => calendarWith({ officeHours: closed })).toThrow(/every day is closed/);
  });

  it('rejects two files for one year', () => {
    const file: HolidayYear = { year: 2030, status: 'provisional', amendments: [], days: [] };
    expect(() => calendarWith({ years: [file, file] })).toThrow(/Two holiday files for 2030/);
  });

  it('stops when holidays leave no opening for over a year', () => {
    const closedYear = (year: number): HolidayYear => {
      const days = Array.from({ length: 365 }, (_, index) => {
        const date = new Date(Date.UTC(year, 0, 1 + index)).toISOString().slice(0, 10);
        return { date, name: 'Test closure', type: 'libur_nasional' as const };
      });
      return { year, status: 'provisional', amendments: [], days };
    };
    const closed = calendarWith({ years: [closedYear(2030), closedYear(2031)] });
    expect(() => closed.nextOpening(wib('2029-12-31T17:00'))).toThrow(/No office hours in the 366 days/);
    expect(() => closed.addWorkingDays(wib('2029-12-31T17:00'), 1)).toThrow(/No office hours in the 366 days/);
  });
});

describe('durationSpecSchema', () => {
  it('accepts fractional office hours and whole working days', () => {
    expect(durationSpecSchema.parse({ amount: 0.5, unit: 'officeHours' })).toEqual({ amount: 0.5, unit: 'officeHours' });
    expect(durationSpecSchema.parse({ amount: 60, unit: 'workingDays' })).toEqual({ amount: 60, unit: 'workingDays' });
  });

  it('rejects zero and fractional working days', () => {
    expect(durationSpecSchema.safeParse({ amount: 0, unit: 'officeHours' }).success).toBe(false);
    const fractional = durationSpecSchema.safeParse({ amount: 1.5, unit: 'workingDays' });
    expect(fractional.error?.issues[0]?.path).toEqual(['amount']);
  });

  it('rejects an unknown unit', () => {
    expect(durationSpecSchema.safeParse({ amount: 3, unit: 'hours' }).success).toBe(false);
  });
});
