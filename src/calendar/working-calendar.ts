import { DateTime, IANAZone } from 'luxon';
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

/** Longest run of days without opening accepted before the data is taken to be wrong. */
const maxDaysWithoutOpening = 366;
const millisecondsPerHour = 3_600_000;

/** An opening period as UTC epoch milliseconds: [start, end). */
interface InstantPeriod {
  start: number;
  end: number;
}

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
  readonly #weeklyPeriods: MinutePeriod[][];
  readonly #years = new Map<number, HolidayYear>();
  readonly #holidaysByDate = new Map<string, Holiday[]>();

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
    return this.#isWorkingDay(this.#toLocalDay(day, 'day'));
  }

  /** Returns the libur nasional and cuti bersama on a day (same `day` forms as isWorkingDay), or []. */
  holidaysOn(day: Date | string): readonly Holiday[] {
    return this.#holidaysByDate.get(isoDate(this.#toLocalDay(day, 'day'))) ?? [];
  }

  /** Tells whether the office is open at `instant`: a period's start is inside, its end is not. */
  isWithinOfficeHours(instant: Date): boolean {
    const time = toEpoch(instant, 'instant');
    return this.#periodsOn(this.#localDayOf(time)).some((period) => period.start <= time && time < period.end);
  }

  /** Returns `instant` itself when the office is open then, otherwise the start of the next opening period. */
  nextOpening(instant: Date): Date {
    const time = toEpoch(instant, 'instant');
    const period = this.#periodsEndingAfter(time).next().value;
    return new Date(Math.max(time, period.start));
  }

  /**
   * Adds `hours` of office time to `from`: the pengaduan ringan rule. Counting starts at
   * `from`, or at the next opening when the office is closed then; breaks, evenings, weekends,
   * libur nasional and cuti bersama do not count. When the time runs out exactly at a closing,
   * the result is that closing instant, not the next opening.
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
   * Returns the close of office hours on the `days`-th working day after the day of receipt.
   * The day of receipt (the local date of `from`) is never counted, whatever the hour and
   * whether or not it is a working day. `days` must be a positive whole number.
   */
  addWorkingDays(from: Date, days: number): Date {
    const time = toEpoch(from, 'from');
    if (!Number.isInteger(days) || days <= 0) {
      throw new RangeError(`Cannot add ${days} working days: give a positive whole number of days.`);
    }

    let day = this.#localDayOf(time);
    for (let counted = 0; counted < days; counted++) day = this.#nextWorkingDay(day);
    const periods = this.#periodsOn(day);
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
    const currentYear = DateTime.fromMillis(toEpoch(now, 'now'), { zone: this.timeZone }).year;
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

  #isWorkingDay(day: DateTime): boolean {
    return this.#weeklyPeriods[day.weekday - 1]!.length > 0 && !this.#holidaysByDate.has(isoDate(day));
  }

  /** Opening periods of a local day as instants; none on a day that is not a working day. */
  #periodsOn(day: DateTime): InstantPeriod[] {
    if (!this.#isWorkingDay(day)) return [];
    const at = (minute: number) => day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
    return this.#weeklyPeriods[day.weekday - 1]!.map((period) => ({
      start: at(period.startMinute),
      end: at(period.endMinute),
    }));
  }

  /** Yields, in order and without end, every opening period that ends after `time`. */
  *#periodsEndingAfter(time: number): Generator<InstantPeriod, never> {
    let day = this.#localDayOf(time);
    let closedDays = 0;
    for (;;) {
      const periods = this.#periodsOn(day).filter((period) => period.end > time);
      closedDays = periods.length === 0 ? closedDays + 1 : 0;
      if (closedDays > maxDaysWithoutOpening) throw noOpeningError(day);
      yield* periods;
      day = day.plus({ days: 1 });
    }
  }

  #nextWorkingDay(day: DateTime): DateTime {
    let next = day;
    for (let step = 0; step < maxDaysWithoutOpening; step++) {
      next = next.plus({ days: 1 });
      if (this.#isWorkingDay(next)) return next;
    }
    throw noOpeningError(next);
  }

  #localDayOf(time: number): DateTime {
    return DateTime.fromMillis(time, { zone: this.timeZone }).startOf('day');
  }

  #toLocalDay(day: Date | string, name: string): DateTime {
    if (day instanceof Date) return this.#localDayOf(toEpoch(day, name));
    const local = /^\d{4}-\d{2}-\d{2}$/.test(day) ? DateTime.fromISO(day, { zone: this.timeZone }) : undefined;
    if (!local?.isValid) {
      throw new RangeError(`Invalid ${name} "${day}": give a Date or a calendar date as YYYY-MM-DD.`);
    }
    return local.startOf('day');
  }
}

function toEpoch(instant: Date, name: string): number {
  const time = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new RangeError(`Invalid ${name}: expected a valid Date, received ${String(instant)}.`);
  return time;
}

function isoDate(day: DateTime): string {
  return day.toFormat('yyyy-MM-dd');
}

function noOpeningError(day: DateTime): Error {
  return new Error(
    `No office hours in the ${maxDaysWithoutOpening} days before ${isoDate(day)}: check officeHours and the holiday files.`,
  );
}
