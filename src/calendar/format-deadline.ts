import { DateTime } from 'luxon';

const dayNames = ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'];
const monthNames = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

/**
 * Formats an instant for citizens in Indonesian, in the office's zone, such as
 * "Senin, 7 Desember 2026 pukul 10.30 WIB": day and month names in Indonesian, the hour
 * zero-padded on the 24-hour clock with a dot before the minutes, then `timeZoneLabel`.
 * Seconds are dropped, not rounded, so a shown time is never later than the instant.
 * The names come from fixed tables, not from the host's locale data.
 */
export function formatDeadline(instant: Date, timeZone: string, timeZoneLabel: string): string {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) {
    throw new RangeError(`Cannot format deadline ${String(instant)} in zone ${timeZone}: ${local.invalidExplanation}`);
  }

  const time = `${pad(local.hour)}.${pad(local.minute)}`;
  const date = `${local.day} ${monthNames[local.month - 1]} ${local.year}`;
  return `${dayNames[local.weekday - 1]}, ${date} pukul ${time} ${timeZoneLabel}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
