/**
 * Weekly office hours: the shape of `officeHours` in an office's `office.yaml`, and its
 * conversion to minutes after local midnight for the calendar arithmetic.
 */

/** Day names in ISO order, so `weekdayNames[luxonWeekday - 1]` names a luxon weekday (1 = Monday). */
export const weekdayNames = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof weekdayNames)[number];

/** One span of opening as local wall-clock times "HH:MM"; `end` is the closing instant, not inside. */
export interface OfficePeriod {
  start: string;
  end: string;
}

/**
 * Office hours per weekday as periods in order, with breaks left out; an empty list means
 * closed all day. The catalog's validated `Office['officeHours']` has this shape.
 */
export type WeeklyOfficeHours = Readonly<Record<WeekdayName, readonly OfficePeriod[]>>;

/** A period as minutes after local midnight: [startMinute, endMinute). */
export interface MinutePeriod {
  startMinute: number;
  endMinute: number;
}

/**
 * Converts weekly office hours to minute periods indexed by ISO weekday (index 0 is Monday).
 * Throws an Error naming the day and period when a time is not "HH:MM", a period does not
 * start before it ends, periods overlap or are out of order, or the week has no period at all.
 */
export function toMinutePeriods(hours: WeeklyOfficeHours): MinutePeriod[][] {
  const week = weekdayNames.map((day) => {
    const periods = hours[day];
    if (!Array.isArray(periods)) {
      throw new Error(`Invalid office hours: ${day} is missing; give a list of periods, or [] when closed.`);
    }
    return periods.map((period, index) => toMinutePeriod(period, `${day} period ${index + 1}`));
  });

  week.forEach((periods, dayIndex) => {
    periods.forEach((period, index) => {
      const previous = periods[index - 1];
      if (previous && previous.endMinute > period.startMinute) {
        throw new Error(
          `Invalid office hours: ${weekdayNames[dayIndex]} period ${index + 1} starts before the previous ` +
            'period ends; list the periods in order without overlap.',
        );
      }
    });
  });

  if (week.every((periods) => periods.length === 0)) {
    throw new Error('Invalid office hours: every day is closed, so no deadline could ever fall due; add opening periods.');
  }
  return week;
}

function toMinutePeriod(period: OfficePeriod, label: string): MinutePeriod {
  const startMinute = parseTimeOfDay(period.start, `${label} start`);
  const endMinute = parseTimeOfDay(period.end, `${label} end`);
  if (startMinute >= endMinute) {
    throw new Error(
      `Invalid office hours: ${label} runs from ${period.start} to ${period.end}; the start must be before the end.`,
    );
  }
  return { startMinute, endMinute };
}

function parseTimeOfDay(text: string, label: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) {
    throw new Error(`Invalid office hours: ${label} is "${text}"; write a time of day as HH:MM, such as 07:30.`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}
