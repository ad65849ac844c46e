import { DateTime, IANAZone } from 'luxon';
import { addDaysToDate, civilDateAt, isCivilDate, weekdayIndexOf } from './civil-date.js';
import type { DurationSpec } from './duration-spec.js';
import { formatDeadline } from './format-deadline.js';
import type { Holiday, HolidayFileStatus, HolidayYear } from './holiday-schema.js';
import { toMinutePeriods, type MinutePeriod, type WeeklyOfficeHours } from './office-hours.js';

/** Trust in a year's holidays: from an official or provisional file, or `missing` when no file exists. */
export type YearStatus = HolidayFileStatus | 'missing';

/** A log-worthy gap in the holiday data, with an English message for operators. */
export interface CalendarWarning {
  year: number;
  status: Exclude<YearStatus, 'official'>;
  message: string;
}

/** Everything a WorkingCalendar needs; usually built from `office.yaml` and loadHolidayCalendar. */
export interface WorkingCalendarConfig {
  /** IANA zone of the office, such as Asia/Pontianak; office hours are wall-clock times there. */
  timeZone: string;
  /** Abbreviation shown after times for citizens, such as WIB. */
  timeZoneLabel: string;
  officeHours: WeeklyOfficeHours;
  /** Holiday files, at most one per year; a year without one has no holidays. */
  years: readonly HolidayYear[];
}

/** Maximum run of closed days searched before the office hours or holiday data count as wrong. */
const maxDaysWithoutOpening = 366;
const millisecondsPerHour = 3_600_000;

/** An opening period as UTC epoch milliseconds: [start, end). */
interface InstantPeriod {
  start: number;
  end: number;
}

/** One civil date in the office's zone, with its bounds and opening periods as instants. */
interface OfficeDay {
  date: string;
  /** Local midnight that starts the date, UTC epoch milliseconds. */
  start: number;
  /** Local midnight that starts the next date. */
  end: number;
  /** Opening periods in order; empty when the date is not a working day. */
  periods: InstantPeriod[];
}

/** Cached dates kept before the cache starts over; about 27 years of dates. */
const maxCachedDays = 10_000;

/**
 * The office's working-time calendar: office hours, libur nasional and cuti bersama, and
 * deadlines counted on them. Pure: every instant comes in as an argument, and no method reads
 * the clock or depends on the host's time zone. Instants in and out are `Date` (UTC instants).
 * A working day is a weekday with office hours that is neither libur nasional nor cuti bersama.
 * A year without a holiday file counts every weekday with office hours as a working day.
 */
export class WorkingCalendar {
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  readonly #zone: IANAZone;
  readonly #weeklyPeriods: MinutePeriod[][];
  readonly #years = new Map<number, HolidayYear>();
  readonly #holidaysByDate = new Map<string, Holiday[]>();
  // Memo of computed dates, because luxon's zone lookups go through Intl and are slow in the
  // minute- and day-stepping loops. It never changes a result.
  readonly #officeDays = new Map<string, OfficeDay>();
  #lastOfficeDay: OfficeDay | undefined;

  /** Throws an Error on an unknown time zone, an empty label, invalid office hours or two files for one year. */
  constructor(config: WorkingCalendarConfig) {
    if (!IANAZone.isValidZone(config.timeZone)) {
      throw new Error(`Invalid time zone "${config.timeZone}": use an IANA zone name such as Asia/Pontianak.`);
    }
    if (config.timeZoneLabel.trim() === '') {
      throw new Error('Missing time zone label: set timeZoneLabel, such as WIB, for the deadlines citizens read.');
    }
    this.timeZone = config.timeZone;
    this.timeZoneLabel = config.timeZoneLabel;
    this.#zone = IANAZone.create(config.timeZone);
    this.#weeklyPeriods = toMinutePeriods(config.officeHours);

    for (const file of config.years) {
      if (this.#years.has(file.year)) {
        throw new Error(`Two holiday files for ${file.year}: keep only one, since each year has one SKB list.`);
      }
      this.#years.set(file.year, file);
      for (const holiday of file.days) {
        this.#holidaysByDate.set(holiday.date, [...(this.#holidaysByDate.get(holiday.date) ?? []), holiday]);
      }
    }
  }

  /**
   * Tells whether a day is a working day. `day` is a date "YYYY-MM-DD" in the office's
   * calendar, or an instant, whose local date in the office's zone is used.
   */
  isWorkingDay(day: Date | string): boolean {
    return this.#isWorkingDate(this.#toCivilDate(day, 'day'));
  }

  /** Returns the libur nasional and cuti bersama on a day (same `day` forms as isWorkingDay), or []. */
  holidaysOn(day: Date | string): readonly Holiday[] {
    return this.#holidaysByDate.get(this.#toCivilDate(day, 'day')) ?? [];
  }

  /** Tells whether the office is open at `instant`: a period's start is inside, its end is not. */
  isWithinOfficeHours(instant: Date): boolean {
    const time = toEpoch(instant, 'instant');
    return this.#officeDayAt(time).periods.some((period) => period.start <= time && time < period.end);
  }

  /** Returns `instant` itself when the office is open then, otherwise the start of the next opening period. */
  nextOpening(instant: Date): Date {
    const time = toEpoch(instant, 'instant');
    const period = this.#periodsEndingAfter(time).next().value;
    return new Date(Math.max(time, period.start));
  }

  /**
   * Adds `hours` of office time to `from`, which is the pengaduan ringan rule. Counting
   * starts at `from`, or at the next opening when the office is closed then. Breaks, evenings,
   * weekends, libur nasional and cuti bersama do not count. When the time runs out exactly at
   * a closing, the result is that closing instant, not the next opening.
   * `hours` must be positive and may be fractional; it is rounded to whole milliseconds.
   */
  addOfficeHours(from: Date, hours: number): Date {
    const time = toEpoch(from, 'from');
    if (!Number.isFinite(hours) || hours <= 0) {
      throw new RangeError(`Cannot add ${hours} office hours: give a positive number of hours.`);
    }

    let remaining = Math.round(hours * millisecondsPerHour);
    const periods = this.#periodsEndingAfter(time);
    for (;;) {
      const period = periods.next().value;
      const start = Math.max(time, period.start);
      const available = period.end - start;
      if (remaining <= available) return new Date(start + remaining);
      remaining -= available;
    }
  }

  /**
   * Returns the office time between two instants, in hours: the time inside office hours
   * from `from` to `to`, or 0 when `to` is not after `from`. It is the inverse of
   * addOfficeHours: `addOfficeHours(from, officeHoursBetween(from, to))` is `to` when `to`
   * falls inside office hours.
   */
  officeHoursBetween(from: Date, to: Date): number {
    const start = toEpoch(from, 'from');
    const end = toEpoch(to, 'to');
    let total = 0;
    for (const period of this.#periodsEndingAfter(start)) {
      if (period.start >= end) break;
      total += Math.min(period.end, end) - Math.max(period.start, start);
    }
    return total / millisecondsPerHour;
  }

  /**
   * Returns the close of office hours on the `days`-th working day after the day of receipt.
   * The day of receipt (the local date of `from`) is never counted, whatever the hour and
   * whether or not it is a working day. `days` must be a positive whole number.
   */
  addWorkingDays(from: Date, days: number): Date {
    const time = toEpoch(from, 'from');
    if (!Number.isInteger(days) || days <= 0) {
      throw new RangeError(`Cannot add ${days} working days: give a positive whole number of days.`);
    }

    let date = this.#officeDayAt(time).date;
    for (let counted = 0; counted < days; counted++) date = this.#nextWorkingDate(date);
    const periods = this.#officeDay(date).periods;
    return new Date(periods[periods.length - 1]!.end);
  }

  /** Computes the deadline for a complaint received at `receivedAt` with the given duration. */
  computeDeadline(receivedAt: Date, spec: DurationSpec): Date {
    switch (spec.unit) {
      case 'officeHours':
        return this.addOfficeHours(receivedAt, spec.amount);
      case 'workingDays':
        return this.addWorkingDays(receivedAt, spec.amount);
      default:
        throw new RangeError(`Unknown duration unit "${String((spec as { unit: unknown }).unit)}": use officeHours or workingDays.`);
    }
  }

  /** Returns how trustworthy a year's holidays are: official, provisional or missing. */
  yearStatus(year: number): YearStatus {
    return this.#years.get(year)?.status ?? 'missing';
  }

  /**
   * Lists the current and the next year (in the office's zone at `now`) when their holiday
   * file is provisional or missing, so an operator can add the SKB file before deadlines
   * run into that year. Returns [] when both years are official.
   */
  warnings(now: Date): CalendarWarning[] {
    const currentYear = Number(this.#officeDayAt(toEpoch(now, 'now')).date.slice(0, 4));
    const warnings: CalendarWarning[] = [];
    for (const year of [currentYear, currentYear + 1]) {
      const status = this.yearStatus(year);
      if (status === 'missing') {
        warnings.push({
          year,
          status,
          message:
            `No holiday file for ${year}: deadlines in ${year} count every weekday with office hours as a ` +
            `working day. Add ${year}.yaml to the holiday folder, transcribed from the SKB 3 Menteri on ` +
            `libur nasional and cuti bersama ${year}.`,
        });
      } else if (status === 'provisional') {
        warnings.push({
          year,
          status,
          message:
            `The holiday file for ${year} is provisional: its moving holidays are estimates and it has no ` +
            `cuti bersama. Replace ${year}.yaml with the SKB 3 Menteri for ${year} once it is published.`,
        });
      }
    }
    return warnings;
  }

  /** Formats an instant for citizens, such as "Senin, 7 Desember 2026 pukul 10.30 WIB"; see formatDeadline. */
  formatDeadline(instant: Date): string {
    return formatDeadline(new Date(toEpoch(instant, 'instant')), this.timeZone, this.timeZoneLabel);
  }

  #isWorkingDate(date: string): boolean {
    return this.#weeklyPeriods[weekdayIndexOf(date)]!.length > 0 && !this.#holidaysByDate.has(date);
  }

  /** Returns the office day of a civil date, computing it with luxon on the first request. */
  #officeDay(date: string): OfficeDay {
    const cached = this.#officeDays.get(date);
    if (cached) return cached;

    // Local midnight, or the first existing instant after it where a DST change skips midnight.
    const midnight = DateTime.fromISO(date, { zone: this.timeZone });
    const at = (minute: number) => midnight.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
    const periods = this.#isWorkingDate(date)
      ? this.#weeklyPeriods[weekdayIndexOf(date)]!.map((period) => ({ start: at(period.startMinute), end: at(period.endMinute) }))
      : [];
    const day: OfficeDay = {
      date,
      start: midnight.toMillis(),
      end: DateTime.fromISO(addDaysToDate(date, 1), { zone: this.timeZone }).toMillis(),
      periods,
    };

    if (this.#officeDays.size >= maxCachedDays) this.#officeDays.clear();
    this.#officeDays.set(date, day);
    return day;
  }

  /** Returns the office day that contains `time`; loops ask for the same day many times in a row. */
  #officeDayAt(time: number): OfficeDay {
    const last = this.#lastOfficeDay;
    if (last && last.start <= time && time < last.end) return last;
    const day = this.#officeDay(civilDateAt(time, this.#zone.offset(time)));
    this.#lastOfficeDay = day;
    return day;
  }

  /** Yields, in order and without end, every opening period that ends after `time`. */
  *#periodsEndingAfter(time: number): Generator<InstantPeriod, never> {
    let date = this.#officeDayAt(time).date;
    let closedDays = 0;
    for (;;) {
      const periods = this.#officeDay(date).periods.filter((period) => period.end > time);
      closedDays = periods.length === 0 ? closedDays + 1 : 0;
      if (closedDays > maxDaysWithoutOpening) throw noOpeningError(date);
      yield* periods;
      date = addDaysToDate(date, 1);
    }
  }

  #nextWorkingDate(date: string): string {
    let next = date;
    for (let step = 0; step < maxDaysWithoutOpening; step++) {
      next = addDaysToDate(next, 1);
      if (this.#isWorkingDate(next)) return next;
    }
    throw noOpeningError(next);
  }

  #toCivilDate(day: Date | string, name: string): string {
    if (day instanceof Date) return this.#officeDayAt(toEpoch(day, name)).date;
    if (!isCivilDate(day)) {
      throw new RangeError(`Invalid ${name} "${day}": give a Date or a calendar date as YYYY-MM-DD.`);
    }
    return day;
  }
}

function toEpoch(instant: Date, name: string): number {
  const time = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new RangeError(`Invalid ${name}: expected a valid Date, received ${String(instant)}.`);
  return time;
}

function noOpeningError(date: string): Error {
  return new Error(
    `No office hours in the ${maxDaysWithoutOpening} days before ${date}: check officeHours and the holiday files.`,
  );
}
