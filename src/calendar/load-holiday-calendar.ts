import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { holidayYearSchema, type HolidayYear } from './holiday-schema.js';

/** One problem found in a holiday file. */
export interface HolidayFileIssue {
  /** Path of the file or folder, relative to the working directory where possible. */
  file: string;
  /** Dotted path of the field inside the file, such as `days.3.date`; empty for the whole file. */
  field: string;
  message: string;
}

/** Raised by loadHolidayCalendar when the holiday folder has invalid files; lists every problem. */
export class HolidayDataError extends Error {
  constructor(readonly issues: HolidayFileIssue[]) {
    super(
      `Invalid holiday data (${issues.length} problem${issues.length === 1 ? '' : 's'}); ` +
        'fix each file against the SKB 3 Menteri it transcribes:\n' +
        issues.map((issue) => `  ${issue.file}: ${issue.field || '(file)'}: ${issue.message}`).join('\n'),
    );
    this.name = 'HolidayDataError';
  }
}

const yearFileName = /^(\d{4})\.yaml$/;

/** Shows a path relative to the working directory when it lies inside it, else as given. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * Reads and validates every `<year>.yaml` in `dir` (such as `flows/holidays`), for
 * WorkingCalendar's `years`. Returns the years sorted in ascending order.
 *
 * Collects all problems before throwing one HolidayDataError. A problem is an unreadable
 * folder or file, invalid YAML, a field that fails the schema, or a `year` field that differs
 * from the file name. A `.yaml` or `.yml` file not named `<year>.yaml` is a problem too,
 * because it would otherwise be ignored silently. Other files, such as a README, are
 * ignored, and an empty folder returns an empty list.
 */
export async function loadHolidayCalendar(dir: string): Promise<HolidayYear[]> {
  const issues: HolidayFileIssue[] = [];

  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new HolidayDataError([
      { file: display(dir), field: '', message: `cannot read the holiday folder: ${(error as Error).message}` },
    ]);
  }

  const years: HolidayYear[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const match = yearFileName.exec(name);
    if (!match) {
      if (/\.ya?ml$/.test(name)) {
        issues.push({ file: display(file), field: '', message: 'holiday files must be named <year>.yaml, such as 2026.yaml' });
      }
      continue;
    }
    const year = await loadYearFile(file, Number(match[1]), display(file), issues);
    if (year) years.push(year);
  }

  if (issues.length > 0) throw new HolidayDataError(issues);
  return years.sort((a, b) => a.year - b.year);
}

async function loadYearFile(
  file: string,
  yearInName: number,
  shownName: string,
  issues: HolidayFileIssue[],
): Promise<HolidayYear | undefined> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    issues.push({ file: shownName, field: '', message: `cannot read file: ${(error as Error).message}` });
    return undefined;
  }

  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      issues.push({ file: shownName, field: '', message: `invalid YAML: ${error.message.split('\n')[0]}` });
    }
    return undefined;
  }

  const result = holidayYearSchema.safeParse(document.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      issues.push({ file: shownName, field: issue.path.join('.'), message: issue.message });
    }
    return undefined;
  }

  if (result.data.year !== yearInName) {
    issues.push({
      file: shownName,
      field: 'year',
      message: `is ${result.data.year}, but the file name is for ${yearInName}; rename the file or fix the year`,
    });
    return undefined;
  }
  return result.data;
}
