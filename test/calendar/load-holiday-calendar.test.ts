import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HolidayDataError, loadHolidayCalendar, type HolidayFileIssue } from '../../src/calendar/index.js';
import { holidayDir } from './office-calendar.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'holidays-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const validHeader = `year: 2025
status: official
decree:
  number: Nomor 1017 Tahun 2024, Nomor 2 Tahun 2024, Nomor 2 Tahun 2024
  title: Hari Libur Nasional dan Cuti Bersama Tahun 2025
  signed: 2024-10-14
`;

async function writeHolidayFile(name: string, text: string): Promise<void> {
  await writeFile(path.join(dir, name), text, 'utf8');
}

/** Loads `dir`, expects a HolidayDataError and returns its issues. */
async function loadIssues(): Promise<HolidayFileIssue[]> {
  const error = await loadHolidayCalendar(dir).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HolidayDataError);
  return (error as HolidayDataError).issues;
}

describe('loadHolidayCalendar', () => {
  it('loads the shipped holiday files', async () => {
    const years = await loadHolidayCalendar(holidayDir);
    expect(years.map((file) => [file.year, file.status, file.days.length])).toEqual([
      [2025, 'official', 28],
      [2026, 'official', 25],
      [2027, 'provisional', 18],
    ]);
  });

  it('marks every moving 2027 holiday as provisional', async () => {
    const file2027 = (await loadHolidayCalendar(holidayDir)).find((file) => file.year === 2027);
    const fixed = file2027?.days.filter((day) => !day.provisional).map((day) => day.date.slice(5));
    expect(fixed).toEqual(['01-01', '05-01', '06-01', '08-17', '12-25']);
    expect(file2027?.days.some((day) => day.type === 'cuti_bersama')).toBe(false);
  });

  it('loads a valid file and sorts years', async () => {
    await writeHolidayFile('2026.yaml', 'year: 2026\nstatus: provisional\ndays: []\n');
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n  - { date: 2025-01-01, name: Tahun Baru, type: libur_nasional }\n`);
    await writeHolidayFile('README.md', 'Not a holiday file.');
    const years = await loadHolidayCalendar(dir);
    expect(years.map((file) => file.year)).toEqual([2025, 2026]);
    expect(years[1]?.amendments).toEqual([]);
  });

  it('names the file and field of an impossible date', async () => {
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n  - { date: 2025-02-30, name: Bad, type: libur_nasional }\n`);
    const [issue] = await loadIssues();
    expect(issue?.file).toBe(path.join(dir, '2025.yaml'));
    expect(issue?.field).toBe('days.0.date');
    expect(issue?.message).toBe('is not a date in the calendar');
  });

  it('names the field of an unknown day type', async () => {
    await writeHolidayFile(
      '2025.yaml',
      `${validHeader}days:\n  - { date: 2025-01-01, name: A, type: libur_nasional }\n  - { date: 2025-01-28, name: B, type: libur }\n`,
    );
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('days.1.type');
  });

  it('rejects a year that differs from the file name', async () => {
    await writeHolidayFile('2026.yaml', `${validHeader}days: []\n`);
    const [issue] = await loadIssues();
    expect(issue?.file).toBe(path.join(dir, '2026.yaml'));
    expect(issue?.field).toBe('year');
    expect(issue?.message).toMatch(/is 2025, but the file name is for 2026/);
  });

  it('rejects a date outside the file year', async () => {
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n  - { date: 2026-01-01, name: A, type: libur_nasional }\n`);
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('days.0.date');
    expect(issue?.message).toBe('must be in 2025, found 2026-01-01');
  });

  it('requires the decree of an official file', async () => {
    await writeHolidayFile('2025.yaml', 'year: 2025\nstatus: official\ndays: []\n');
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('decree');
  });

  it('rejects a day decree not listed as an amendment', async () => {
    await writeHolidayFile(
      '2025.yaml',
      `${validHeader}days:\n  - { date: 2025-08-18, name: A, type: cuti_bersama, decree: Nomor 933 Tahun 2025 }\n`,
    );
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('days.0.decree');
  });

  it('rejects a provisional day in an official file', async () => {
    await writeHolidayFile(
      '2025.yaml',
      `${validHeader}days:\n  - { date: 2025-01-27, name: A, type: libur_nasional, provisional: true }\n`,
    );
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('days.0.provisional');
  });

  it('rejects a duplicate day', async () => {
    const day = '  - { date: 2025-01-01, name: A, type: libur_nasional }\n';
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n${day}${day}`);
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('days.1');
  });

  it('names an unknown key', async () => {
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n  - { date: 2025-01-01, nama: A, name: A, type: libur_nasional }\n`);
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('days.0');
    expect(issue?.message).toMatch(/nama/);
  });

  it('reports invalid YAML for the whole file', async () => {
    await writeHolidayFile('2025.yaml', 'year: 2025\nyear: 2026\n');
    const [issue] = await loadIssues();
    expect(issue?.field).toBe('');
    expect(issue?.message).toMatch(/^invalid YAML/);
  });

  it('rejects a misnamed YAML file', async () => {
    await writeHolidayFile('libur-2025.yml', 'year: 2025\n');
    const [issue] = await loadIssues();
    expect(issue?.file).toBe(path.join(dir, 'libur-2025.yml'));
    expect(issue?.message).toMatch(/<year>\.yaml/);
  });

  it('collects problems of every file in one error', async () => {
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n  - { date: 2025-13-01, name: A, type: libur_nasional }\n`);
    await writeHolidayFile('2026.yaml', 'year: 2026\nstatus: draft\ndays: []\n');
    const issues = await loadIssues();
    expect(issues.map((issue) => [path.basename(issue.file), issue.field])).toEqual([
      ['2025.yaml', 'days.0.date'],
      ['2026.yaml', 'status'],
    ]);
  });

  it('puts file and field in the error message', async () => {
    await writeHolidayFile('2025.yaml', `${validHeader}days:\n  - { date: 2025-02-30, name: Bad, type: libur_nasional }\n`);
    await expect(loadHolidayCalendar(dir)).rejects.toThrow(/2025\.yaml: days\.0\.date: is not a date in the calendar/);
  });

  it('reports a missing folder', async () => {
    const missing = path.join(dir, 'absent');
    await expect(loadHolidayCalendar(missing)).rejects.toThrow(/absent: \(file\): cannot read the holiday folder/);
  });
});
