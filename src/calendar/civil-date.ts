/**
 * Arithmetic on civil dates written "YYYY-MM-DD": dates in the proleptic Gregorian calendar
 * with no time of day and no zone, as the holiday files use them. Computed through UTC, where
 * every day is 24 hours long, so no host zone or daylight-saving rule can shift a date.
 */

const millisecondsPerDay = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Tells whether `text` is a date "YYYY-MM-DD" that exists (2025-02-29 does not). */
export function isCivilDate(text: string): boolean {
  if (!datePattern.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** Returns the date `days` days after `date` (before it when negative). */
export function addDaysToDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * millisecondsPerDay).toISOString().slice(0, 10);
}

/** Returns the ISO weekday of `date` as an index from 0 (Monday) to 6 (Sunday). */
export function weekdayIndexOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Returns the civil date at `time` (UTC epoch milliseconds) on a clock `offsetMinutes` ahead of UTC. */
export function civilDateAt(time: number, offsetMinutes: number): string {
  return new Date(time + offsetMinutes * 60_000).toISOString().slice(0, 10);
}
