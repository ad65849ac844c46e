import { z } from 'zod';

/**
 * Units a deadline can be counted in: `officeHours` counts time inside office hours only
 * (the pengaduan ringan rule), `workingDays` counts whole working days after the day of receipt.
 */
export const durationUnits = ['officeHours', 'workingDays'] as const;
export type DurationUnit = (typeof durationUnits)[number];

/**
 * Zod schema for a deadline's duration, such as `{ amount: 5, unit: workingDays }`, for
 * content files that attach a duration to a complaint class. `amount` must be positive, and
 * a whole number for working days; office hours may be fractional (0.5 is 30 minutes).
 */
export const durationSpecSchema = z
  .strictObject({
    amount: z.number().positive('must be greater than 0').finite(),
    unit: z.enum(durationUnits),
  })
  .refine((spec) => spec.unit !== 'workingDays' || Number.isInteger(spec.amount), {
    message: 'must be a whole number of working days',
    path: ['amount'],
  });

/** A deadline's duration; see durationSpecSchema for the allowed values. */
export type DurationSpec = z.output<typeof durationSpecSchema>;
