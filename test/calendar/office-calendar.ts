import { fileURLToPath } from 'node:url';
import { loadHolidayCalendar, WorkingCalendar, type WeeklyOfficeHours } from '../../src/calendar/index.js';

/** Folder of the shipped national holiday files. */
export const holidayDir = fileURLToPath(new URL('../../flows/holidays/', import.meta.url));

/**
 * Office hours of Dinas Koperasi dan UKM Provinsi Kalimantan Barat: Monday to Thursday
 * 07:30–12:00 and 13:00–16:00, Friday 07:30–11:30 and 13:00–16:30, closed at weekends.
 */
export const kalbarOfficeHours: WeeklyOfficeHours = {
  monday: [
    { start: '07:30', end: '12:00' },
    { start: '13:00', end: '16:00' },
  ],
  tuesday: [
    { start: '07:30', end: '12:00' },
    { start: '13:00', end: '16:00' },
  ],
  wednesday: [
    { start: '07:30', end: '12:00' },
    { start: '13:00', end: '16:00' },
  ],
  thursday: [
    { start: '07:30', end: '12:00' },
    { start: '13:00', end: '16:00' },
  ],
  friday: [
    { start: '07:30', end: '11:30' },
    { start: '13:00', end: '16:30' },
  ],
  saturday: [],
  sunday: [],
};

/** Builds the office's calendar on the shipped holiday files (2025, 2026 and provisional 2027). */
export async function loadOfficeCalendar(): Promise<WorkingCalendar> {
  return new WorkingCalendar({
    timeZone: 'Asia/Pontianak',
    timeZoneLabel: 'WIB',
    officeHours: kalbarOfficeHours,
    years: await loadHolidayCalendar(holidayDir),
  });
}

const wibOffsetMs = 7 * 3_600_000;

/** Parses a WIB wall-clock time "YYYY-MM-DDTHH:mm[:ss]" into an instant, without the host's zone. */
export function wib(local: string): Date {
  const instant = new Date(`${local}+07:00`);
  if (Number.isNaN(instant.getTime())) throw new Error(`Invalid WIB time in test: ${local}`);
  return instant;
}

/** Shows an instant as WIB wall-clock time "YYYY-MM-DDTHH:mm", by fixed offset, for readable failures. */
export function toWib(instant: Date): string {
  return new Date(instant.getTime() + wibOffsetMs).toISOString().slice(0, 16);
}
