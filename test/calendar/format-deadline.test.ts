import { describe, expect, it } from 'vitest';
import { formatDeadline } from '../../src/calendar/index.js';
import { loadOfficeCalendar, wib } from './office-calendar.js';

describe('formatDeadline', () => {
  it.each([
    ['2026-12-07T10:30', 'Senin, 7 Desember 2026 pukul 10.30 WIB'],
    ['2025-08-18T07:05', 'Senin, 18 Agustus 2025 pukul 07.05 WIB'],
    ['2025-01-01T00:00', 'Rabu, 1 Januari 2025 pukul 00.00 WIB'],
    ['2025-10-31T16:30', 'Jumat, 31 Oktober 2025 pukul 16.30 WIB'],
    ['2026-03-22T23:59:59', 'Minggu, 22 Maret 2026 pukul 23.59 WIB'],
    ['2026-05-12T12:00', 'Selasa, 12 Mei 2026 pukul 12.00 WIB'],
    ['2026-02-18T09:00', 'Rabu, 18 Februari 2026 pukul 09.00 WIB'],
    ['2026-01-29T13:45', 'Kamis, 29 Januari 2026 pukul 13.45 WIB'],
    ['2026-06-13T08:15', 'Sabtu, 13 Juni 2026 pukul 08.15 WIB'],
  ])('%s WIB reads "%s"', (local, expected) => {
    expect(formatDeadline(wib(local), 'Asia/Pontianak', 'WIB')).toBe(expected);
  });

  it('names every month in Indonesian', () => {
    const months = Array.from({ length: 12 }, (_, index) => {
      const month = String(index + 1).padStart(2, '0');
      return formatDeadline(wib(`2026-${month}-15T12:00`), 'Asia/Pontianak', 'WIB').split(' ')[2];
    });
    expect(months).toEqual([
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
    ]);
  });

  it('converts a UTC instant to the office date', () => {
    expect(formatDeadline(new Date('2025-12-31T17:30:00Z'), 'Asia/Pontianak', 'WIB')).toBe(
      'Kamis, 1 Januari 2026 pukul 00.30 WIB',
    );
  });

  it('uses the zone and label it is given', () => {
    expect(formatDeadline(new Date('2026-02-14T02:00:00Z'), 'Asia/Makassar', 'WITA')).toBe(
      'Sabtu, 14 Februari 2026 pukul 10.00 WITA',
    );
  });

  it('rejects an invalid Date', () => {
    expect(() => formatDeadline(new Date(Number.NaN), 'Asia/Pontianak', 'WIB')).toThrow(RangeError);
  });

  it('formats through the calendar with its label', async () => {
    const calendar = await loadOfficeCalendar();
    const deadline = calendar.computeDeadline(wib('2025-08-15T15:00'), { amount: 3, unit: 'officeHours' });
    expect(calendar.formatDeadline(deadline)).toBe('Selasa, 19 Agustus 2025 pukul 09.00 WIB');
  });
});
