import { z } from 'zod';
import { isCivilDate } from './civil-date.js';

/**
 * Zod schema for one holiday file, `flows/holidays/<year>.yaml`: the libur nasional and
 * cuti bersama of one year, with the decrees that set and amended them. Each year's list
 * comes from an SKB 3 Menteri, the joint decree of the Minister of Religious Affairs, the
 * Minister of Manpower and the Minister for Administrative and Bureaucratic Reform.
 */

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A calendar date written as YYYY-MM-DD, checked to exist (2025-02-30 is rejected). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD, for example 2025-08-17')
  .refine(isCivilDate, { message: 'is not a date in the calendar' });

/** Kinds of day off: a libur nasional (public holiday) or a cuti bersama (collective leave day). */
export const holidayTypes = ['libur_nasional', 'cuti_bersama'] as const;
export type HolidayType = (typeof holidayTypes)[number];

/**
 * Trust level of a year's file: `official` is transcribed from a published SKB, and
 * `provisional` contains estimated dates until that SKB is published.
 */
export const holidayFileStatuses = ['official', 'provisional'] as const;
export type HolidayFileStatus = (typeof holidayFileStatuses)[number];

const decreeSchema = z.strictObject({
  /** Numbers of the three ministers' decrees, as the SKB writes them. */
  number: nonEmpty,
  /** Subject after "tentang", such as "Hari Libur Nasional dan Cuti Bersama Tahun 2025". */
  title: nonEmpty,
  /** Date of signing. */
  signed: isoDateSchema,
});
export type HolidayDecree = z.output<typeof decreeSchema>;

const amendmentSchema = z.strictObject({
  decree: decreeSchema,
  /** Summary of the amendment's changes, in English. */
  changes: nonEmpty,
});
export type HolidayAmendment = z.output<typeof amendmentSchema>;

const holidaySchema = z.strictObject({
  date: isoDateSchema,
  /** Name as the SKB writes it. */
  name: nonEmpty,
  type: z.enum(holidayTypes),
  /** Number of the amending decree that added this day; absent for days of the main decree. */
  decree: nonEmpty.optional(),
  /** True for a date that is an estimate, allowed only in a provisional file. */
  provisional: z.boolean().optional(),
});
export type Holiday = z.output<typeof holidaySchema>;

/** Schema of a whole holiday file; see the file header for the meaning of each part. */
export const holidayYearSchema = z
  .strictObject({
    year: z.number().int().min(1900).max(2999),
    status: z.enum(holidayFileStatuses),
    /** The SKB that set the year's days; required once the status is official. */
    decree: decreeSchema.optional(),
    amendments: z.array(amendmentSchema).default([]),
    days: z.array(holidaySchema),
  })
  .superRefine((file, context) => {
    if (file.status === 'official' && !file.decree) {
      context.addIssue({ code: 'custom', path: ['decree'], message: 'is required when status is official' });
    }

    const amendmentNumbers = new Set(file.amendments.map((amendment) => amendment.decree.number));
    const seen = new Set<string>();
    file.days.forEach((day, index) => {
      const path = ['days', index];
      if (!day.date.startsWith(`${file.year}-`)) {
        context.addIssue({ code: 'custom', path: [...path, 'date'], message: `must be in ${file.year}, found ${day.date}` });
      }
      if (day.decree !== undefined && !amendmentNumbers.has(day.decree)) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'decree'],
          message: `"${day.decree}" is not the number of any decree listed under amendments`,
        });
      }
      if (day.provisional && file.status === 'official') {
        context.addIssue({
          code: 'custom',
          path: [...path, 'provisional'],
          message: 'an official file cannot contain provisional days; remove the flag or set status: provisional',
        });
      }
      const key = `${day.date} ${day.name}`;
      if (seen.has(key)) {
        context.addIssue({ code: 'custom', path, message: `duplicate of an earlier day: ${day.date} ${day.name}` });
      }
      seen.add(key);
    });
  });

/** One year's holiday file after validation. */
export type HolidayYear = z.output<typeof holidayYearSchema>;
