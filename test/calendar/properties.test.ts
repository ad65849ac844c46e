import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../src/calendar/index.js';
import { loadOfficeCalendar, toWib, wib } from './office-calendar.js';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadOfficeCalendar();
});

const minuteMs = 60_000;

/** Any millisecond instant from 1 January 2025 00:00 WIB to 31 December 2027 23:59 WIB. */
const instant = fc
  .integer({ min: wib('2025-01-01T00:00').getTime(), max: wib('2027-12-31T23:59').getTime() })
  .map((time) => new Date(time));

/** Same range, on whole minutes, for the minute-by-minute reference count. */
const minuteInstant = fc
  .integer({ min: wib('2025-01-01T00:00').getTime() / minuteMs, max: wib('2027-12-31T23:59').getTime() / minuteMs })
  .map((minute) => new Date(minute * minuteMs));

/** Office hours as whole minutes, 1 minute to 50 hours, so sums stay exact in milliseconds. */
const officeMinutes = fc.integer({ min: 1, max: 3000 });
const workingDays = fc.integer({ min: 1, max: 70 });

/** Start of the next WIB day, by the fixed +07:00 offset of Asia/Pontianak. */
function nextWibMidnight(time: number): number {
  const dayMs = 24 * 60 * minuteMs;
  const wibOffsetMs = 7 * 60 * minuteMs;
  return (Math.floor((time + wibOffsetMs) / dayMs) + 1) * dayMs - wibOffsetMs;
}

function isOpenOrClosingInstant(deadline: Date): boolean {
  return calendar.isWithinOfficeHours(deadline) || calendar.isWithinOfficeHours(new Date(deadline.getTime() - 1));
}

describe('office-hour deadlines', () => {
  it('fall inside office hours or at a closing', () => {
    fc.assert(
      fc.property(instant, officeMinutes, (received, minutes) => {
        expect(isOpenOrClosingInstant(calendar.addOfficeHours(received, minutes / 60))).toBe(true);
      }),
    );
  });

  it('are later than receipt', () => {
    fc.assert(
      fc.property(instant, officeMinutes, (received, minutes) => {
        expect(calendar.addOfficeHours(received, minutes / 60).getTime()).toBeGreaterThan(received.getTime());
      }),
    );
  });

  it('add up: a + b equals a then b', () => {
    fc.assert(
      fc.property(instant, officeMinutes, officeMinutes, (received, a, b) => {
        const inOneStep = calendar.addOfficeHours(received, (a + b) / 60);
        const inTwoSteps = calendar.addOfficeHours(calendar.addOfficeHours(received, a / 60), b / 60);
        expect(toWib(inTwoSteps)).toBe(toWib(inOneStep));
        expect(inTwoSteps.getTime()).toBe(inOneStep.getTime());
      }),
    );
  });

  it('never move earlier for a later receipt', () => {
    fc.assert(
      fc.property(instant, instant, officeMinutes, (first, second, minutes) => {
        const [early, late] = first <= second ? [first, second] : [second, first];
        const earlyDeadline = calendar.addOfficeHours(early, minutes / 60).getTime();
        expect(calendar.addOfficeHours(late, minutes / 60).getTime()).toBeGreaterThanOrEqual(earlyDeadline);
      }),
    );
  });

  it('match a minute-by-minute count of open minutes', () => {
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 1, max: 180 }), (received, minutes) => {
        const deadline = calendar.addOfficeHours(received, minutes / 60).getTime();
        let openMinutes = 0;
        let time = received.getTime();
        while (openMinutes < minutes) {
          if (!calendar.isWorkingDay(new Date(time))) {
            time = nextWibMidnight(time);
            continue;
          }
          if (calendar.isWithinOfficeHours(new Date(time))) openMinutes += 1;
          time += minuteMs;
        }
        // `time` is now the end of the minute that completed the count.
        expect(deadline).toBe(time);
      }),
    );
  });
});

describe('working-day deadlines', () => {
  it('fall at the close of a working day', () => {
    fc.assert(
      fc.property(instant, workingDays, (received, days) => {
        const deadline = calendar.addWorkingDays(received, days);
        expect(calendar.isWorkingDay(deadline)).toBe(true);
        expect(calendar.isWithinOfficeHours(new Date(deadline.getTime() - 1))).toBe(true);
        expect(calendar.isWithinOfficeHours(deadline)).toBe(false);
        expect(calendar.nextOpening(deadline).getTime() - deadline.getTime()).toBeGreaterThan(12 * 3_600_000);
      }),
    );
  });

  it('are later than receipt, on a later date', () => {
    fc.assert(
      fc.property(instant, workingDays, (received, days) => {
        const deadline = calendar.addWorkingDays(received, days);
        expect(deadline.getTime()).toBeGreaterThan(received.getTime());
        expect(toWib(deadline).slice(0, 10) > toWib(received).slice(0, 10)).toBe(true);
      }),
    );
  });

  it('count exactly n working days after receipt', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (received, days) => {
        const deadlineDate = toWib(calendar.addWorkingDays(received, days)).slice(0, 10);
        let counted = 0;
        const day = new Date(`${toWib(received).slice(0, 10)}T00:00:00Z`);
        for (;;) {
          day.setUTCDate(day.getUTCDate() + 1);
          const date = day.toISOString().slice(0, 10);
          if (calendar.isWorkingDay(date)) counted += 1;
          if (date === deadlineDate) break;
        }
        expect(counted).toBe(days);
      }),
    );
  });

  it('add up: n + m equals n then m', () => {
    fc.assert(
      fc.property(instant, workingDays, workingDays, (received, n, m) => {
        const inOneStep = calendar.addWorkingDays(received, n + m);
        const inTwoSteps = calendar.addWorkingDays(calendar.addWorkingDays(received, n), m);
        expect(toWib(inTwoSteps)).toBe(toWib(inOneStep));
      }),
    );
  });
});

describe('nextOpening', () => {
  it('is the instant itself when open, else an opening later', () => {
    fc.assert(
      fc.property(instant, (time) => {
        const opening = calendar.nextOpening(time);
        if (calendar.isWithinOfficeHours(time)) {
          expect(opening.getTime()).toBe(time.getTime());
        } else {
          expect(opening.getTime()).toBeGreaterThan(time.getTime());
          expect(calendar.isWithinOfficeHours(opening)).toBe(true);
          expect(calendar.isWithinOfficeHours(new Date(opening.getTime() - 1))).toBe(false);
        }
      }),
    );
  });
});
